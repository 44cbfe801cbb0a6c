/**
 * Proof obligations: the statements a symbolic fact is made of, each decided by the engines and confirmed
 * by numbers. A derivative obligation differentiates a forward expression (mathjs, checked against FD)
 * and compares the result with a claimed closed form; an identity compares two given expressions; a root
 * obligation solves ∂f/∂v(at a point) = c for an unknown (nerdamer, checked by substitution).
 * An obligation may be expected to fail: "softmax − p is not the gradient unless Σ p = 1" is met when the
 * claim is refuted with a point.
 */
import { type EngineErrorReport, checkedDerivative, checkedExpansion, checkedRoots, checkedSimplification } from './checked.js';
import { entryBudget } from '../fd/verdict.js';
import { compareWithFd, fdEstimateAt } from './derivative-check.js';
import { type SymbolicEngines, defaultEngines } from './engines.js';
import { SymbolicArgumentError } from './errors.js';
import { type EquivalenceReport, type SymbolicStatus, decideEquivalence, decideEquivalenceOf, residueOf } from './equivalence.js';
import { ScalarExpression } from './expression.js';
import { type DerivationStep, derivationStep } from './latex.js';
import { rationalNormalForm } from './rational.js';
import { VariableSpace, type VariableSpaceSpec } from './space.js';
import { type PointEvidence, SPOT_CHECK_POINTS, SPOT_CHECK_RELATIVE_TOLERANCE, describePoint } from './spot-check.js';

/** Whether the claim is expected to hold (proven) or to fail (refuted with a point). */
export type Expectation = 'holds' | 'fails';

export interface ProveOptions {
  /** Seed of every random point (same seed, same report). */
  readonly seed?: number;
  /** Points per numeric check (default SPOT_CHECK_POINTS). */
  readonly points?: number;
  /** Engines to use (tests inject wrong ones). */
  readonly engines?: SymbolicEngines;
}

export interface ObligationReport {
  readonly name: string;
  readonly statement: string;
  readonly expect: Expectation;
  /** Of the claim: proven equal, refuted (with a point), or undecided symbolically. */
  readonly status: SymbolicStatus;
  /** The status is the expected one: proven for 'holds', refuted for 'fails'. */
  readonly met: boolean;
  /** The answer whichever path gave it; null when the numbers could not tell either. */
  readonly equivalent: boolean | null;
  readonly decidedBy: 'symbolic' | 'numeric';
  /** One line: what decided, with the point when the claim is refuted. */
  readonly summary: string;
  readonly counterexample: PointEvidence | null;
  readonly engineErrors: readonly EngineErrorReport[];
  readonly steps: readonly DerivationStep[];
}

/** ∂forward/∂wrt = claim on the space (its conditions applied after differentiating). */
export interface DerivativeClaim {
  readonly kind: 'derivative';
  readonly name: string;
  readonly statement: string;
  readonly forward: string;
  readonly wrt: string;
  readonly claim: string;
  readonly space: VariableSpaceSpec;
  readonly expect?: Expectation;
}

/** reference = claim on the space. */
export interface IdentityClaim {
  readonly kind: 'identity';
  readonly name: string;
  readonly statement: string;
  readonly reference: string;
  readonly claim: string;
  readonly space: VariableSpaceSpec;
  readonly expect?: Expectation;
}

/** ∂forward/∂wrt, at the point `at` (every variable but `unknown` fixed), equals `equals` exactly when unknown = claim. */
export interface RootClaim {
  readonly kind: 'root';
  readonly name: string;
  readonly statement: string;
  readonly forward: string;
  readonly wrt: string;
  readonly space: VariableSpaceSpec;
  readonly at: Readonly<Record<string, number>>;
  readonly equals: number;
  readonly unknown: string;
  readonly claim: string;
  readonly expect?: Expectation;
}

export type SymbolicClaim = DerivativeClaim | IdentityClaim | RootClaim;

/** Decides one claim with the prover of its kind. */
export function proveClaim(c: SymbolicClaim, options: ProveOptions = {}): ObligationReport {
  switch (c.kind) {
    case 'derivative':
      return proveDerivative(c, options);
    case 'identity':
      return proveIdentity(c, options);
    case 'root':
      return proveRoot(c, options);
  }
}

interface Settled {
  readonly status: SymbolicStatus;
  readonly equivalent: boolean | null;
  readonly decidedBy: 'symbolic' | 'numeric';
  readonly counterexample: PointEvidence | null;
  readonly detail: string;
}

function report(claim: { name: string; statement: string; expect?: Expectation }, settled: Settled, engineErrors: readonly EngineErrorReport[], steps: readonly DerivationStep[]): ObligationReport {
  const expect = claim.expect ?? 'holds';
  const met = settled.status === (expect === 'holds' ? 'proven' : 'refuted');
  const errors = engineErrors.length > 0 ? ` [engine error: ${engineErrors.map((e) => e.message).join('; ')}]` : '';
  return {
    name: claim.name,
    statement: claim.statement,
    expect,
    status: settled.status,
    met,
    equivalent: settled.equivalent,
    decidedBy: settled.decidedBy,
    summary: `${settled.status}: ${settled.detail}${errors}`,
    counterexample: settled.counterexample,
    engineErrors,
    steps,
  };
}

