/**
 * Independent reference computations for the FD tests: forwards and exact gradients in plain loops
 * (row-major Float64Arrays), written from the textbook formulas, not from the code under test.
 */
import { Tensor } from '../../src/tensor/tensor.js';

export function matmulLoop(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += a[r * k + i]! * b[i * n + c]!;
    out[r * n + c] = s;
  }
  return out;
}

/** Aᵀ·B for A [m,k], B [m,n] → [k,n]. */
export function transposeTimes(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let c = 0; c < n; c++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += a[r * k + i]! * b[r * n + c]!;
    out[i * n + c] = s;
  }
  return out;
}

/** A·Bᵀ for A [m,n], B [k,n] → [m,k]. */
export function timesTranspose(a: Float64Array, b: Float64Array, m: number, n: number, k: number): Float64Array {
  const out = new Float64Array(m * k);
  for (let r = 0; r < m; r++) for (let i = 0; i < k; i++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += a[r * n + c]! * b[i * n + c]!;
    out[r * k + i] = s;
  }
  return out;
}

/** Dense least squares L(W) = ½‖XW − T‖²: loss and exact gradient Xᵀ(XW − T). */
export function denseLeastSquares(X: Tensor, W: Tensor, T: Tensor): { loss: number; dW: Float64Array } {
  const [m, k] = X.shape as [number, number];
  const n = W.shape[1]!;
  const r = matmulLoop(X.data, W.data, m, k, n).map((v, i) => v - T.data[i]!);
  return { loss: r.reduce((s, v) => s + 0.5 * v * v, 0), dW: transposeTimes(X.data, r, m, k, n) };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Two-layer sigmoid MLP, L = ½‖σ(σ(X W1) W2) − T‖², with both weight gradients by backpropagation. */
export function sigmoidMlp(X: Tensor, W1: Tensor, W2: Tensor, T: Tensor): { loss: number; dW1: Float64Array; dW2: Float64Array } {
  const [N, I] = X.shape as [number, number];
  const H = W1.shape[1]!;
  const O = W2.shape[1]!;
  const h = matmulLoop(X.data, W1.data, N, I, H).map(sigmoid);
  const y = matmulLoop(h, W2.data, N, H, O).map(sigmoid);
  let loss = 0;
  const dz2 = new Float64Array(N * O);
  for (let e = 0; e < N * O; e++) {
    const r = y[e]! - T.data[e]!;
    loss += 0.5 * r * r;
    dz2[e] = r * y[e]! * (1 - y[e]!);
  }
  const dW2 = transposeTimes(h, dz2, N, H, O);
  const dh = timesTranspose(dz2, W2.data, N, O, H);
  const dz1 = dh.map((v, e) => v * h[e]! * (1 - h[e]!));
  return { loss, dW1: transposeTimes(X.data, dz1, N, I, H), dW2 };
}

/** ∂/∂x log Σ exp(x) = softmax(x), max-shifted. */
export function softmaxLoop(x: Float64Array): Float64Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return x.map((v) => Math.exp(v - m) / s);
}

export interface ConvGeometry {
  readonly stride: number;
  readonly padding: number;
}

/** Y = conv2d(X, K) (cross-correlation, zero padding) by its definition. */
export function conv2dLoop(X: Tensor, K: Tensor, { stride: s, padding: p }: ConvGeometry): Tensor {
  const [N, C, H, W] = X.shape as [number, number, number, number];
  const [F, , kh, kw] = K.shape as [number, number, number, number];
  const Ho = Math.floor((H + 2 * p - kh) / s) + 1;
  const Wo = Math.floor((W + 2 * p - kw) / s) + 1;
  const out = new Float64Array(N * F * Ho * Wo);
  for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
    let acc = 0;
    for (let c = 0; c < C; c++) for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) {
      const iy = oy * s + dy - p;
      const ix = ox * s + dx - p;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) acc += X.data[((n * C + c) * H + iy) * W + ix]! * K.data[((f * C + c) * kh + dy) * kw + dx]!;
    }
    out[((n * F + f) * Ho + oy) * Wo + ox] = acc;
  }
  return new Tensor(out, [N, F, Ho, Wo]);
}

/** Gradients of L = Σ G.*conv2d(X, K): dX scatters G through K, dK correlates X with G. */
export function conv2dGradients(X: Tensor, K: Tensor, G: Tensor, { stride: s, padding: p }: ConvGeometry): { dX: Float64Array; dK: Float64Array } {
  const [N, C, H, W] = X.shape as [number, number, number, number];
  const [F, , kh, kw] = K.shape as [number, number, number, number];
  const [, , Ho, Wo] = G.shape as [number, number, number, number];
  const dX = new Float64Array(X.size);
  const dK = new Float64Array(K.size);
  for (let n = 0; n < N; n++) for (let f = 0; f < F; f++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
    const g = G.data[((n * F + f) * Ho + oy) * Wo + ox]!;
    for (let c = 0; c < C; c++) for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) {
      const iy = oy * s + dy - p;
      const ix = ox * s + dx - p;
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      const xi = ((n * C + c) * H + iy) * W + ix;
      const ki = ((f * C + c) * kh + dy) * kw + dx;
      dX[xi] += g * K.data[ki]!;
      dK[ki] += g * X.data[xi]!;
    }
  }
  return { dX, dK };
}

/**
 * A + B with NumPy broadcasting to `shape`, one output entry at a time: its multi-index, read in each
 * argument with the argument's axes aligned on the right and index 0 on axes of size 1.
 */
export function broadcastAddLoop(a: Tensor, b: Tensor, shape: readonly number[]): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  const read = (t: Tensor, digits: number[]) => {
    let flat = 0;
    for (let ax = 0; ax < t.rank; ax++) flat = flat * t.shape[ax]! + (t.shape[ax] === 1 ? 0 : digits[digits.length - t.rank + ax]!);
    return t.data[flat]!;
  };
  for (let i = 0; i < size; i++) {
    const digits = new Array<number>(shape.length);
    let rest = i;
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      digits[ax] = rest % shape[ax]!;
      rest = Math.floor(rest / shape[ax]!);
    }
    out[i] = read(a, digits) + read(b, digits);
  }
  return new Tensor(out, shape);
}

export function innerLoop(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * b.data[i]!;
  return s;
}

/** ‖a − b‖₂ / ‖b‖₂. */
export function normRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Fraction of entries whose true error |estimate − exact| is within the reported error bound. */
export function coverage(estimate: ArrayLike<number>, bound: ArrayLike<number>, exact: ArrayLike<number>): number {
  let covered = 0;
  for (let i = 0; i < exact.length; i++) if (Math.abs(estimate[i]! - exact[i]!) <= bound[i]!) covered++;
  return covered / exact.length;
}
