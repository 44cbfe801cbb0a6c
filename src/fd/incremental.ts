/**
 * Incremental rules for the nodes that dominate per-entry FD cost. Each rule, given a sparse change of
 * one argument, produces the change of the node's value from the base values alone, touching only the
 * entries that depend on the change: a perturbed B[i,j] in Y = A·B changes column j of Y (a rank-1
 * update), a perturbed X[n,c,y,x] changes a kh×kw window of each output map of conv2d. Loss rules
 * return the loss change computed from the touched terms (compensated sum), which has round-off
 * relative to the change itself instead of to the whole loss. Every rule propagates the round-off
 * bounds of its input change (sparse.ts): a product c = δ·b carries |b|·bound(δ) + ε·|c|.
 */
import { broadcastShapesOrNull } from '../tensor/broadcast.js';
import type { Conv2dOptions } from '../tensor/conv.js';
import { formatShape } from '../tensor/errors.js';
import { type Shape, type Tensor, rowMajorStrides, sameShape, sizeOf } from '../tensor/tensor.js';
import { FdArgumentError } from './errors.js';
import type { IncrementalRule, IncrementalUpdate } from './graph.js';
import { CHANGE_ROUNDOFF_ULPS, type ScaledLossChanges, newScaledLossChanges } from './objective.js';
import { SparseAccumulator, SparseChange } from './sparse.js';
import { EPSILON } from './step.js';

/**
 * Rounding of fn(z + δ) − fn(z) in an entrywise rule, in units of ε·(|fn(z + δ)| + |fn(z)|): the
 * difference of two values that each carry the library's ≲ 1 ulp error (V8's fdlibm-derived Math
 * functions), or the ulp-level disagreement between the node's op and `fn`.
 */
export const ELEMENTWISE_ROUNDOFF_ULPS = 2;

/** Marks an update as linear in its change, formed by exact products and sums (IncrementalUpdate.linear). */
function linear(update: (argIndex: number, change: SparseChange, result: SparseChange) => void): IncrementalUpdate {
  return Object.assign(update, { linear: true });
}

function expectRank(rule: string, t: Tensor, rank: number, what: string): void {
  if (t.rank !== rank) throw new FdArgumentError(rule, `${what} has rank ${t.rank}, the rule needs rank ${rank}`, `use it only on nodes whose ${what} is ${rank}-D`);
}

function expectSameSize(rule: string, a: Tensor, b: Tensor): void {
  if (a.size !== b.size) throw new FdArgumentError(rule, `arguments have ${a.size} and ${b.size} entries`, 'use it on arguments of the same shape');
}

/** Y = A·B for 2-D A [m,k], B [k,n]. A change at A[r,i] moves row r of Y by δ·B[i,:]; at B[i,c], column c by A[:,i]·δ. */
export const matmulIncremental: IncrementalRule = ({ args }) => {
  const [A, B] = args as [Tensor, Tensor];
  expectRank('matmulIncremental', A, 2, 'the left operand');
  expectRank('matmulIncremental', B, 2, 'the right operand');
  const [m, k] = A.shape as [number, number];
  const n = B.shape[1]!;
  const a = A.contiguous().data;
  const b = B.contiguous().data;
  // Columns of A, contiguous: a change of B[i, c] reads column i of A, which is strided in A.
  const aColumns = A.transpose().contiguous().data;
  // Only changes of several entries need it (per-entry FD never does): built on first use.
  let acc: SparseAccumulator | undefined;
  return linear((argIndex, change, result) => {
    if (change.count === 1) {
      // One entry (per-entry FD, the hot path): the touched row or column has distinct positions, no accumulation needed.
      const flat = change.index[0]!;
      const d = change.delta[0]!;
      const err = change.roundoff[0]!;
      // A product coef·δ carries |coef|·err + ε·|coef·δ| (the input's bound times the slope, and its own
      // rounding), computed as |coef|·reach; the same in every rule below.
      const reach = err + EPSILON * Math.abs(d);
      const { index, delta, roundoff } = result;
      if (argIndex === 0) {
        const r = Math.floor(flat / k);
        const i = flat - r * k;
        for (let c = 0; c < n; c++) {
          const coef = b[i * n + c]!;
          const v = d * coef;
          index[c] = r * n + c;
          delta[c] = v;
          roundoff[c] = Math.abs(coef) * reach;
        }
        result.count = n;
      } else {
        const i = Math.floor(flat / n);
        const c = flat - i * n;
        const column = i * m;
        for (let r = 0; r < m; r++) {
          const coef = aColumns[column + r]!;
          const v = coef * d;
          index[r] = r * n + c;
          delta[r] = v;
          roundoff[r] = Math.abs(coef) * reach;
        }
        result.count = m;
      }
      return;
    }
    acc ??= new SparseAccumulator(m * n);
    for (let e = 0; e < change.count; e++) {
      const flat = change.index[e]!;
      const d = change.delta[e]!;
      const err = change.roundoff[e]!;
      const reach = err + EPSILON * Math.abs(d);
      if (argIndex === 0) {
        const r = Math.floor(flat / k);
        const i = flat - r * k;
        for (let c = 0; c < n; c++) {
          const coef = b[i * n + c]!;
          const v = d * coef;
          acc.add(r * n + c, v, Math.abs(coef) * reach);
        }
      } else {
        const i = Math.floor(flat / n);
        const c = flat - i * n;
        for (let r = 0; r < m; r++) {
          const coef = a[r * k + i]!;
          const v = coef * d;
          acc.add(r * n + c, v, Math.abs(coef) * reach);
        }
      }
    }
    acc.flushInto(result);
  });
};

