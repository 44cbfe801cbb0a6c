import type { Argv, CommandModule } from 'yargs';
import { FormulaError } from '../../formula/errors.js';
import type { Claim } from '../../problem/claim.js';
import { UsageError } from '../exit.js';
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
  requireInRange('--runs', args.runs, RUNS_RANGE);
  if (args.shape.length === 0) throw new UsageError('--shape', 'no input is declared', 'one --shape NAME=DIMS per input of the loss', '--shape X=NxD --shape w=Dx1');
  const [{ parseShapeSpec, parseDimRanges, parseDomainSpec, namedOptions }, problem, output, { checkJson, renderCheckText }] = await Promise.all([
    import('../specs.js'),
    import('../../problem/index.js'),
    import('../output.js'),
    import('../check-report.js'),
  ]);
  const shapes = namedOptions('--shape', args.shape.map(parseShapeSpec), '--shape X=NxD --shape w=Dx1');
  const domains = namedOptions('--domain', args.domain.map(parseDomainSpec), '--domain p=simplex');
  const seed = output.resolveSeed(args.seed);
  const { problem: adHoc, target, notices } = problem.adHocProblem({
    loss: args.loss,
    wrt: args.wrt,
    grad: args.grad,
    gradSyntax: args.latex ? 'latex' : 'formula',
    shapes,
    dimRanges: parseDimRanges(args.dims),
    domains,
  });
  for (const notice of notices) process.stderr.write(`derivcheck: note: ${notice}\n`);
  // The claimed gradient is what is being checked: one that is malformed, or that fails when it runs
  // (over a limit, a value error), is an 'invalid' verdict, not bad usage.
  const invalid = (err: FormulaError, readAs?: string): number => {
    if (args.json) output.printJson({ verdict: 'invalid', ...(readAs !== undefined ? { readAs } : {}), seed, runs: 0, worst: [], message: err.message });
    else process.stdout.write(`${output.colors.red('✗ invalid')}: ${err.describe()}\n`);
    return 1;
  };
  let claim;
  try {
    claim = problem.compileClaim(adHoc, target, args.grad, args.latex ? 'latex' : 'formula');
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
    return invalid(err);
  }
  const guarded = firstErrorKept(claim);
  let found;
  try {
    found = problem.searchCounterexample(adHoc, target, guarded.claim, args.runs, seed);
  } catch (err) {
    // Only the claim's own error is its verdict; one of the loss is bad usage (exit 2).
    const claimError = guarded.error();
    if (claimError === undefined || err !== claimError) throw err;
    return invalid(claimError, claim.readAs);
  }
  const result = { target: target.name, readAs: claim.readAs, seed, found };
  if (args.json) output.printJson(checkJson(result));
  else renderCheckText(result, args.quiet);
  return problem.searchStatus(found) === 'pass' ? 0 : 1;
}

/**
 * The claim, keeping its first evaluation error: fast-check shrinks a sample whose evaluation threw,
 * and would re-run a formula that ran out of time at every step; after the first error, every
 * evaluation throws it again at once.
 */
function firstErrorKept(claim: Claim): { readonly claim: Claim; readonly error: () => FormulaError | undefined } {
  let error: FormulaError | undefined;
  const evaluate: Claim['evaluate'] = (values, dims) => {
    if (error) throw error;
    try {
      return claim.evaluate(values, dims);
    } catch (err) {
      if (err instanceof FormulaError) error = err;
      throw err;
    }
  };
  return { claim: { ...claim, evaluate }, error: () => error };
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
      .option('domain', { type: 'string', array: true, default: [], describe: 'NAME=normal|positive|awayFromZero|simplex|labels:K|uniform:LO:HI (default normal)' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs)' })
      .example(`$0 check --loss "0.5*sum((X*W - T).^2)" --wrt W --grad "X' * (X*W - T)" --shape X=NxD --shape W=DxM --shape T=NxM`, 'least squares')
      .example(`$0 check --loss "-sum(p .* log(softmax(z, 2)))" --wrt z --grad "softmax(z, 2) - p" --shape z=BxK --shape p=BxK --domain p=simplex`, 'softmax cross-entropy') as unknown as Argv<CheckArgs>,
  handler: (args) => runCommand(() => check(args)),
};
