import type { Argv, CommandModule } from 'yargs';
import type { Problem, Target } from '../../problem/types.js';
import { UsageError } from '../exit.js';
import { RUNS_RANGE, requireInRange } from '../option-ranges.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface CheckArgs extends CommonOptions {
  question?: string;
  target?: string;
  let: string[];
  loss?: string;
  wrt?: string;
  grad: string;
  latex: boolean;
  shape: string[];
  dims: string[];
  domain: string[];
  runs: number;
}

/**
 * The problem and target a check is about: a question file's target, or an inline question from the
 * options; `notices` are what the user should know about the run (--dims past the sample budget).
 */
async function checkedTarget(args: CheckArgs): Promise<{ problem: Problem; target: Target; notices: readonly string[] }> {
  if (args.question !== undefined) {
    const inline = (['loss', 'wrt', 'let', 'shape', 'dims', 'domain'] as const).filter((o) => (Array.isArray(args[o]) ? args[o].length > 0 : args[o] !== undefined));
    if (inline.length > 0) throw new UsageError(`--${inline[0]}`, 'is given with --question, which declares everything already', '--question FILE --target NAME --grad FORMULA', '--question hw/q1.yaml --target dW1 --grad "..."');
    if (args.target === undefined) throw new UsageError('--target', 'is missing', 'the target of the question to check', '--question hw/q1.yaml --target dW1');
    const [{ readQuestionFile }, { findTarget }] = await Promise.all([import('../../question/load.js'), import('../../problem/registry.js')]);
    const { problem } = readQuestionFile(args.question);
    return { problem, target: findTarget(problem, args.target), notices: [] };
  }
  if (args.target !== undefined) throw new UsageError('--target', 'needs --question', 'a question file and one of its targets', '--question hw/q1.yaml --target dW1');
  if (args.loss === undefined || args.wrt === undefined) throw new UsageError(args.loss === undefined ? '--loss' : '--wrt', 'is missing', 'a loss, the input to differentiate with respect to, and --shape for every input (or --question FILE --target NAME)', `--loss "sum(X*W)" --wrt W --shape X=NxD --shape W=DxM`);
  const [{ parseInputSpecs, parseLetSpec }, { adHocProblem }] = await Promise.all([import('../../problem/specs.js'), import('../../question/adhoc.js')]);
  const { shapes, dimRanges, domains } = parseInputSpecs(args);
  return adHocProblem({
    loss: args.loss,
    wrt: args.wrt,
    grad: args.grad,
    gradSyntax: args.latex ? 'latex' : 'formula',
    shapes,
    lets: args.let.map(parseLetSpec),
    dimRanges,
    domains,
  });
}

async function check(args: CheckArgs): Promise<number> {
  performance.mark('check: arguments parsed');
  requireInRange('--runs', args.runs, RUNS_RANGE);
  const [{ judgeText }, { TruthCache }, output, { checkJson, renderCheckText }] = await Promise.all([import('../../problem/judge.js'), import('../../problem/truth-cache.js'), import('../output.js'), import('../check-report.js')]);
  performance.mark('check: modules loaded');
  const { problem, target, notices } = await checkedTarget(args);
  const seed = output.resolveSeed(args.seed);
  for (const notice of notices) process.stderr.write(`derivcheck: note: ${notice}\n`);
  const finding = judgeText(problem, target, args.grad, args.latex ? 'latex' : 'formula', { runs: args.runs, fcSeed: seed, truths: new TruthCache() }).finding;
  performance.mark('check: judged');
  const result = { finding, seed, runs: args.runs };
  if (args.json) output.printJson(checkJson(result));
  else renderCheckText(result, args.quiet);
  performance.mark('check: printed');
  return finding.status === 'correct' ? 0 : 1;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Check a claimed gradient of any loss expression (or of a question file\'s target), on random shapes and inputs',
  builder: (y) =>
    y
      .option('question', { type: 'string', describe: 'A question file (docs/questions.md): check --grad against one of its targets' })
      .option('target', { type: 'string', describe: 'With --question: the target the claimed gradient is for' })
      .option('let', { type: 'string', array: true, default: [], describe: 'NAME=FORMULA: a named intermediate, in order; the loss, --grad and later --let may use it' })
      .option('loss', { type: 'string', describe: 'The scalar loss, a formula over the declared inputs and --let names' })
      .option('wrt', { type: 'string', describe: 'The input (or --let name) to differentiate with respect to' })
      .option('grad', { type: 'string', demandOption: true, describe: 'The claimed gradient (formula language; LaTeX with --latex)' })
      .option('latex', { type: 'boolean', default: false, describe: '--grad is LaTeX' })
      .option('shape', { type: 'string', array: true, default: [], describe: 'NAME=DIMS for every input: X=4x3, X=NxD, s=scalar' })
      .option('dims', { type: 'string', array: true, default: [], describe: 'Size ranges of named dimensions: N=1..8,D=2..5 (default: distinct sizes in 2..6)' })
      .option('domain', { type: 'string', array: true, default: [], describe: 'NAME=normal[:STD]|positive|awayFromZero[:MARGIN]|simplex[:DIM]|symmetric|spd|orthogonal|binary|pm1|labels:K|uniform:LO:HI (default normal; K a dimension or a number)' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs)' })
      .example(`$0 check --loss "0.5*sum((X*W - T).^2)" --wrt W --grad "X' * (X*W - T)" --shape X=NxD --shape W=DxM --shape T=NxM`, 'least squares')
      .example(`$0 check --let "H=tanh(X*W)" --loss "sum(H .* G)" --wrt W --grad "X' * ((1 - H.^2) .* G)" --shape X=NxD --shape W=DxM --shape G=NxM`, 'a named intermediate')
      .example(`$0 check --loss "-sum(p .* log(softmax(z, 2)))" --wrt z --grad "softmax(z, 2) - p" --shape z=BxK --shape p=BxK --domain p=simplex`, 'softmax cross-entropy')
      .example(`$0 check --question hw3/tanh-mlp-ce.yaml --target dW2 --grad "H' * (P - onehot(c, K)) / N"`, "one answer to a question file's target") as unknown as Argv<CheckArgs>,
  handler: (args) => runCommand(() => check(args)),
};
