/**
 * From a request to what the library checks: the problem, the target and the compiled claim, or the
 * field whose input is wrong. Uses the same library calls as `derivcheck check` (src/cli/commands/
 * check.ts) and `derivcheck grade` (src/grade/answer.ts).
 */
import { DeclarationError, FormulaError } from '../../src/formula/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { formulaLatex } from '../../src/grade/report/latex.js';
import { adHocProblem } from '../../src/question/adhoc.js';
import { type Claim, compileClaim } from '../../src/problem/claim.js';
import type { FindingReason } from '../../src/problem/finding.js';
import { reasonOfError } from '../../src/problem/judge.js';
import { UnknownNameError, findProblem, findTarget } from '../../src/problem/registry.js';
import { declarationsOf } from '../../src/problem/shapes.js';
import { SpecError, parseInputSpecs, parseLetSpec } from '../../src/problem/specs.js';
import type { Problem, Target } from '../../src/problem/types.js';
import type { CheckRequest, LossRequest, Reading } from './protocol.js';
import type { Field, FieldError } from './result-view.js';

/** Bad input in one field of the page, with the Finding's reason; the engine turns it into an 'invalid' Finding. */
export class InvalidFieldError extends Error {
  constructor(
    readonly error: FieldError,
    readonly reason: FindingReason,
  ) {
    super(error.message);
  }
}

/**
 * A library error as the bad input of `field`. Formula errors have their reason (judge.ts); an unknown
 * problem or target is 'unknown-target'; a malformed spec (SpecError) or let name is 'syntax'.
 */
export function fieldError(field: Field, err: Error): InvalidFieldError {
  if (!(err instanceof FormulaError)) {
    return new InvalidFieldError({ field, message: err.message, described: err.message }, err instanceof UnknownNameError ? 'unknown-target' : 'syntax');
  }
  const span = err.position ? { span: { start: err.position.offset, end: err.position.end } } : {};
  return new InvalidFieldError({ field, message: err.message, described: err.describe(), ...span }, reasonOfError(err));
}

/** The field a CLI option's error is about: --shape → shape, --wrt → wrt, ... */
const OPTION_FIELDS: Readonly<Record<string, Field>> = { '--shape': 'shape', '--dims': 'dims', '--domain': 'domain', '--wrt': 'wrt', '--let': 'lets' };

/** The ad hoc problem of a loss request, as `check` makes it; its errors name the field they are about. */
function lossTarget(request: LossRequest): { problem: Problem; target: Target } {
  try {
    const specs = parseInputSpecs(request);
    const lets = request.lets.map(parseLetSpec);
    return adHocProblem({ loss: request.loss, wrt: request.wrt, grad: request.grad, gradSyntax: request.syntax, ...specs, lets });
  } catch (err) {
    if (err instanceof SpecError) throw fieldError(OPTION_FIELDS[err.argument] ?? 'shape', err);
    if (!(err instanceof FormulaError)) throw err;
    // Declarations are the shapes'; errors about an option name it first (--wrt W is not a declared input); the rest are the loss's.
    const option = /^--[a-z]+/.exec(err.message)?.[0];
    const field = err instanceof DeclarationError ? 'shape' : option ? OPTION_FIELDS[option] : err.source === undefined || err.source === request.loss ? 'loss' : 'shape';
    throw fieldError(field ?? 'loss', err);
  }
}

/** The problem and target a request is about. */
export function targetOf(request: CheckRequest, problems: readonly Problem[]): { problem: Problem; target: Target } {
  if (request.kind === 'loss') return lossTarget(request);
  try {
    const problem = findProblem(problems, request.problem);
    return { problem, target: findTarget(problem, request.target) };
  } catch (err) {
    if (err instanceof UnknownNameError) throw fieldError(err.kind, err);
    throw err;
  }
}

/** The claimed gradient compiled against the target (syntax, names and shape checked). */
function claimOf(problem: Problem, target: Target, request: CheckRequest): Claim {
  try {
    return compileClaim(problem, target, request.grad, request.syntax);
  } catch (err) {
    if (err instanceof FormulaError) throw fieldError('grad', err);
    throw err;
  }
}

/**
 * How the engine reads the claimed gradient, for the live preview: its reading (also when only its
 * shape is wrong, so the preview shows what was understood) and the first error, with its position.
 */
export function readClaim(request: CheckRequest, problems: readonly Problem[]): Reading {
  let problem: Problem;
  let target: Target;
  try {
    ({ problem, target } = targetOf(request, problems));
  } catch (err) {
    if (err instanceof InvalidFieldError) return { error: err.error };
    throw err;
  }
  try {
    const readAs = claimOf(problem, target, request).readAs;
    return { readAs, latex: formulaLatex(readAs) };
  } catch (err) {
    if (!(err instanceof InvalidFieldError)) throw err;
    return { ...parsedReading(request, problem), error: err.error };
  }
}

/** The gradient's reading when it parses, whatever its shapes. */
function parsedReading(request: CheckRequest, problem: Problem): { readAs?: string; latex?: string } {
  try {
    const readAs = parseFormula(request.grad, { syntax: request.syntax, declarations: declarationsOf(problem) }).readAs;
    return { readAs, latex: formulaLatex(readAs) };
  } catch (err) {
    if (err instanceof FormulaError) return {};
    throw err;
  }
}
