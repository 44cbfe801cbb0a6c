/**
 * The one mistake namer, used by `check`, `eval`, `verify` and the grader. A wrong value A is compared,
 * at a few samples, with the FD ground truth T there (within each entry's error budget) and with the
 * values of the problem's known mistakes M. Tests, in order:
 *   1. A = M for a known mistake of the problem module           → that mistake's label and explanation;
 *   2. A = c·T with one c at every sample: c = −1               → sign; c = 0 → zero; c constant → factor c;
 *      c = k/d or k·d for the size d of a dimension that varies  → mean-vs-sum (a 1/N too many or too few);
 *      c = k·d^p, p = ±½ or ±2                                   → factor (a 1/√d scale missing or doubled);
 *   3. A = Tᵀ (last two axes, square)                            → transposed;
 *   4. A = T rotated by 180° in its last two axes                → kernel-not-flipped;
 *   5. A[i] = T[i + k·e_axis] wherever both exist, 0 < |k| ≤ 2    → index-shift by k;
 *   6. A and T hold the same values in other places               → permuted.
 * A name needs its relation at every naming sample (dims drawn to differ from the counterexample's),
 * so a coincidence at one small sample (N = 1 makes a mean a sum) cannot name a mistake.
 */
import type { FormulaFunction } from '../formula/compile.js';
import { FormulaError } from '../formula/errors.js';
import { entryBudget } from '../fd/verdict.js';
import { formatShape } from '../tensor/errors.js';
import { type Tensor, sameShape } from '../tensor/tensor.js';
import type { GroundTruth, SampleCase } from './check.js';
import { compileClaim, compileFreeFormula } from './claim.js';
import type { FindingMistake, MistakeSource } from './finding.js';
import { formatFactor } from './numbers.js';
import type { Dims, Mistake, MistakeName, Problem, Target } from './types.js';

/**
 * Two values agree when every entry differs by at most its FD budget plus this fraction of their
 * largest entry. Formulas are float64 evaluations of a few products, their round-off ≲ n·ε ≈ 1e-13 for
 * the sizes sampled (n ≤ 6³ terms), so 1e-8 leaves five orders of margin, while two different formulas
 * differ by O(1) of the scale at random inputs.
 */
export const VALUE_MATCH_TOLERANCE = 1e-8;

/** Two factors c found at different samples are the same when they agree to this relative tolerance. */
const FACTOR_MATCH_TOLERANCE = 1e-6;

/** Index shifts tried along each axis: ±1 (the usual off-by-one) and ±2 (a stride or a padding of 2). */
export const MAX_INDEX_SHIFT = 2;

/** Samples to name at: the counterexample, and others whose dims differ from it. */
export const NAMING_SAMPLES = 3;

/** A known mistake, compiled: against the target's shape when it has it, else free (a wrong-shape mistake). */
export interface KnownMistake {
  readonly mistake: Mistake;
  readonly evaluate: FormulaFunction;
  readonly fitsTarget: boolean;
}

function compileKnown(problem: Problem, target: Target, mistake: Mistake): KnownMistake | undefined {
  try {
    return { mistake, evaluate: compileClaim(problem, target, mistake.formula).evaluate, fitsTarget: true };
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
  }
  try {
    return { mistake, evaluate: compileFreeFormula(problem, target, mistake.formula, 'formula'), fitsTarget: false };
  } catch (err) {
    // A mistake that does not compile even freely (shapes that cannot multiply) names nothing by value.
    if (!(err instanceof FormulaError)) throw err;
    return undefined;
  }
}

/** The target's known mistakes, compiled once per target. */
export function compileKnownMistakes(problem: Problem, target: Target): KnownMistake[] {
  return target.mistakes.map((m) => compileKnown(problem, target, m)).filter((m): m is KnownMistake => m !== undefined);
}

/** What a name is decided on at one sample: the ground truth there and the answer's value. */
export interface NamingPoint {
  readonly dims: Dims;
  readonly truth: GroundTruth;
  readonly answer: Tensor;
}

/**
 * Samples to name at: the counterexample first, then samples whose dims differ from it in the most
 * dimensions, those without size-1 axes first (a softmax over one class is constant, a mean over one
 * row a sum: size-1 axes make many formulas coincide).
 */
