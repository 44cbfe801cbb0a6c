/**
 * Engine results, confirmed by numbers before anything uses them. A derivative is compared with the
 * FD engine's Richardson estimates (src/fd) at seeded points, a simplification or expansion with its
 * input at seeded points (spot-check.ts), a root by substituting it back. A result the numbers contradict
 * is dropped and reported as an engine error with the point that shows it.
 */
import { compareWithFd } from './derivative-check.js';
import type { DerivativeEngine, Expander, Simplifier, Solver } from './engines.js';
import type { ScalarExpression } from './expression.js';
import { SymbolicArgumentError } from './errors.js';
import type { VariableSpace } from './space.js';
import { type PointEvidence, type PointLabels, SPOT_CHECK_POINTS, SPOT_CHECK_RELATIVE_TOLERANCE, describePoint, spotCheck } from './spot-check.js';

export type EngineErrorKind =
  /** The numbers contradict the engine's result at `evidence.point`. */
  | 'contradicted'
  /** The engine threw, or returned something outside the leg's allow-list. */
  | 'failed'
  /** The numbers could not confirm the result (undefined at most points, FD unresolved). */
  | 'unconfirmed';

/** An engine result that was not used, and why. Reported, never thrown. */
export interface EngineErrorReport {
  readonly engine: string;
  readonly kind: EngineErrorKind;
  /** What was asked: 'd/dz1', 'simplify', 'solve for w', 'expand'. */
  readonly operation: string;
  readonly input: string;
  readonly output: string | null;
  /** For 'contradicted': reference = what the numbers say (FD estimate, the input's value), claim = the engine's result. */
  readonly evidence: PointEvidence | null;
  readonly message: string;
}

/** A confirmed result, or the engine error that replaced it (value null); both null when an engine had nothing to offer. */
export interface Checked<T> {
  readonly value: T | null;
  readonly error: EngineErrorReport | null;
}

/** How the two sides of a contradiction are named, per kind of operation. */
const DERIVATIVE_LABELS: PointLabels = { reference: 'FD estimate', claim: 'engine derivative' };
const REWRITE_LABELS: PointLabels = { reference: 'input', claim: 'engine output' };
const ROOT_LABELS: PointLabels = { reference: 'required', claim: 'value at the root' };

function failure<T>(engine: string, kind: EngineErrorKind, operation: string, input: ScalarExpression, output: string | null, evidence: PointEvidence | null, detail: string, labels = REWRITE_LABELS): Checked<T> {
  const message = `${engine} (${operation}) ${kind === 'contradicted' ? `is contradicted by the numbers at ${describePoint(evidence!, labels)}` : detail}`;
  return { value: null, error: { engine, kind, operation, input: input.text, output, evidence, message } };
}

function attempt<T>(run: () => T): { value: T } | { thrown: string } {
  try {
    return { value: run() };
  } catch (error) {
    return { thrown: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * ∂forward/∂wrt from the engine, confirmed against FD (derivative-check.ts) at seeded points of `space`,
 * with every variable free: derivatives are taken before side conditions apply.
 */
export function checkedDerivative(forward: ScalarExpression, wrt: string, engine: DerivativeEngine, space: VariableSpace, seed: number, points = SPOT_CHECK_POINTS): Checked<ScalarExpression> {
  const operation = `d/d${wrt}`;
  const result = attempt(() => engine.differentiate(forward, wrt));
  if ('thrown' in result) return failure(engine.name, 'failed', operation, forward, null, null, `threw ${result.thrown}`);
  const check = compareWithFd(forward, wrt, result.value, space, seed, points);
  if (check.outcome === 'differ') return failure(engine.name, 'contradicted', operation, forward, result.value.text, check.counterexample, '', DERIVATIVE_LABELS);
  if (check.outcome === 'undefined') return failure(engine.name, 'unconfirmed', operation, forward, result.value.text, null, `could be confirmed by FD at only ${check.points} of ${points} points`);
  return { value: result.value, error: null };
}

/** A simplifier's output, confirmed equal to its input at seeded points; value and error both null when it offered nothing. */
export function checkedSimplification(expression: ScalarExpression, simplifier: Simplifier, space: VariableSpace, seed: number, points = SPOT_CHECK_POINTS): Checked<ScalarExpression> {
  const result = attempt(() => simplifier.simplify(expression));
  if ('thrown' in result) return failure(simplifier.name, 'failed', 'simplify', expression, null, null, `threw ${result.thrown}`);
  if (result.value === null) return { value: null, error: null };
  return confirmEqual(expression, result.value, simplifier.name, 'simplify', space, seed, points);
}

/** An expander's output, confirmed equal to its input at seeded points. */
export function checkedExpansion(expression: ScalarExpression, expander: Expander, space: VariableSpace, seed: number, points = SPOT_CHECK_POINTS): Checked<ScalarExpression> {
  const result = attempt(() => expander.expand(expression));
  if ('thrown' in result) return failure(expander.name, 'failed', 'expand', expression, null, null, `threw ${result.thrown}`);
  return confirmEqual(expression, result.value, expander.name, 'expand', space, seed, points);
}

function confirmEqual(input: ScalarExpression, output: ScalarExpression, engine: string, operation: string, space: VariableSpace, seed: number, points: number): Checked<ScalarExpression> {
  const check = spotCheck(input, output, space, seed, points);
  if (check.outcome === 'differ') return failure(engine, 'contradicted', operation, input, output.text, check.counterexample, '');
  if (check.outcome === 'undefined') return failure(engine, 'unconfirmed', operation, input, output.text, null, `could not be compared: both sides are undefined at ${check.skipped} draws`);
  return { value: output, error: null };
}

/** One root, with the value of the equation's left side there. */
export interface CheckedRoot {
  readonly root: ScalarExpression;
  readonly value: number;
  readonly residual: number;
}

/**
 * Roots of expression = 0 in its only variable, each confirmed by substitution: |expression(root)| within
 * the spot-check tolerance of the evaluation's scale. The first root that fails replaces the result.
 */
export function checkedRoots(expression: ScalarExpression, unknown: string, solver: Solver): Checked<readonly CheckedRoot[]> {
  if (expression.variables.length !== 1 || expression.variables[0] !== unknown) {
    throw new SymbolicArgumentError('checkedRoots', `the equation is over (${expression.variables.join(', ')}), not over ${unknown} alone`, 'fix every other variable first (ScalarExpression.at)');
  }
  const operation = `solve for ${unknown}`;
  const result = attempt(() => solver.solve(expression, unknown));
  if ('thrown' in result) return failure(solver.name, 'failed', operation, expression, null, null, `threw ${result.thrown}`);
  const roots: CheckedRoot[] = [];
  for (const root of result.value) {
    const value = root.evaluate([]);
    const magnitude = { max: 1 };
    const residual = expression.evaluateTracked([value], magnitude);
    const tolerance = SPOT_CHECK_RELATIVE_TOLERANCE * magnitude.max;
    if (!(Math.abs(residual) <= tolerance)) {
      const evidence = { point: { [unknown]: value }, reference: 0, claim: residual, difference: -residual, tolerance };
      return failure(solver.name, 'contradicted', operation, expression, result.value.map(String).join(', '), evidence, '', ROOT_LABELS);
    }
    roots.push({ root, value, residual });
  }
  return { value: roots, error: null };
}