/**
 * Y = A + B with NumPy broadcasting (shapes aligned on the right, each pair of sizes equal or one of
 * them 1): a row bias b[1,M] or b[M] added to every row of Z[N,M], a column bias b[M,1] to every
 * column of Z[M,N], or any other broadcast, either argument first. A change δ at one entry of an
 * argument moves every entry of Y that reads it (Y.size / argument size entries, none read from
 * another entry of that argument) by δ exactly: Y − A is B whatever A is, so no rounding is added.
 */
export const biasAddIncremental: IncrementalRule = broadcastSumRule('biasAddIncremental', 1);

/** Y = A − B with NumPy broadcasting: as biasAddIncremental, a change of B moving Y by −δ (negation is exact). */
export const differenceIncremental: IncrementalRule = broadcastSumRule('differenceIncremental', -1);

/** Y = A + sign·B, broadcast: the change of A spreads as it is, the change of B times sign. */
function broadcastSumRule(rule: string, sign: 1 | -1): IncrementalRule {
  return ({ args, out }) => {
    const [A, B] = args as [Tensor, Tensor];
    const shape = broadcastShapesOrNull(A.shape, B.shape);
    if (shape === null || !sameShape(shape, out.shape)) {
      throw new FdArgumentError(rule, `arguments of shapes ${formatShape(A.shape)} and ${formatShape(B.shape)} do not broadcast to the node's shape ${formatShape(out.shape)}`, 'use it on a node that adds two tensors with NumPy broadcasting');
    }
    const spreads = [broadcastSpread(A.shape, shape), broadcastSpread(B.shape, shape)];
    return linear((argIndex, change, result) => {
      const { first, copies } = spreads[argIndex]!;
      const s = argIndex === 0 ? 1 : sign;
      const { index, delta, roundoff } = result;
      const n = copies.length;
      let k = 0;
      for (let e = 0; e < change.count; e++) {
        const start = first[change.index[e]!]!;
        const d = s * change.delta[e]!;
        const err = change.roundoff[e]!;
        for (let j = 0; j < n; j++, k++) {
          index[k] = start + copies[j]!;
          delta[k] = d;
          roundoff[k] = err;
        }
      }
      result.count = k;
    });
  };
}

/**
 * Y = c·A for a constant c (a scale, a sign, a mean's 1/N), any shape, the scalar loss included: a
 * change δ moves the same entry by c·δ, with round-off |c|·bound(δ) + ε·|c·δ|, relative to the change,
 * so that a scaled loss keeps the accuracy of the loss rule before it.
 */