export function namingSamples(first: SampleCase, candidates: readonly SampleCase[]): SampleCase[] {
  const names = Object.keys(first.dims);
  // Each candidate's two keys, counted once (counted in the comparator, they were 2% of grading wrong answers).
  const keyed = candidates.map((sample) => ({
    sample,
    differing: names.filter((n) => sample.dims[n] !== first.dims[n]).length,
    edges: Object.values(sample.dims).filter((d) => d === 1).length,
  }));
  const others = keyed.filter((k) => k.differing > 0).sort((x, y) => x.edges - y.edges || y.differing - x.differing);
  return [first, ...others.slice(0, NAMING_SAMPLES - 1).map((k) => k.sample)];
}

/** The ground truth as the namer compares with it: values, budgets' FD part, and which entries are smooth. */
interface TruthView {
  readonly dims: Dims;
  readonly shape: readonly number[];
  readonly a: Float64Array;
  readonly n: Float64Array;
  readonly e: Float64Array;
  readonly smooth: Uint8Array;
  readonly answer: Tensor;
  readonly values: GroundTruth['values'];
}

function viewOf(point: NamingPoint): TruthView | undefined {
  const { truth, answer } = point;
  if (!sameShape(answer.shape, truth.shape)) return undefined;
  const est = truth.estimate;
  const size = answer.size;
  const n = new Float64Array(size);
  const e = new Float64Array(size);
  const smooth = new Uint8Array(size);
  for (let k = 0; k < est.indices.length; k++) {
    const flat = est.indices[k]!;
    n[flat] = est.value[k]!;
    e[flat] = est.error[k]!;
    smooth[flat] = est.status[k] === 'smooth' ? 1 : 0;
  }
  return { dims: point.dims, shape: truth.shape, a: answer.contiguous().data, n, e, smooth, answer, values: truth.values };
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/**
 * A[i] = c·T[source(i)] at every smooth pair, within max(1, |c|) times the FD budget plus
 * VALUE_MATCH_TOLERANCE of the scale; pairs whose source lies outside T (source −1) are skipped, and
 * at least one pair must be compared.
 */
function explains(v: TruthView, c: number, source: (flat: number) => number): boolean {
  const scale = Math.max(maxAbs(v.a), Math.abs(c) * maxAbs(v.n));
  let compared = 0;
  for (let i = 0; i < v.a.length; i++) {
    const j = source(i);
    if (j < 0 || !v.smooth[j]) continue;
    const predicted = c * v.n[j]!;
    const tolerance = Math.max(1, Math.abs(c)) * entryBudget(v.e[j]!, v.a[i]!, predicted) + VALUE_MATCH_TOLERANCE * scale;
    if (!(Math.abs(v.a[i]! - predicted) <= tolerance)) return false;
    compared++;
  }
  return compared > 0;
}

const same = (flat: number) => flat;

/** Least-squares c in A ≈ c·T over smooth entries; undefined when T is zero within its error bars. */
function scaleOf(v: TruthView): number | undefined {
  let an = 0;
  let nn = 0;
  let resolved = false;
  for (let i = 0; i < v.a.length; i++) {
    if (!v.smooth[i]) continue;
    an += v.a[i]! * v.n[i]!;
    nn += v.n[i]! * v.n[i]!;
    if (Math.abs(v.n[i]!) > entryBudget(v.e[i]!, 0, v.n[i]!)) resolved = true;
  }
  return resolved && nn > 0 ? an / nn : undefined;
}

function close(x: number, y: number): boolean {
  return Math.abs(x - y) <= FACTOR_MATCH_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
}

function named(label: MistakeName, description: string, source: MistakeSource = 'fd-pattern'): FindingMistake {
  return { label, description, source };
}

function scalingName(views: readonly TruthView[]): FindingMistake | undefined {
  // Where the gradient is 0 (softmax over one class), A = c·T says nothing about c: such samples only
  // require A = 0 too.
  const scaled = views.filter((v) => scaleOf(v) !== undefined);
  if (scaled.length === 0 || !views.every((v) => scaled.includes(v) || explains(v, 0, same))) return undefined;
  const c = scaled.map((v) => scaleOf(v)!);
  if (!scaled.every((v, i) => explains(v, c[i]!, same))) return undefined;
  if (c.every((x) => close(x, -1))) return named('sign', 'the sign is flipped: every entry has the opposite sign');
  if (c.every((x) => x === 0)) return named('zero', 'the answer is zero everywhere');
  if (c.every((x) => close(x, c[0]!))) {
    const dim = Object.entries(scaled[0]!.dims).find(([, d]) => d > 1 && (close(c[0]!, 1 / d) || close(c[0]!, d)));
    // With a single sample (or dims that never changed), 1/N and a constant cannot be told apart: say both.
    if (dim && scaled.every((v) => v.dims[dim[0]] === dim[1])) {
      return named('mean-vs-sum', `off by a constant factor ${formatFactor(c[0]!)} (= ${c[0]! < 1 ? '1/' : ''}${dim[0]} here: a mean where the loss sums, or the reverse?)`);
    }
    return named('factor', `off by a constant factor ${formatFactor(c[0]!)}`);
  }
  for (const power of DIMENSION_POWERS) {
    for (const name of Object.keys(scaled[0]!.dims)) {
      const d = scaled.map((v) => v.dims[name]!);
      if (d.every((x) => x === d[0])) continue;
      // c = k · d^power at every sample, for one k.
      const k = c[0]! / d[0]! ** power;
      if (c.every((x, i) => close(x / d[i]! ** power, k))) return dimensionFactorName(name, power, k);
    }
  }
  return undefined;
}

/**
 * Powers of a dimension's size a wrong answer is tried against, in order: a 1/N too many or too few
 * (a mean where the loss sums, or the reverse), then a scale of √d (attention's 1/√d) and of d².
 */
const DIMENSION_POWERS = [-1, 1, -0.5, 0.5, -2, 2] as const;

function dimensionFactorName(name: string, power: (typeof DIMENSION_POWERS)[number], k: number): FindingMistake {
  const extra = close(k, 1) ? '' : ` (and off by a factor ${formatFactor(k)})`;
  if (power === -1) return named('mean-vs-sum', `divided by ${name}${extra}: a mean where the loss sums over ${name}`);
  if (power === 1) return named('mean-vs-sum', `multiplied by ${name}${extra}: a sum where the loss averages over ${name}`);
  const size = Math.abs(power) === 0.5 ? `√${name}` : `${name}²`;
  return named('factor', power < 0 ? `divided by ${size}${extra}: a factor 1/${size} the gradient does not have` : `multiplied by ${size}${extra}: the gradient's factor 1/${size} is missing`);
}

/** The source of A[flat] under a transpose or 180° rotation of the last two axes; undefined where it does not apply. */
function lastTwoAxes(shape: readonly number[], how: 'transpose' | 'rotate'): ((flat: number) => number) | undefined {
  if (shape.length < 2) return undefined;
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  if (rows * cols < 2 || (how === 'transpose' && rows !== cols)) return undefined;
  const block = rows * cols;
  return (flat) => {
    const base = flat - (flat % block);
    const within = flat % block;
    return base + (how === 'rotate' ? block - 1 - within : (within % cols) * cols + Math.floor(within / cols));
  };
}

/** The source of A[flat] when the index along `axis` is shifted by k (−1 outside T); undefined when the axis is too short. */
function shifted(shape: readonly number[], axis: number, k: number): ((flat: number) => number) | undefined {
  const n = shape[axis]!;
  if (n <= Math.abs(k)) return undefined;
  const stride = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  return (flat) => {
    const i = Math.floor(flat / stride) % n;
    return i + k < 0 || i + k >= n ? -1 : flat + k * stride;
  };
}

function rearrangementName(views: readonly TruthView[], targetName: string): FindingMistake | undefined {
  const holdsEverywhere = (how: 'transpose' | 'rotate') =>
    views.every((v) => {
      const source = lastTwoAxes(v.shape, how);
      return source !== undefined && explains(v, 1, source);
    });
  if (holdsEverywhere('transpose')) return named('transposed', 'transposed: rows and columns are swapped');
  if (holdsEverywhere('rotate')) return named('kernel-not-flipped', 'rotated by 180°: the kernel was not flipped (convolution and correlation swapped)');
  const rank = views[0]!.shape.length;
  for (let axis = 0; axis < rank; axis++) {
    for (let k = -MAX_INDEX_SHIFT; k <= MAX_INDEX_SHIFT; k++) {
      if (k === 0) continue;
      // At least one sample must have room for the shift, else "every compared entry" is none.
      const testable = views.filter((v) => shifted(v.shape, axis, k) !== undefined);
      if (testable.length > 0 && testable.every((v) => explains(v, 1, shifted(v.shape, axis, k)!))) {
        return named('index-shift', `the index along axis ${axis + 1} is shifted by ${k > 0 ? '+' : ''}${k}: each entry of ${targetName} holds the value its neighbour ${k > 0 ? 'after' : 'before'} it should have`);
      }
    }
  }
  if (views.every(permutes)) return named('permuted', 'the values are right but sit in the wrong places');
  return undefined;
}

/** A and T hold the same multiset of values (within the widest budget), and every entry of T is smooth. */
function permutes(v: TruthView): boolean {
  if (v.a.length < 2 || !v.smooth.every((s) => s === 1)) return false;
  const sortedA = Float64Array.from(v.a).sort();
  const sortedN = Float64Array.from(v.n).sort();
  let widest = 0;
  for (let i = 0; i < v.a.length; i++) widest = Math.max(widest, entryBudget(v.e[i]!, v.a[i]!, v.n[i]!));
  widest += VALUE_MATCH_TOLERANCE * Math.max(maxAbs(v.a), maxAbs(v.n));
  return sortedA.every((x, j) => Math.abs(x - sortedN[j]!) <= widest) && !explains(v, 1, same);
}

/** Values of the known mistakes at a point (undefined where one cannot be evaluated at these dims). */
function knownValues(known: readonly KnownMistake[], point: NamingPoint): (Tensor | undefined)[] {
  return known.map((m) => {
    try {
      return m.evaluate(point.truth.values, point.dims);
    } catch {
      // A known mistake that cannot be evaluated at these dims names nothing here.
      return undefined;
    }
  });
}

/** The known mistake (of the right shape or not, as `fitsTarget` says) whose value the answer has at every point. */
function knownName(known: readonly KnownMistake[], points: readonly NamingPoint[], fitsTarget: boolean): FindingMistake | undefined {
  const values = points.map((p) => knownValues(known, p));
  const index = known.findIndex((m, i) => m.fitsTarget === fitsTarget && points.every((p, k) => values[k]![i] !== undefined && sameValues(p.answer, values[k]![i]!)));
  return index >= 0 ? named(known[index]!.mistake.label, known[index]!.mistake.why, 'known-mistake') : undefined;
}

/** A and B have the same shape and agree within VALUE_MATCH_TOLERANCE of their scale (NaN never agrees). */
export function sameValues(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  const scale = Math.max(maxAbs(x), maxAbs(y));
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i]! - y[i]!) <= VALUE_MATCH_TOLERANCE * scale)) return false;
  }
  return true;
}

