import type { Argv, CommandModule } from 'yargs';
import { FormulaError } from '../../formula/errors.js';
import { UsageError } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface CheckArgs extends CommonOptions {
  let: string[];
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
  if (!Number.isInteger(args.runs) || args.runs < 1) {
    throw new UsageError('--runs', `'${args.runs}' is not a positive integer`, 'the number of random samples', '--runs 100');
  }
  if (args.shape.length === 0) throw new UsageError('--shape', 'no input is declared', 'one --shape NAME=DIMS per input of the loss', '--shape X=NxD --shape w=Dx1');
  const [{ parseShapeSpec, parseDimRanges, parseDomainSpec, parseLetSpec }, problem, { adHocProblem }, output, { checkJson, renderCheckText }] = await Promise.all([
    import('../specs.js'),
    import('../../problem/index.js'),
    import('../../question/index.js'),
    import('../output.js'),
    import('../check-report.js'),
  ]);
  const shapes = args.shape.map(parseShapeSpec);
  const domains = args.domain.map(parseDomainSpec);
  for (const [name] of domains) {
    if (!shapes.some(([input]) => input === name)) throw new UsageError('--domain', `${name} has no --shape`, 'a domain for a declared input', `--shape ${name}=NxK --domain ${name}=simplex`);
  }
  const seed = output.resolveSeed(args.seed);
  const { problem: adHoc, target } = adHocProblem({
    loss: args.loss,
    wrt: args.wrt,
    grad: args.grad,
    gradSyntax: args.latex ? 'latex' : 'formula',
    shapes,
    lets: args.let.map(parseLetSpec),
    dimRanges: Object.entries(parseDimRanges(args.dims)),
    domains,
  });
  let claim;
  try {
    claim = problem.compileClaim(adHoc, target, args.grad, args.latex ? 'latex' : 'formula');
  } catch (err) {
    // The claimed gradient is what is being checked: a malformed one is an 'invalid' verdict, not bad usage.
    if (!(err instanceof FormulaError)) throw err;
    const invalid = { verdict: 'invalid', seed, runs: 0, worst: [], message: err.message };
    if (args.json) output.printJson(invalid);
    else process.stdout.write(`${output.colors.red('✗ invalid')}: ${err.describe()}\n`);
    return 1;
  }
  const found = problem.searchCounterexample(adHoc, target, claim, args.runs, seed);
  const result = { target: target.name, readAs: claim.readAs, seed, found };
  if (args.json) output.printJson(checkJson(result));
  else renderCheckText(result, args.quiet);
  return problem.searchStatus(found) === 'pass' ? 0 : 1;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Check a claimed gradient of any loss expression, on random shapes and inputs',
  builder: (y) =>
    y
      .option('let', { type: 'string', array: true, default: [], describe: 'NAME=FORMULA: a named intermediate, in order; the loss, --grad and later --let may use it' })
      .option('loss', { type: 'string', demandOption: true, describe: 'The scalar loss, a formula over the declared inputs and --let names' })
      .option('wrt', { type: 'string', demandOption: true, describe: 'The input (or --let name) to differentiate with respect to' })
      .option('grad', { type: 'string', demandOption: true, describe: 'The claimed gradient (formula language; LaTeX with --latex)' })
      .option('latex', { type: 'boolean', default: false, describe: '--grad is LaTeX' })
      .option('shape', { type: 'string', array: true, default: [], describe: 'NAME=DIMS for every input: X=4x3, X=NxD, s=scalar' })
      .option('dims', { type: 'string', array: true, default: [], describe: 'Size ranges of named dimensions: N=1..8,D=2..5 (default: distinct sizes in 2..6)' })
      .option('domain', { type: 'string', array: true, default: [], describe: 'NAME=normal|positive|awayFromZero|simplex|labels:K|uniform:LO:HI (default normal)' })
      .option('runs', { type: 'number', default: 100, describe: 'Random samples (shapes and inputs)' })
      .example(`$0 check --loss "0.5*sum((X*W - T).^2)" --wrt W --grad "X' * (X*W - T)" --shape X=NxD --shape W=DxM --shape T=NxM`, 'least squares')
      .example(`$0 check --let "H=tanh(X*W)" --loss "sum(H .* G)" --wrt W --grad "X' * ((1 - H.^2) .* G)" --shape X=NxD --shape W=DxM --shape G=NxM`, 'a named intermediate')
      .example(`$0 check --loss "-sum(p .* log(softmax(z, 2)))" --wrt z --grad "softmax(z, 2) - p" --shape z=BxK --shape p=BxK --domain p=simplex`, 'softmax cross-entropy') as unknown as Argv<CheckArgs>,
  handler: (args) => runCommand(() => check(args)),
};