export function scaleIncremental(c: number): IncrementalRule {
  const magnitude = Math.abs(c);
  return () => linear((_argIndex, change, result) => {
    const { index, delta, roundoff } = result;
    for (let e = 0; e < change.count; e++) {
      const v = c * change.delta[e]!;
      index[e] = change.index[e]!;
      delta[e] = v;
      roundoff[e] = magnitude * change.roundoff[e]! + EPSILON * Math.abs(v);
    }
    result.count = change.count;
  });
}

/**
 * Where the entries of a tensor of `shape` land in its broadcast to `target`: entry i (row-major) is
 * read at flat positions first[i] + copies[j] of the target, for every j. `copies` spans the axes
 * that broadcasting adds or stretches from size 1; `first` the axes the tensor keeps.
 */
function broadcastSpread(shape: Shape, target: Shape): { first: Int32Array; copies: Int32Array } {
  const strides = rowMajorStrides(target);
  const lead = target.length - shape.length;
  let copies = Int32Array.of(0);
  const first = new Int32Array(sizeOf(shape));
  for (let ax = 0; ax < target.length; ax++) {
    const size = ax < lead ? 1 : shape[ax - lead]!;
    if (size === target[ax]) continue;
    // A stretched axis: every copy so far, repeated at each of its positions.
    const stretched = new Int32Array(copies.length * target[ax]!);
    for (let p = 0; p < target[ax]!; p++) for (let j = 0; j < copies.length; j++) stretched[p * copies.length + j] = copies[j]! + p * strides[ax]!;
    copies = stretched;
  }
  for (let i = 0; i < first.length; i++) {
    // Row-major digits of i over the tensor's own axes, placed at the target's strides.
    let rest = i;
    let position = 0;
    for (let ax = target.length - 1; ax >= lead; ax--) {
      const size = shape[ax - lead]!;
      const digit = rest % size;
      rest = (rest - digit) / size;
      if (size === target[ax]) position += digit * strides[ax]!;
    }
    first[i] = position;
  }
  return { first, copies };
}

/**
 * Y = fn(Z) entrywise: each changed z moves y by fn(z + δ) − y. Its round-off is the input's bound
 * (and the rounding of z + δ) times the secant slope, plus ELEMENTWISE_ROUNDOFF_ULPS·ε·(|fn(z+δ)| + |y|):
 * relative to y, not to the change, which is why a per-entry FD through a tanh layer is only as
 * accurate as a full evaluation of that layer.
 */
export function elementwiseIncremental(fn: (z: number) => number): IncrementalRule {
  return ({ args, out }) => {
    const z = args[0]!.contiguous().data;
    const y = out.contiguous().data;
    return (_argIndex, change, result) => {
      result.clear();
      for (let e = 0; e < change.count; e++) {
        const flat = change.index[e]!;
        const d = change.delta[e]!;
        const moved = z[flat]! + d;
        const value = fn(moved);
        const dy = value - y[flat]!;
        const slope = d !== 0 ? Math.abs(dy / d) : 0;
        const err = slope * (change.roundoff[e]! + EPSILON * Math.abs(moved)) + ELEMENTWISE_ROUNDOFF_ULPS * EPSILON * (Math.abs(value) + Math.abs(y[flat]!)) + EPSILON * Math.abs(dy);
        result.push(flat, dy, err);
      }
    };
  };
}

/**
 * Y = conv2d(X, K, { stride, padding }) as src/tensor/conv.ts computes it: X [N,C,H,W], K [F,C,kh,kw],
 * Y[n,f,oy,ox] = Σ_c Σ_dy Σ_dx X[n,c, oy·sh+dy−ph, ox·sw+dx−pw]·K[f,c,dy,dx] (zero outside X),
 * Ho = ⌊(H+2ph−kh)/sh⌋+1. A change at X[n,c,y,x] moves only the outputs whose window covers (y,x):
 * at most kh·kw positions in each of the F maps of sample n. A change at K[f,c,dy,dx] moves map f of
 * every sample.
 */