function settledByEquivalence(e: EquivalenceReport): Settled {
  const points = `${e.numeric.points} points`;
  const detail =
    e.status === 'proven'
      ? `${e.simplifiedBy} reduces reference − claim to 0; equal at ${points}`
      : e.equivalent === true
        ? `no engine reduced reference − claim to 0; equal at ${points} (decided numerically)`
        : e.equivalent === false
          ? `differs at ${describePoint(e.counterexample!)} (decided numerically)`
          : `the expressions are undefined at most points (${e.numeric.skipped} draws skipped)`;
  return { status: e.status, equivalent: e.equivalent, decidedBy: e.decidedBy, counterexample: e.counterexample, detail };
}

export function proveIdentity(c: IdentityClaim, options: ProveOptions = {}): ObligationReport {
  const e = decideEquivalenceOf(c.reference, c.claim, c.space, options);
  return report(c, settledByEquivalence(e), e.engineErrors, e.steps);
}

/**
 * ∂forward/∂wrt from the derivative engine (confirmed against FD), cleaned up by the tidy simplifier
 * (confirmed at points; the raw derivative is kept when the clean-up is not). Null value when the
 * engine's derivative is unusable.
 */
function differentiate(forward: ScalarExpression, wrt: string, engines: SymbolicEngines, space: VariableSpace, seed: number, points: number): { value: ScalarExpression | null; engine: string; errors: EngineErrorReport[] } {
  const derivative = checkedDerivative(forward, wrt, engines.derivative, space, seed, points);
  if (!derivative.value) return { value: null, engine: engines.derivative.name, errors: [derivative.error!] };
  const tidy = checkedSimplification(derivative.value, engines.tidy, space, seed, points);
  if (!tidy.value) return { value: derivative.value, engine: engines.derivative.name, errors: tidy.error ? [tidy.error] : [] };
  return { value: tidy.value, engine: `${engines.derivative.name}, then ${engines.tidy.name}`, errors: [] };
}

/**
 * Differentiates the forward expression (engine result confirmed against FD), then decides whether the
 * derivative equals the claim. If the engine's derivative is unusable, the claim itself is compared with
 * FD: the numeric leg decides and the symbolic status is undecided.
 */
export function proveDerivative(c: DerivativeClaim, options: ProveOptions = {}): ObligationReport {
  const { seed = 0, points = SPOT_CHECK_POINTS, engines = defaultEngines } = options;
  const space = new VariableSpace(c.space);
  const forward = ScalarExpression.parse(c.forward, space.variables);
  const claim = ScalarExpression.parse(c.claim, space.variables);
  const derivative = differentiate(forward, c.wrt, engines, space.withoutConditions(), seed, points);
  const forwardStep = derivationStep('forward', forward);
  if (!derivative.value) {
    const fd = compareWithFd(forward, c.wrt, claim, space, seed, points);
    const detail =
      fd.outcome === 'agree'
        ? `the claim agrees with FD at ${fd.points} points (decided numerically)`
        : fd.outcome === 'differ'
          ? `the claim differs from FD at ${describePoint(fd.counterexample!, { reference: 'FD estimate', claim: 'claim' })} (decided numerically)`
          : 'FD could not resolve the derivative at most points';
    const equivalent = fd.outcome === 'agree' ? true : fd.outcome === 'differ' ? false : null;
    return report(c, { status: 'undecided', equivalent, decidedBy: 'numeric', counterexample: fd.counterexample, detail }, derivative.errors, [forwardStep, derivationStep('claim', claim)]);
  }
  const e = decideEquivalence(derivative.value, claim, space, options);
  const steps = [forwardStep, derivationStep(`d/d${c.wrt}`, derivative.value, derivative.engine), ...e.steps.slice(1)];
  return report(c, settledByEquivalence(e), [...derivative.errors, ...e.engineErrors], steps);
}

/**
 * Solves ∂forward/∂wrt(at) = equals for the unknown: derivative (checked against FD), substitution of
 * `at`, simplification and expansion (each checked at points), solve (each root checked by
 * substitution). Proven when the equation has exactly one root and it equals the claim exactly (its
 * rational normal form); refuted when the claim is not a root (the equation's value there is the evidence).
 */
