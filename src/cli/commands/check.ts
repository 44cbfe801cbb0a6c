import type { Argv, CommandModule } from 'yargs';
import { RUNS_RANGE, requireInRange } from '../option-ranges.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface CheckArgs extends CommonOptions {
  loss: string;
  wrt: string;
  grad: string;
  latex: boolean;
  shape: string[];
  dims: string[];
  domain: string[];
  runs: number;
}

async function check(args: CheckArgs): Promise<number> {
  performance.mark('check: arguments parsed');
  requireInRange('--runs', args.runs, RUNS_RANGE);
  const [{ parseInputSpecs }, { adHocProblem }, { judgeText }, { TruthCache }, output, { checkJson, renderCheckText }] = await Promise.all([
    import('../../problem/specs.js'),
    import('../../problem/adhoc.js'),
    import('../../problem/judge.js'),
    import('../../problem/truth-cache.js'),
    import('../output.js'),
    import('../check-report.js'),
  ]);
  performance.mark('check: modules loaded');
  const { shapes, dimRanges, domains } = parseInputSpecs(args);
  const seed = output.resolveSeed(args.seed);
  const { problem: adHoc, target, notices } = adHocProblem({
    loss: args.loss,
    wrt: args.wrt,
    grad: args.grad,
    gradSyntax: args.latex ? 'latex' : 'formula',
    shapes,
    dimRanges,
    domains,
  });
  for (const notice of notices) process.stderr.write(`derivcheck: note: ${notice}\n`);
  const finding = judgeText(adHoc, target, args.grad, args.latex ? 'latex' : 'formula', { runs: args.runs, fcSeed: seed, truths: new TruthCache() }).finding;
  performance.mark('check: judged');
  const result = { finding, seed, runs: args.runs };
  if (args.json) output.printJson(checkJson(result));
  else renderCheckText(result, args.quiet);
  performance.mark('check: printed');
  return finding.status === 'correct' ? 0 : 1;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Check a claimed gradient of any loss expression, on random shapes and inputs',
  builder: (y) =>
    y
      .option('loss', { type: 'string', demandOption: true, describe: 'The scalar loss, a formula over the declared inputs' })
      .option('wrt', { type: 'string', demandOption: true, describe: 'The input to differentiate with respect to' })
      .option('grad', { type: 'string', demandOption: true, describe: 'The claimed gradient (formula language; LaTeX with --latex)' })
      .option('latex', { type: 'boolean', default: false, describe: '--grad is LaTeX' })
      .option('shape', { type: 'string', array: true, default: [], describe: 'NAME=DIMS for every input: X=4x3, X=NxD, s=scalar' })
      .option('dims', { type: 'string', array: true, default: [], describe: 'Size ranges of named dimensions: N=1..8,D=2..5 (default: distinct sizes in 2..6)' })
      .option('domain', { type: 'string', array: true, default: [], describe: 'NAME=normal|positive|awayFromZero|simplex|symmetric|spd|orthogonal|binary|pm1|labels:K|uniform:LO:HI (default normal; K a dimension or a number)' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs)' })
      .example(`$0 check --loss "0.5*sum((X*W - T).^2)" --wrt W --grad "X' * (X*W - T)" --shape X=NxD --shape W=DxM --shape T=NxM`, 'least squares')
      .example(`$0 check --loss "-sum(p .* log(softmax(z, 2)))" --wrt z --grad "softmax(z, 2) - p" --shape z=BxK --shape p=BxK --domain p=simplex`, 'softmax cross-entropy') as unknown as Argv<CheckArgs>,
  handler: (args) => runCommand(() => check(args)),
};