export function conv2dIncremental(options: Conv2dOptions = {}): IncrementalRule {
  const pair = (v: number | readonly [number, number]) => (typeof v === 'number' ? [v, v] : v);
  const [sh, sw] = pair(options.stride ?? 1) as [number, number];
  const [ph, pw] = pair(options.padding ?? 0) as [number, number];
  return ({ args }) => {
    const [X, K] = args as [Tensor, Tensor];
    expectRank('conv2dIncremental', X, 4, 'the input');
    expectRank('conv2dIncremental', K, 4, 'the kernel');
    const [N, C, H, W] = X.shape as [number, number, number, number];
    const [F, , kh, kw] = K.shape as [number, number, number, number];
    const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
    const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
    const x = X.contiguous().data;
    const k = K.contiguous().data;
    // Only changes of several entries need it (per-entry FD never does): built on first use.
    let acc: SparseAccumulator | undefined;
    // Contributions of one changed entry: every position once (a window covers an input entry at most
    // once), so a one-entry change, FD's hot path, is written straight into the result; a change of
    // several entries goes through `single` into the accumulator, which merges repeated positions.
    const single = new SparseChange(Math.max(F * kh * kw, N * Ho * Wo));
    // Both read entry e of the change themselves and append to `out`: doubles passed as arguments to a
    // call V8 does not inline would be boxed on the heap, once per changed entry (probe.ts, Displacement).
    const changeOfInput = (change: SparseChange, e: number, out: SparseChange) => {
      let flat = change.index[e]!;
      const d = change.delta[e]!;
      const err = change.roundoff[e]!;
      const reach = err + EPSILON * Math.abs(d);
      const ix = flat % W;
      flat = (flat - ix) / W;
      const iy = flat % H;
      flat = (flat - iy) / H;
      const c = flat % C;
      const n = (flat - c) / C;
      const { index, delta, roundoff } = out;
      let count = out.count;
      for (let dy = 0; dy < kh; dy++) {
        const ty = iy + ph - dy;
        if (ty < 0 || ty % sh !== 0 || ty / sh >= Ho) continue;
        const oy = ty / sh;
        for (let dx = 0; dx < kw; dx++) {
          const tx = ix + pw - dx;
          if (tx < 0 || tx % sw !== 0 || tx / sw >= Wo) continue;
          const ox = tx / sw;
          for (let f = 0; f < F; f++) {
            const coef = k[((f * C + c) * kh + dy) * kw + dx]!;
            const v = d * coef;
            index[count] = ((n * F + f) * Ho + oy) * Wo + ox;
            delta[count] = v;
            roundoff[count] = Math.abs(coef) * reach;
            count++;
          }
        }
      }
      out.count = count;
    };
    const changeOfKernel = (change: SparseChange, e: number, out: SparseChange) => {
      let flat = change.index[e]!;
      const d = change.delta[e]!;
      const err = change.roundoff[e]!;
      const reach = err + EPSILON * Math.abs(d);
      const dx = flat % kw;
      flat = (flat - dx) / kw;
      const dy = flat % kh;
      flat = (flat - dy) / kh;
      const c = flat % C;
      const f = (flat - c) / C;
      const { index, delta, roundoff } = out;
      let count = out.count;
      for (let n = 0; n < N; n++) {
        for (let oy = 0; oy < Ho; oy++) {
          const iy = oy * sh + dy - ph;
          if (iy < 0 || iy >= H) continue;
          for (let ox = 0; ox < Wo; ox++) {
            const ix = ox * sw + dx - pw;
            if (ix < 0 || ix >= W) continue;
            const coef = x[((n * C + c) * H + iy) * W + ix]!;
            const v = coef * d;
            index[count] = ((n * F + f) * Ho + oy) * Wo + ox;
            delta[count] = v;
            roundoff[count] = Math.abs(coef) * reach;
            count++;
          }
        }
      }
      out.count = count;
    };
    return linear((argIndex, change, result) => {
      const apply = argIndex === 0 ? changeOfInput : changeOfKernel;
      if (change.count === 1) {
        result.clear();
        apply(change, 0, result);
        return;
      }
      acc ??= new SparseAccumulator(N * F * Ho * Wo);
      for (let e = 0; e < change.count; e++) {
        single.clear();
        apply(change, e, single);
        for (let j = 0; j < single.count; j++) acc.add(single.index[j]!, single.delta[j]!, single.roundoff[j]!);
      }
      acc.flushInto(result);
    });
  };
}