/** The mistake a wrong value of the target's shape makes, when one of the tests names it. */
export function nameMistake(target: Target, known: readonly KnownMistake[], points: readonly NamingPoint[]): FindingMistake | undefined {
  if (points.length === 0) return undefined;
  const byKnown = knownName(known, points, true);
  if (byKnown) return byKnown;
  const views = points.map(viewOf).filter((v): v is TruthView => v !== undefined);
  if (views.length !== points.length) return undefined;
  return scalingName(views) ?? rearrangementName(views, target.name);
}

/**
 * The mistake of a value whose shape is not the target's: a known wrong-shape mistake with the same
 * values, the transpose of the gradient, or a wrong shape.
 */
export function nameShapeMistake(target: Target, known: readonly KnownMistake[], points: readonly NamingPoint[]): FindingMistake {
  if (points.length > 0) {
    const byKnown = knownName(known, points, false);
    if (byKnown) return { ...byKnown, source: 'known-mistake' };
    const transposedViews = points.map((p) => (p.answer.rank === 2 && p.truth.shape.length === 2 ? viewOf({ ...p, answer: p.answer.transpose().contiguous() }) : undefined));
    if (transposedViews.every((v) => v !== undefined && explains(v, 1, same))) {
      return named('transposed', `transposed: this is the transpose of ${target.name}, which has the shape ${formatShape(target.shape)}`, 'shape');
    }
  }
  return named('wrong-shape', `the answer does not have the shape of ${target.name} (${formatShape(target.shape)})`, 'shape');
}