export function proveRoot(c: RootClaim, options: ProveOptions = {}): ObligationReport {
  const { seed = 0, points = SPOT_CHECK_POINTS, engines = defaultEngines } = options;
  const space = new VariableSpace(c.space);
  const forward = ScalarExpression.parse(c.forward, space.variables);
  const claim = ScalarExpression.parse(c.claim, []);
  const claimValue = claim.evaluate([]);
  const unfixed = space.variables.filter((v) => v !== c.unknown && c.at[v] === undefined);
  if (unfixed.length > 0) {
    throw new SymbolicArgumentError(`root obligation '${c.name}'`, `${unfixed.join(', ')} ${unfixed.length === 1 ? 'is' : 'are'} neither the unknown nor fixed by 'at'`, 'fix every variable but the unknown');
  }
  const errors: EngineErrorReport[] = [];
  const steps: DerivationStep[] = [derivationStep('forward', forward)];
  const derivative = differentiate(forward, c.wrt, engines, space.withoutConditions(), seed, points);
  errors.push(...derivative.errors);
  const unknownSpace = new VariableSpace({ variables: [c.unknown], ...(c.space.domains?.[c.unknown] ? { domains: { [c.unknown]: c.space.domains[c.unknown]! } } : {}) });
  if (!derivative.value) {
    const atClaim = leftSideAtClaim(c, forward, claimValue, null);
    return report(c, { status: 'undecided', equivalent: atClaim.holds ? null : false, decidedBy: 'numeric', counterexample: atClaim.counterexample, detail: atClaim.detail }, errors, steps);
  }
  steps.push(derivationStep(`d/d${c.wrt}`, derivative.value, derivative.engine));

  let lhs = derivative.value.at(c.at, [c.unknown]);
  steps.push(derivationStep(`at ${Object.entries(c.at).map(([k, v]) => `${k} = ${v}`).join(', ')}`, lhs));
  for (const simplifier of engines.simplifiers) {
    const simplified = checkedSimplification(lhs, simplifier, unknownSpace, seed, points);
    if (simplified.error) errors.push(simplified.error);
    if (simplified.value && !simplified.value.isZero()) {
      lhs = simplified.value;
      steps.push(derivationStep('simplified', lhs, simplifier.name));
      break;
    }
  }
  let equation = residueOf(lhs, ScalarExpression.parse(String(c.equals), [c.unknown]));
  const expanded = checkedExpansion(equation, engines.expander, unknownSpace, seed, points);
  if (expanded.error) errors.push(expanded.error);
  if (expanded.value) equation = expanded.value;
  steps.push(derivationStep('equation (= 0)', equation, expanded.value ? engines.expander.name : undefined));

  const atClaim = leftSideAtClaim(c, forward, claimValue, lhs);
  const roots = checkedRoots(equation, c.unknown, engines.solver);
  if (!roots.value) {
    return report(c, { status: 'undecided', equivalent: atClaim.holds ? null : false, decidedBy: 'numeric', counterexample: atClaim.counterexample, detail: atClaim.detail }, [...errors, roots.error!], steps);
  }
  for (const r of roots.value) steps.push(derivationStep('root', r.root, engines.solver.name));
  const list = roots.value.map((r) => r.root.text).join(', ') || 'none found';
  if (roots.value.length === 1 && rationalNormalForm(residueOf(roots.value[0]!.root, claim))?.isZero() === true) {
    const detail = `${engines.solver.name} finds the single root ${c.unknown} = ${list}, confirmed by substitution`;
    return report(c, { status: 'proven', equivalent: true, decidedBy: 'symbolic', counterexample: null, detail }, errors, steps);
  }
  if (!atClaim.holds) {
    const detail = `the roots are ${c.unknown} = ${list}; ${atClaim.detail}`;
    return report(c, { status: 'refuted', equivalent: false, decidedBy: 'numeric', counterexample: atClaim.counterexample, detail }, errors, steps);
  }
  // The claim satisfies the equation but is not established as its only root: an approximate root, one of several, or none found.
  const detail = `the roots are ${c.unknown} = ${list}; the claim satisfies the equation numerically but is not established as its single exact root`;
  return report(c, { status: 'undecided', equivalent: roots.value.length > 1 ? null : true, decidedBy: 'numeric', counterexample: null, detail }, errors, steps);
}

/**
 * The numeric leg of a root obligation: the equation's left side at unknown = claim, from the confirmed
 * derivative when there is one (spot-check tolerance), else from FD (the FD verdict's budget). Says
 * whether the claim is a root, not whether it is the only one.
 */
function leftSideAtClaim(c: RootClaim, forward: ScalarExpression, claimValue: number, lhs: ScalarExpression | null): { holds: boolean; counterexample: PointEvidence | null; detail: string } {
  let value: number;
  let tolerance: number;
  if (lhs) {
    const magnitude = { max: Math.max(1, Math.abs(c.equals)) };
    value = lhs.evaluateTracked([claimValue], magnitude);
    tolerance = SPOT_CHECK_RELATIVE_TOLERANCE * magnitude.max;
  } else {
    const estimate = fdEstimateAt(forward, c.wrt, forward.variables.map((v) => (v === c.unknown ? claimValue : c.at[v]!)));
    value = estimate.value[0]!;
    tolerance = entryBudget(estimate.error[0]!, c.equals, value);
  }
  const holds = Math.abs(value - c.equals) <= tolerance;
  return {
    holds,
    counterexample: holds ? null : { point: { [c.unknown]: claimValue }, reference: c.equals, claim: value, difference: c.equals - value, tolerance },
    detail: holds ? `${c.unknown} = ${claimValue} satisfies the equation numerically` : `at ${c.unknown} = ${claimValue} the left side is ${value}, not ${c.equals} (decided numerically)`,
  };
}