/**
 * Y = corr2(X, K, mode) of the last two axes of X (leading axes a batch) with a matrix kernel K, as
 * src/tensor/conv.ts computes it: the conv2d rule on the views X [B,1,H,W], K [1,1,kh,kw] and
 * Y [B,1,Ho,Wo] (the same entries in the same row-major order), with no padding for 'valid' and
 * kh − 1, kw − 1 for 'full'.
 */
export function corr2Incremental(mode: 'valid' | 'full'): IncrementalRule {
  return ({ args, out }) => {
    const [X, K] = args as [Tensor, Tensor];
    expectRank('corr2Incremental', K, 2, 'the kernel');
    if (X.rank < 2) throw new FdArgumentError('corr2Incremental', `the input has rank ${X.rank}`, 'use it on a correlation of matrices (or of a batch of them)');
    const [kh, kw] = K.shape as [number, number];
    const [H, W] = X.shape.slice(-2) as [number, number];
    const [Ho, Wo] = out.shape.slice(-2) as [number, number];
    const batch = X.size / (H * W);
    const rule = conv2dIncremental({ padding: mode === 'full' ? [kh - 1, kw - 1] : 0 });
    return rule({ args: [X.contiguous().reshape([batch, 1, H, W]), K.contiguous().reshape([1, 1, kh, kw])], out: out.contiguous().reshape([batch, 1, Ho, Wo]) });
  };
}

/**
 * Y = avgpool2(X): the mean of each 2×2 block of the last two axes (stride 2; leading axes a batch). A
 * change δ at X[..., y, x] moves Y[..., ⌊y/2⌋, ⌊x/2⌋] by δ/4 (exact in binary), with round-off
 * bound(δ)/4 + ε·|δ/4| for the full evaluation's own rounding of the block's sum.
 */
export const avgpool2Incremental: IncrementalRule = ({ args, out }) => {
  const X = args[0]!;
  if (X.rank < 2) throw new FdArgumentError('avgpool2Incremental', `the input has rank ${X.rank}`, 'use it on a pooling of matrices (or of a batch of them)');
  const [H, W] = X.shape.slice(-2) as [number, number];
  const Wo = W / 2;
  const acc = new SparseAccumulator(out.size);
  return linear((_argIndex, change, result) => {
    for (let e = 0; e < change.count; e++) {
      const flat = change.index[e]!;
      const x = flat % W;
      const row = (flat - x) / W;
      const y = row % H;
      const b = (row - y) / H;
      const v = change.delta[e]! * 0.25;
      acc.add((b * (H / 2) + (y >> 1)) * Wo + (x >> 1), v, change.roundoff[e]! * 0.25 + EPSILON * Math.abs(v));
    }
    acc.flushInto(result);
  });
};

/**
 * The change of a loss that is quadratic in the changed argument y, for the change scaled by each factor f
 * of `out.scale` (powers of two: the rungs ±h₀·2^-k of a ladder). With d_e = s·δ_e the change of entry e
 * of y (s = ±1: which argument moved), the rule's exact algebra ΔL = Σ_e d_e·(o_e + κ·d_e) is, at scale f,
 * the polynomial
 *     ΔL(f) = f·P + f²·Q,   P = Σ_e d_e·o_e,   Q = κ·Σ_e d_e²,
 * so one pass over the changed entries serves every rung: P summed compensated (the TwoSum of
 * `compensatedSum`), Q plainly (its terms are all ≥ 0, so a plain sum is accurate relative to Q itself).
 *
 * Round-off bound of lane f: the input bounds |f|·ρ_e times the slope |o_e + 2κ·f·d_e| ≤ |o_e| + 2κ|f||d_e|;
 * CHANGE_ROUNDOFF_ULPS·ε·Σ|d_e·o_e| for forming and summing P's terms; (count + CHANGE_ROUNDOFF_ULPS)·ε·Q for
 * the plain sum of Q (Higham, Accuracy and Stability, §4.2: a sum of n terms errs by ≤ (n − 1)ε·Σ|terms|);
 * and ε·|ΔL| for adding the two parts:
 *     |f|·(Σ|o_e|ρ_e + 4ε·Σ|d_e||o_e|) + f²·κ·(2·Σ|d_e|ρ_e + (count + 4)·ε·Σd_e²) + ε·|ΔL(f)|.
 * A move scaled by f scales P, Σ|d_e||o_e| and Σ|o_e|ρ_e by |f| and the rest by f², exactly, so every lane,
 * value and bound, has the bits of its scaled move passed alone (the scaled form's contract).
 */
