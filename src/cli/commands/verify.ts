import type { Argv, CommandModule } from 'yargs';
import { requirePositiveInteger } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface VerifyArgs extends CommonOptions {
  ids: string[];
  runs: number;
  jobs?: number;
}

async function verify(args: VerifyArgs): Promise<number> {
  requirePositiveInteger('--runs', args.runs, 'the number of random samples per target', '--runs 100');
  if (args.jobs !== undefined) requirePositiveInteger('--jobs', args.jobs, 'the number of worker threads (1: verify in this thread)', '--jobs 2');
  const [{ verifyAll }, output, { progress }, { renderVerifyText, verifyJson }, { problems: builtIn }, { splitIdsAndPaths, withQuestions }] = await Promise.all([
    import('../../problem/index.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../verify-report.js'),
    import('../../../problems/index.js'),
    import('../questions.js'),
  ]);
  const seed = output.resolveSeed(args.seed);
  // The compiled registry, dist/problems/index.js beside this command's dist/src/cli/: every worker imports it.
  const registry = new URL('../../../problems/index.js', import.meta.url);
  // Arguments that are paths are question files: verified with the ids given, or alone.
  const { ids, paths } = splitIdsAndPaths(args.ids, builtIn);
  const { questions, source } = await withQuestions(builtIn, paths);
  const selected = paths.length > 0 ? [...ids, ...questions.map((q) => q.id)] : ids;
  let bar: ReturnType<typeof progress> | undefined;
  const reports = await verifyAll(source ? { registry, questions: source } : registry, {
    runs: args.runs,
    seed,
    ...(selected.length > 0 ? { ids: selected } : {}),
    ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
    onStart: (items) => (bar = progress(items, !args.json && !args.quiet)),
    onReport: (r) => bar?.tick(`${r.problem} ${'target' in r ? r.target : r.property}`),
  });
  bar?.stop();
  const passed = reports.every((r) => r.passed);
  if (args.json) output.printJson(verifyJson(reports, seed));
  else renderVerifyText(reports, seed, args.quiet);
  return passed ? 0 : 1;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify [ids..]',
  describe: 'Verify problems and question files: every answer agrees with finite differences, every known mistake is rejected, examples run',
  builder: (y) =>
    y
      .positional('ids', { type: 'string', array: true, default: [], describe: 'Problem ids (default: all; see derivcheck list), question files or folders of them' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs) per target' })
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores; 1 verifies in this thread)' })
      .example('$0 verify', 'every problem, 100 samples per target')
      .example('$0 verify dense-batch conv2d --runs 20 --seed 7', 'two problems, reproducibly')
      .example('$0 verify hw3/questions/', 'every question file of a folder (docs/questions.md)') as unknown as Argv<VerifyArgs>,
  handler: (args) => runCommand(() => verify(args)),
};
