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
  const acc = new SparseAccumulator(m * n);
  return linear((argIndex, change, result) => {
    if (change.count === 1) {
      // One entry (per-entry FD, the hot path): the touched row or column has distinct positions, no accumulation needed.
      const flat = change.index[0]!;
      const d = change.delta[0]!;
      const err = change.roundoff[0]!;
      const { index, delta, roundoff } = result;
      if (argIndex === 0) {
        const r = Math.floor(flat / k);
        const i = flat - r * k;
        for (let c = 0; c < n; c++) {
          const coef = b[i * n + c]!;
          const v = d * coef;
          index[c] = r * n + c;
          delta[c] = v;
          roundoff[c] = Math.abs(coef) * err + EPSILON * Math.abs(v);
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
          roundoff[r] = Math.abs(coef) * err + EPSILON * Math.abs(v);
        }
        result.count = m;
      }
      return;
    }
    for (let e = 0; e < change.count; e++) {
      const flat = change.index[e]!;
      const d = change.delta[e]!;
      const err = change.roundoff[e]!;
      if (argIndex === 0) {
        const r = Math.floor(flat / k);
        const i = flat - r * k;
        for (let c = 0; c < n; c++) {
          const coef = b[i * n + c]!;
          const v = d * coef;
          acc.add(r * n + c, v, Math.abs(coef) * err + EPSILON * Math.abs(v));
        }
      } else {
        const i = Math.floor(flat / n);
        const c = flat - i * n;
        for (let r = 0; r < m; r++) {
          const coef = a[r * k + i]!;
          const v = coef * d;
          acc.add(r * n + c, v, Math.abs(coef) * err + EPSILON * Math.abs(v));
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
export const biasAddIncremental: IncrementalRule = ({ args, out }) => {
  const [A, B] = args as [Tensor, Tensor];
  const shape = broadcastShapesOrNull(A.shape, B.shape);
  if (shape === null || !sameShape(shape, out.shape)) {
    throw new FdArgumentError('biasAddIncremental', `arguments of shapes ${formatShape(A.shape)} and ${formatShape(B.shape)} do not broadcast to the node's shape ${formatShape(out.shape)}`, 'use it on a node that adds two tensors with NumPy broadcasting');
  }
  const spreads = [broadcastSpread(A.shape, shape), broadcastSpread(B.shape, shape)];
  return linear((argIndex, change, result) => {
    const { first, copies } = spreads[argIndex]!;
    const { index, delta, roundoff } = result;
    const n = copies.length;
    let k = 0;
    for (let e = 0; e < change.count; e++) {
      const start = first[change.index[e]!]!;
      const d = change.delta[e]!;
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
    const acc = new SparseAccumulator(N * F * Ho * Wo);
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
            roundoff[count] = Math.abs(coef) * err + EPSILON * Math.abs(v);
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
            roundoff[count] = Math.abs(coef) * err + EPSILON * Math.abs(v);
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
 * The change of a loss that is quadratic in the changed argument y, ΔL = Σ_e s·δ_e·(o_e + κ·s·δ_e), for
 * the change scaled by each of `scale[0..lanes)` (powers of two: δ_e → scale·δ_e, bounds likewise), into
 * `deltas` and `roundoffs`. Summed compensated (the TwoSum of `compensatedSum`, fused with forming the
 * terms). Round-off: the input bounds times the slope |o + 2κ·s·δ|, plus CHANGE_ROUNDOFF_ULPS·ε·Σ|terms|
 * for forming and summing the terms. A lane's scale multiplies δ_e before anything else, so each lane
 * gets exactly the bits of the change scaled first and passed alone (the scaled form's contract).
 */
function quadraticChange(change: SparseChange, o: Float64Array, s: number, kappa: number, scale: Float64Array, lanes: number, deltas: Float64Array, roundoffs: Float64Array): void {
  const { index, delta, roundoff, count } = change;
  for (let l = 0; l < lanes; l++) {
    const factor = scale[l]!;
    const size = Math.abs(factor);
    let sum = 0;
    let compensation = 0;
    let magnitude = 0;
    let propagated = 0;
    for (let e = 0; e < count; e++) {
      const d = s * (factor * delta[e]!);
      const oe = o[index[e]!]!;
      const term = d * (oe + kappa * d);
      const t = sum + term;
      const virtual = t - sum;
      compensation += sum - (t - virtual) + (term - virtual);
      sum = t;
      magnitude += Math.abs(term);
      propagated += Math.abs(oe + 2 * kappa * d) * (size * roundoff[e]!);
    }
    deltas[l] = sum + compensation;
    roundoffs[l] = propagated + CHANGE_ROUNDOFF_ULPS * EPSILON * magnitude;
  }
}

/** A quadratic loss's update (one change, scale 1) and its scaled form (IncrementalUpdate.scaled), both through quadraticChange. */
function quadraticUpdate(other: (argIndex: number) => Float64Array, sign: (argIndex: number) => number, kappa: number): IncrementalUpdate {
  const unit = newScaledLossChanges(1);
  unit.scale[0] = 1;
  const update = (argIndex: number, change: SparseChange, result: SparseChange) => {
    quadraticChange(change, other(argIndex), sign(argIndex), kappa, unit.scale, 1, unit.delta, unit.roundoff);
    result.setScalar(unit.delta[0]!, unit.roundoff[0]!);
  };
  const scaled = (argIndex: number, change: SparseChange, out: ScaledLossChanges) => quadraticChange(change, other(argIndex), sign(argIndex), kappa, out.scale, out.lanes, out.delta, out.roundoff);
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

/** L = Σ A.*B (args [A, B], same shape; e.g. Σ G.*Y with a fixed upstream gradient G). A change δ of one factor changes L by δ times the other. */
export const innerProductIncremental: IncrementalRule = ({ args }) => {
  const [A, B] = args as [Tensor, Tensor];
  expectSameSize('innerProductIncremental', A, B);
  const a = A.contiguous().data;
  const b = B.contiguous().data;
  return quadraticUpdate((argIndex) => (argIndex === 0 ? b : a), () => 1, 0);
};