function quadraticChange(change: SparseChange, o: Float64Array, s: number, kappa: number, out: ScaledLossChanges): void {
  const { index, delta, roundoff, count } = change;
  let linear = 0;
  let compensation = 0;
  let squares = 0;
  let slopeBound = 0;
  let linearTerms = 0;
  let curvatureBound = 0;
  // Summed over δ_e and then signed (s = ±1 changes no bit): Σ d_e·o_e = s·Σ δ_e·o_e, d_e² = δ_e².
  for (let e = 0; e < count; e++) {
    const de = delta[e]!;
    const oe = o[index[e]!]!;
    const term = de * oe;
    const t = linear + term;
    const virtual = t - linear;
    compensation += linear - (t - virtual) + (term - virtual);
    linear = t;
    squares += de * de;
    const re = roundoff[e]!;
    slopeBound += Math.abs(oe) * re;
    linearTerms += Math.abs(term);
    curvatureBound += Math.abs(de) * re;
  }
  const p = s * (linear + compensation);
  const q = kappa * squares;
  const first = slopeBound + CHANGE_ROUNDOFF_ULPS * EPSILON * linearTerms;
  const second = kappa * (2 * curvatureBound + (count + CHANGE_ROUNDOFF_ULPS) * EPSILON * squares);
  const { scale, lanes } = out;
  for (let l = 0; l < lanes; l++) {
    const f = scale[l]!;
    const value = f * p + f * (f * q);
    out.delta[l] = value;
    out.roundoff[l] = Math.abs(f) * first + f * f * second + EPSILON * Math.abs(value);
  }
}

/** A quadratic loss's update (one change, scale 1) and its scaled form (IncrementalUpdate.scaled), both through quadraticChange. */
function quadraticUpdate(other: (argIndex: number) => Float64Array, sign: (argIndex: number) => number, kappa: number): IncrementalUpdate {
  const unit = newScaledLossChanges(1);
  unit.scale[0] = 1;
  unit.lanes = 1;
  const update = (argIndex: number, change: SparseChange, result: SparseChange) => {
    quadraticChange(change, other(argIndex), sign(argIndex), kappa, unit);
    result.setScalar(unit.delta[0]!, unit.roundoff[0]!);
  };
  const scaled = (argIndex: number, change: SparseChange, out: ScaledLossChanges) => quadraticChange(change, other(argIndex), sign(argIndex), kappa, out);
  return Object.assign(update, { scaled });
}

/**
 * L = ½‖Y − T‖² (args [Y, T], same shape). With r = Y − T at the base point, a change δ of Y[e]
 * changes L by δ·(r + δ/2) exactly (a change of T by −δ·(r − δ/2)): no cancellation against the
 * whole loss.
 */
export const halfSquaredErrorIncremental: IncrementalRule = ({ args }) => {
  const [Y, T] = args as [Tensor, Tensor];
  expectSameSize('halfSquaredErrorIncremental', Y, T);
  const y = Y.contiguous().data;
  const t = T.contiguous().data;
  const residual = y.map((v, i) => v - t[i]!);
  return quadraticUpdate(() => residual, (argIndex) => (argIndex === 0 ? 1 : -1), 0.5);
};

/** L = Σ A.^2 (args [A]): a change δ of A[e] changes L by δ·(2a + δ) exactly. */
export const sumOfSquaresIncremental: IncrementalRule = ({ args }) => {
  const twice = args[0]!.contiguous().data.map((v) => 2 * v);
  return quadraticUpdate(() => twice, () => 1, 1);
};

/** L = Σ A.*B (args [A, B], same shape; e.g. Σ G.*Y with a fixed upstream gradient G). A change δ of one factor changes L by δ times the other. */
export const innerProductIncremental: IncrementalRule = ({ args }) => {
  const [A, B] = args as [Tensor, Tensor];
  expectSameSize('innerProductIncremental', A, B);
  const a = A.contiguous().data;
  const b = B.contiguous().data;
  return quadraticUpdate((argIndex) => (argIndex === 0 ? b : a), () => 1, 0);
};
