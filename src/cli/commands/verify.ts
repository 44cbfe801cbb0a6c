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
  const [{ verifyAll }, { REGISTRY_URL }, output, { progress }, { renderVerifyText, verifyJson }] = await Promise.all([
    import('../../problem/verify-all.js'),
    import('../registry.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../verify-report.js'),
  ]);
  const seed = output.resolveSeed(args.seed);
  let bar: ReturnType<typeof progress> | undefined;
  const reports = await verifyAll(REGISTRY_URL, {
    runs: args.runs,
    seed,
    ...(args.ids.length > 0 ? { ids: args.ids } : {}),
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
  describe: "Verify problem modules: every closed form agrees with finite differences, every known mistake is rejected",
  builder: (y) =>
    y
      .positional('ids', { type: 'string', array: true, default: [], describe: 'Problem ids (default: all; see derivcheck list)' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs) per target' })
      .option('jobs', { type: 'number', describe: 'Worker threads (default: the number of cores; 1 verifies in this thread)' })
      .example('$0 verify', 'every problem, 100 samples per target')
      .example('$0 verify dense-batch conv2d --runs 20 --seed 7', 'two problems, reproducibly') as unknown as Argv<VerifyArgs>,
  handler: (args) => runCommand(() => verify(args)),
};
