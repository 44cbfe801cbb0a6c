import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface VerifyArgs extends CommonOptions {
  ids: string[];
  runs: number;
}

async function verify(args: VerifyArgs): Promise<number> {
  if (!Number.isInteger(args.runs) || args.runs < 1) {
    throw new UsageError('--runs', `'${args.runs}' is not a positive integer`, 'the number of random samples per target', '--runs 100');
  }
  const [{ problems }, { findProblem, verifyProblem }, output, { progress }, { renderVerifyText, verifyJson }] = await Promise.all([
    import('../../../problems/index.js'),
    import('../../problem/index.js'),
    import('../output.js'),
    import('../progress.js'),
    import('../verify-report.js'),
  ]);
  const seed = output.resolveSeed(args.seed);
  const selected = args.ids.length > 0 ? args.ids.map((id) => findProblem(problems, id)) : problems;
  const bar = progress(selected.length, !args.json && !args.quiet);
  const reports = selected.map((problem) => {
    const report = verifyProblem(problem, { runs: args.runs, seed });
    bar.tick(problem.id);
    return report;
  });
  bar.stop();
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
      .example('$0 verify', 'every problem, 100 samples per target')
      .example('$0 verify dense-batch conv2d --runs 20 --seed 7', 'two problems, reproducibly') as unknown as Argv<VerifyArgs>,
  handler: (args) => runCommand(() => verify(args)),
};
