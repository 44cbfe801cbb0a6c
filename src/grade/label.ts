/**
 * Naming the mistake of an incorrect answer. The answer's value A is compared, at a few samples, with
 * values that are known exactly: the reference R (the closed form, confirmed against FD in this run)
 * and the target's known mistakes M. Tests, in order:
 *   1. A = M for a known mistake of the problem module          → that mistake's label and explanation;
 *   2. A = c·R with one c at every sample: c = −1               → sign; c constant → factor c;
 *      c = k/d or k·d for the size d of a dimension            → mean-vs-sum (a 1/N too many or too few);
 *   3. A = Rᵀ (last two axes, square)                           → transposed;
 *   4. A = R rotated by 180° in its last two axes               → kernel-not-flipped;
 *   5. A[i] = R[i + k·e_axis] wherever both exist, 0 < |k| ≤ 2   → index-shift by k.
 * A label needs the relation to hold at every label sample (dims drawn to differ), so a coincidence
 * at one small sample (N = 1 makes a mean a sum) cannot name a mistake.
 */
import type { FormulaFunction } from '../formula/compile.js';
import type { SampleCase } from '../problem/check.js';
import type { MistakeName } from '../problem/types.js';
import { Tensor, sameShape } from '../tensor/tensor.js';
import type { PreparedTarget } from './reference.js';
import type { TruthCache } from '../problem/truth-cache.js';
import type { MistakeData } from './types.js';

/**
 * Two closed forms agree when every entry differs by at most this fraction of their largest entry.
 * Both are float64 evaluations of a few products; their round-off is ≲ n·ε ≈ 1e-13 for the sizes
 * sampled (n ≤ 6³ terms), so 1e-8 leaves five orders of margin, while two different formulas differ by
 * O(1) of the scale at random inputs.
 */
export const VALUE_MATCH_TOLERANCE = 1e-8;

/** Index shifts tried along each axis: ±1 (the usual off-by-one) and ±2 (a stride or a padding of 2). */
export const MAX_INDEX_SHIFT = 2;

/** Fewest samples to label at: the counterexample, and others whose dims differ from it. */
const LABEL_SAMPLES = 3;

function maxAbs(t: Tensor): number {
  let m = 0;
  for (const v of t.contiguous().data) m = Math.max(m, Math.abs(v));
  return m;
}

/** A and B have the same shape and agree within VALUE_MATCH_TOLERANCE of their scale (NaN never agrees). */
export function sameValues(a: Tensor, b: Tensor): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  const scale = Math.max(maxAbs(a), maxAbs(b));
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i]! - y[i]!) <= VALUE_MATCH_TOLERANCE * scale)) return false;
  }
  return true;
}

/** Least-squares c in A ≈ c·R, when A = c·R holds (within tolerance) and R is not zero. */
function scaleOf(a: Tensor, r: Tensor): number | undefined {
  if (!sameShape(a.shape, r.shape)) return undefined;
  const x = a.contiguous().data;
  const y = r.contiguous().data;
  let xy = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i]! * y[i]!;
    yy += y[i]! * y[i]!;
  }
  if (!(yy > 0)) return undefined;
  const c = xy / yy;
  const scaled = new Tensor(Float64Array.from(y, (v) => c * v), r.shape);
  return sameValues(a, scaled) ? c : undefined;
}

function close(x: number, y: number): boolean {
  return Math.abs(x - y) <= VALUE_MATCH_TOLERANCE * 1e2 * Math.max(Math.abs(x), Math.abs(y));
}

/** R with its last two axes swapped (only for square ones), or rotated by 180°. */
function lastTwoAxes(r: Tensor, how: 'transpose' | 'rotate'): Tensor | undefined {
  if (r.rank < 2) return undefined;
  const rows = r.shape[r.rank - 2]!;
  const cols = r.shape[r.rank - 1]!;
  if (rows * cols < 2 || (how === 'transpose' && rows !== cols)) return undefined;
  const src = r.contiguous().data;
  const out = new Float64Array(src.length);
  const block = rows * cols;
  for (let flat = 0; flat < src.length; flat++) {
    const base = flat - (flat % block);
    const within = flat % block;
    const from = how === 'rotate' ? block - 1 - within : (within % cols) * cols + Math.floor(within / cols);
    out[flat] = src[base + from]!;
  }
  return new Tensor(out, r.shape);
}

