/**
 * Is a claimed scalar expression equal to the reference? Symbolically when an engine reduces
 * (reference − claim), with the side conditions substituted, to exactly 0 and the numbers agree;
 * otherwise the numbers at seeded points settle it, and the report says which path decided.
 *
 *   engine gives 0, numbers agree        → 'proven'     (decided symbolically)
 *   no engine gives 0, numbers differ    → 'refuted'    (decided numerically, with the point)
 *   no engine gives 0, numbers agree     → 'undecided'  (equal at every point: decided numerically)
 *   an engine gives 0, numbers differ    → 'undecided', with an engine error at the point; not equal, decided numerically
 */
import { mathjs } from './mathjs.js';
import { type EngineErrorReport, checkedSimplification } from './checked.js';
import { type SymbolicEngines, defaultEngines } from './engines.js';
import { ScalarExpression } from './expression.js';
import { type DerivationStep, derivationStep } from './latex.js';
import { VariableSpace, type VariableSpaceSpec } from './space.js';
import { type PointEvidence, type SpotCheck, SPOT_CHECK_POINTS, spotCheck } from './spot-check.js';

/** What the symbolic leg concluded: proven (engine 0 confirmed by numbers), refuted (numbers differ, with a point), or neither. */
export type SymbolicStatus = 'proven' | 'refuted' | 'undecided';

export interface EquivalenceOptions {
  readonly seed?: number;
  readonly points?: number;
  readonly engines?: SymbolicEngines;
}

export interface EquivalenceReport {
  readonly status: SymbolicStatus;
  /** The answer: equal or not; null when even the numbers cannot tell (undefined at most points). */
  readonly equivalent: boolean | null;
  readonly decidedBy: 'symbolic' | 'numeric';
  readonly reference: string;
  readonly claim: string;
  /** reference − claim after the conditions, as far as a confirmed simplification took it ('0' when proven). */
  readonly residue: string;
  /** The engine whose confirmed 0 decided, when proven. */
  readonly simplifiedBy: string | null;
  readonly numeric: SpotCheck;
  readonly counterexample: PointEvidence | null;
  readonly engineErrors: readonly EngineErrorReport[];
  readonly steps: readonly DerivationStep[];
}

/** reference − claim as one expression (both sides parenthesised). */
export function residueOf(reference: ScalarExpression, claim: ScalarExpression): ScalarExpression {
  const node = new mathjs.OperatorNode('-', 'subtract', [new mathjs.ParenthesisNode(reference.node), new mathjs.ParenthesisNode(claim.node)]);
  return ScalarExpression.fromNode(node, reference.variables, 'the residue reference − claim');
}

/** Decides reference ≡ claim on `space` (its conditions applied). Both expressions must be over the space's variables. */
export function decideEquivalence(reference: ScalarExpression, claim: ScalarExpression, space: VariableSpace, options: EquivalenceOptions = {}): EquivalenceReport {
  const seed = options.seed ?? 0;
  const points = options.points ?? SPOT_CHECK_POINTS;
  const engines = options.engines ?? defaultEngines;
  const steps: DerivationStep[] = [derivationStep('reference', reference), derivationStep('claim', claim)];
  const residue = residueOf(space.condition(reference), space.condition(claim));
  steps.push(derivationStep(space.conditions.length > 0 ? `residue, given ${space.conditions.map((c) => c.statement).join(', ')}` : 'residue', residue));

  const numeric = spotCheck(reference, claim, space, seed, points);
  const engineErrors: EngineErrorReport[] = [];
  let shown = residue;
  let simplifiedBy: string | null = null;
  for (const simplifier of engines.simplifiers) {
    if (simplifier.expensive && numeric.outcome === 'differ') continue;
    const result = checkedSimplification(residue, simplifier, space, seed, points);
    if (result.error) engineErrors.push(result.error);
    if (!result.value) continue;
    shown = result.value;
    if (result.value.isZero()) {
      simplifiedBy = simplifier.name;
      break;
    }
  }
  steps.push(derivationStep(simplifiedBy ? 'reduced' : 'not reduced to 0', shown, simplifiedBy ?? undefined));

  const base = { reference: reference.text, claim: claim.text, residue: shown.text, simplifiedBy, numeric, engineErrors, steps };
  if (simplifiedBy && numeric.outcome === 'agree') return { ...base, status: 'proven', equivalent: true, decidedBy: 'symbolic', counterexample: null };
  if (numeric.outcome === 'differ') {
    // An engine whose 0 the numbers contradicted makes the symbolic side untrustworthy here: the claim is
    // unequal by the numbers alone, and the symbolic status stays undecided.
    const falseZero = engineErrors.some((e) => e.kind === 'contradicted' && e.output === '0');
    return { ...base, status: falseZero ? 'undecided' : 'refuted', equivalent: false, decidedBy: 'numeric', counterexample: numeric.counterexample };
  }
  return { ...base, status: 'undecided', equivalent: numeric.outcome === 'agree' ? true : null, decidedBy: 'numeric', counterexample: null };
}

/**
 * decideEquivalence on text: the reference and a submitted claim (scalar expressions in mathjs syntax that
 * src/formula has already validated, or a problem module's own text) are parsed through the leg's allow-list.
 */
export function decideEquivalenceOf(reference: string, claim: string, space: VariableSpaceSpec, options: EquivalenceOptions = {}): EquivalenceReport {
  const s = new VariableSpace(space);
  return decideEquivalence(ScalarExpression.parse(reference, s.variables), ScalarExpression.parse(claim, s.variables), s, options);
}
