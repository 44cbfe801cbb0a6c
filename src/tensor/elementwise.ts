import { sigmoid as scalarSigmoid } from './special.js';
import { Tensor } from './tensor.js';

/** `f` applied to every element; the result is a new row-major float64 tensor of the same shape. */
export function map(t: Tensor, f: (x: number) => number): Tensor {
  const src = t.contiguous().data;
  const n = t.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(src[i]!);
  return new Tensor(out, t.shape);
}

export const exp = (t: Tensor): Tensor => map(t, Math.exp);
export const log = (t: Tensor): Tensor => map(t, Math.log);
export const sqrt = (t: Tensor): Tensor => map(t, Math.sqrt);
export const abs = (t: Tensor): Tensor => map(t, Math.abs);
export const tanh = (t: Tensor): Tensor => map(t, Math.tanh);
export const ceil = (t: Tensor): Tensor => map(t, Math.ceil);
export const floor = (t: Tensor): Tensor => map(t, Math.floor);
/** −1, 0 or 1 (0 at ±0), NaN for NaN: MATLAB's and NumPy's `sign`. */
export const sign = (t: Tensor): Tensor => map(t, Math.sign);
export const neg = (t: Tensor): Tensor => map(t, (x) => -x);
export const square = (t: Tensor): Tensor => map(t, (x) => x * x);

/** 1 / (1 + e^−x), written so that neither branch overflows (special.ts). */
export const sigmoid = (t: Tensor): Tensor => map(t, scalarSigmoid);

/** max(x, 0); NaN stays NaN so that a bad input is not silently zeroed. */
export const relu = (t: Tensor): Tensor => map(t, (x) => (x < 0 ? 0 : x));

/** Heaviside step, 1 for x > 0 and 0 for x ≤ 0 (MATLAB's `x > 0`, the derivative of relu); NaN stays NaN. */
export const step = (t: Tensor): Tensor => map(t, (x) => (x > 0 ? 1 : x <= 0 ? 0 : Number.NaN));
