import type { Argv, CommandModule } from 'yargs';
import { RUNS_RANGE, jobsRange, requireInRange } from '../option-ranges.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface VerifyArgs extends CommonOptions {
  ids: string[];
  runs: number;
  jobs?: number;
}

async function verify(args: VerifyArgs): Promise<number> {
  requireInRange('--runs', args.runs, RUNS_RANGE);
  if (args.jobs !== undefined) requireInRange('--jobs', args.jobs, jobsRange());
  const [{ verifyAll }, { REGISTRY_URL, builtInProblems }, output, { progress }, { renderVerifyText, verifyJson }, { splitIdsAndPaths, withQuestions }] = await Promise.all([
    import('../../problem/verify-all.js'),
    import('../registry.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../verify-report.js'),
    import('../questions.js'),
  ]);
  const seed = output.resolveSeed(args.seed);
  // Arguments that are paths are question files: verified with the ids given, or alone.
  const builtIn = args.ids.length > 0 ? await builtInProblems() : [];
  const { ids, paths } = splitIdsAndPaths(args.ids, builtIn);
  const { questions, source } = await withQuestions(builtIn, paths);
  const selected = paths.length > 0 ? [...ids, ...questions.map((q) => q.id)] : ids;
  let bar: ReturnType<typeof progress> | undefined;
  // Every worker imports the registry (and the question files' loader) from the CLI's bundle.
  const reports = await verifyAll(source ? { registry: REGISTRY_URL, questions: source } : REGISTRY_URL, {
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
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores, or 1 on a machine of 2 cores or fewer; 1 verifies in this thread)' })
      .example('$0 verify', 'every problem, 100 samples per target')
      .example('$0 verify dense-batch conv2d --runs 20 --seed 7', 'two problems, reproducibly')
      .example('$0 verify hw3/questions/', 'every question file of a folder (docs/questions.md)') as unknown as Argv<VerifyArgs>,
  handler: (args) => runCommand(() => verify(args)),
};