/** A[i] = R[i + k·e_axis] at every i where i + k·e_axis lies inside R (and there is such an i). */
function shiftedBy(a: Tensor, r: Tensor, axis: number, k: number): boolean {
  if (!sameShape(a.shape, r.shape)) return false;
  const n = r.shape[axis]!;
  if (n <= Math.abs(k)) return false;
  const x = a.contiguous().data;
  const y = r.contiguous().data;
  const stride = r.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const scale = Math.max(maxAbs(a), maxAbs(r));
  for (let flat = 0; flat < x.length; flat++) {
    const i = Math.floor(flat / stride) % n;
    if (i + k < 0 || i + k >= n) continue;
    if (!(Math.abs(x[flat]! - y[flat + k * stride]!) <= VALUE_MATCH_TOLERANCE * scale)) return false;
  }
  return true;
}

/** The values a label is decided on: the answer, the reference and each known mistake at one sample. */
interface LabelPoint {
  readonly dims: Readonly<Record<string, number>>;
  readonly answer: Tensor;
  readonly reference: Tensor;
  readonly mistakes: readonly (Tensor | undefined)[];
}

/**
 * Samples to label at: the counterexample first, then the confirmed reference's samples without
 * size-1 axes whose dims differ from the counterexample's in the most dimensions (so that a
 * size-dependent factor shows).
 */
export function labelSamples(prepared: PreparedTarget, first: SampleCase): SampleCase[] {
  const differing = (s: SampleCase) => Object.keys(first.dims).filter((n) => s.dims[n] !== first.dims[n]).length;
  // Size-1 axes make many formulas coincide (a softmax over one class is constant): prefer samples without.
  const edges = (s: SampleCase) => Object.values(s.dims).filter((d) => d === 1).length;
  const others = [...prepared.samples].filter((s) => differing(s) > 0).sort((x, y) => edges(x) - edges(y) || differing(y) - differing(x));
  return [first, ...others.slice(0, LABEL_SAMPLES - 1)];
}

function pointAt(prepared: PreparedTarget, answer: FormulaFunction, sample: SampleCase, cache: TruthCache): LabelPoint | undefined {
  const { problem, target } = prepared;
  const values = cache.at(problem, target, sample.dims, sample.seed).truth.values;
  try {
    return {
      dims: sample.dims,
      answer: answer(values, sample.dims),
      reference: prepared.reference.evaluate(values, sample.dims),
      mistakes: prepared.mistakes.map((m) => {
        try {
          return m.evaluate(values, sample.dims);
        } catch {
          // A known mistake that cannot be evaluated at these dims names nothing here.
          return undefined;
        }
      }),
    };
  } catch {
    // The answer cannot be evaluated at this sample: it is labelled from the others.
    return undefined;
  }
}

function mistake(label: MistakeName, description: string): MistakeData {
  return { label, description };
}

function describeFactor(c: number): string {
  return `off by a constant factor ${Number(c.toPrecision(6))}`;
}

function scalingLabel(all: readonly LabelPoint[]): MistakeData | undefined {
  // Where the gradient is 0 (softmax over one class), A = c·R says nothing about c: such points only
  // require A = 0 too.
  if (all.some((p) => maxAbs(p.reference) === 0 && maxAbs(p.answer) !== 0)) return undefined;
  const points = all.filter((p) => maxAbs(p.reference) > 0);
  if (points.length === 0) return undefined;
  const scales = points.map((p) => scaleOf(p.answer, p.reference));
  if (scales.some((c) => c === undefined)) return undefined;
  const c = scales as number[];
  if (c.every((x) => close(x, -1))) return mistake('sign', 'the sign is flipped: every entry has the opposite sign');
  if (c.every((x) => x === 0)) return undefined;
  if (c.every((x) => close(x, c[0]!))) {
    const dim = Object.entries(points[0]!.dims).find(([, d]) => d > 1 && (close(c[0]!, 1 / d) || close(c[0]!, d)));
    // With a single sample (or dims that never changed), 1/N and a constant cannot be told apart: say both.
    if (dim && points.every((p) => p.dims[dim[0]] === dim[1])) {
      return mistake('mean-vs-sum', `${describeFactor(c[0]!)} (= ${c[0]! < 1 ? '1/' : ''}${dim[0]} here: a mean where the loss sums, or the reverse?)`);
    }
    return mistake('factor', describeFactor(c[0]!));
  }
  for (const name of Object.keys(points[0]!.dims)) {
    const d = points.map((p) => p.dims[name]!);
    if (d.every((x) => x === d[0])) continue;
    const k = c[0]! * d[0]!;
    if (c.every((x, i) => close(x * d[i]!, k))) {
      return mistake('mean-vs-sum', `divided by ${name}${close(k, 1) ? '' : ` (and off by a factor ${Number(k.toPrecision(6))})`}: a mean where the loss sums over ${name}`);
    }
    const q = c[0]! / d[0]!;
    if (c.every((x, i) => close(x / d[i]!, q))) {
      return mistake('mean-vs-sum', `multiplied by ${name}${close(q, 1) ? '' : ` (and off by a factor ${Number(q.toPrecision(6))})`}: a sum where the loss averages over ${name}`);
    }
  }
  return undefined;
}

function shiftLabel(points: readonly LabelPoint[], targetName: string): MistakeData | undefined {
  const rank = points[0]!.reference.rank;
  for (let axis = 0; axis < rank; axis++) {
    for (let k = -MAX_INDEX_SHIFT; k <= MAX_INDEX_SHIFT; k++) {
      if (k === 0) continue;
      // At least one sample must have had room for the shift, else "every compared entry" is none.
      const testable = points.filter((p) => p.reference.shape[axis]! > Math.abs(k));
      if (testable.length > 0 && testable.every((p) => shiftedBy(p.answer, p.reference, axis, k))) {
        return mistake('index-shift', `the index along axis ${axis + 1} is shifted by ${k > 0 ? '+' : ''}${k}: each entry of ${targetName} holds the value its neighbour ${k > 0 ? 'after' : 'before'} it should have`);
      }
    }
  }
  return undefined;
}

/** The mistake an incorrect answer (of the target's shape) makes, when one of the tests names it. */
export function labelMistake(prepared: PreparedTarget, answer: FormulaFunction, samples: readonly SampleCase[], cache: TruthCache): MistakeData | undefined {
  const points = samples.map((s) => pointAt(prepared, answer, s, cache)).filter((p): p is LabelPoint => p !== undefined);
  if (points.length === 0) return undefined;
  const known = prepared.mistakes.findIndex((m, i) => m.fitsTarget && points.every((p) => p.mistakes[i] !== undefined && sameValues(p.answer, p.mistakes[i]!)));
  if (known >= 0) {
    const m = prepared.mistakes[known]!.mistake;
    return mistake(m.label, m.why);
  }
  const scaled = scalingLabel(points);
  if (scaled) return scaled;
  const transposed = points.every((p) => {
    const t = lastTwoAxes(p.reference, 'transpose');
    return t !== undefined && sameValues(p.answer, t);
  });
  if (transposed) return mistake('transposed', 'transposed: rows and columns are swapped');
  const rotated = points.every((p) => {
    const t = lastTwoAxes(p.reference, 'rotate');
    return t !== undefined && sameValues(p.answer, t);
  });
  if (rotated) return mistake('kernel-not-flipped', 'rotated by 180°: the kernel was not flipped (convolution and correlation swapped)');
  return shiftLabel(points, prepared.target.name);
}

/**
 * The mistake of an answer whose shape is not the target's (`answer` compiled without the target-shape
 * check): a known wrong-shape mistake with the same values, the transpose of the gradient, or a wrong shape.
 */
export function labelShapeMistake(prepared: PreparedTarget, answer: FormulaFunction, samples: readonly SampleCase[], cache: TruthCache): MistakeData {
  const points = samples.map((s) => pointAt(prepared, answer, s, cache)).filter((p): p is LabelPoint => p !== undefined);
  if (points.length > 0) {
    const known = prepared.mistakes.findIndex((m, i) => !m.fitsTarget && points.every((p) => p.mistakes[i] !== undefined && sameValues(p.answer, p.mistakes[i]!)));
    if (known >= 0) {
      const m = prepared.mistakes[known]!.mistake;
      return mistake(m.label, m.why);
    }
    if (points.every((p) => p.reference.rank === 2 && p.answer.rank === 2 && sameValues(p.answer.transpose().contiguous(), p.reference))) {
      return mistake('transposed', `transposed: this is the transpose of ${prepared.target.name}, which has the shape ${prepared.target.shape.join('×')}`);
    }
  }
  return mistake('wrong-shape', `the answer does not have the shape of ${prepared.target.name} (${prepared.target.shape.join('×')})`);
}
