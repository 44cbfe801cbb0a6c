import { type IntPair, intPair } from './arguments.js';
import { normalizeAxes } from './axes.js';
import { ShapeError, TensorArgumentError } from './errors.js';
import { type DirectConvLayer, conv2dDirect } from './conv2d-direct.js';
import { NR } from './gemm-blocking.js';
import { activeWasmKernels } from './kernel-backend.js';
import { gemmPackedB } from './matmul.js';
import { Tensor, copyStrided, rowMajorStrides, sizeOf } from './tensor.js';

/**
 * Output size of a 2-D convolution or correlation, MATLAB `conv2` semantics (x is H×W, k is kh×kw):
 * - 'full':  (H + kh − 1) × (W + kw − 1), every overlap of k with x;
 * - 'valid': (H − kh + 1) × (W − kw + 1), only positions where k lies inside x (0 × ... when k is larger);
 * - 'same':  H × W, the central part of 'full'.
 */
export type ConvMode = 'full' | 'valid' | 'same';

/**
 * Where output (0, 0) sits on x for the correlation form out[i, j] = Σ_{u,v} x[i + u − top, j + v − left] k[u, v]
 * (x is zero outside its bounds). 'full' starts kh − 1 rows above x. MATLAB's 'same' keeps rows
 * ceil((kh − 1)/2) + 1 .. of 'full' (1-based) for conv2; written as a correlation with the rotated kernel
 * that is top = floor((kh − 1)/2): for even kh the extra row of 'full' is dropped at the top. (SciPy's
 * convolve2d 'same' drops it at the bottom instead, so the two differ for even kernel sizes.)
 */
function correlationOrigin(mode: ConvMode, kh: number): number {
  switch (mode) {
    case 'valid':
      return 0;
    case 'full':
      return kh - 1;
    case 'same':
      return Math.floor((kh - 1) / 2);
  }
}

function outputSize(mode: ConvMode, n: number, kn: number): number {
  switch (mode) {
    case 'valid':
      return Math.max(0, n - kn + 1);
    case 'full':
      return n + kn - 1;
    case 'same':
      return n;
  }
}

function checkMode(op: string, mode: string): ConvMode {
  if (mode !== 'full' && mode !== 'valid' && mode !== 'same') {
    throw new TensorArgumentError(op, `mode must be 'full', 'valid' or 'same', got '${mode}'`);
  }
  return mode;
}

/**
 * Correlates every H×W plane of `x` (its last two axes; leading axes are a batch) with the kh×kw kernel
 * (rotated by 180° first for a convolution):
 * out[i, j] = Σ_{u,v} x[i + u − top, j + v − left] · k[u, v], x read as zero outside its bounds.
 * Loop order i, u, v, j: the innermost loop runs along one row of x and of the output, over exactly the
 * columns where x is in bounds, so it has no branch.
 */
function correlatePlanes(op: string, x: Tensor, kernel: Tensor, mode: ConvMode, rotateKernel: boolean): Tensor {
  if (x.rank < 2 || kernel.rank !== 2) {
    throw new ShapeError(op, [x.shape, kernel.shape], 'needs x with at least 2 axes (the last two are correlated) and a 2-D kernel; reshape a vector to 1×n or n×1');
  }
  const k = rotateKernel ? rot90(kernel, 2) : kernel;
  const [kh, kw] = k.shape as [number, number];
  if (kh === 0 || kw === 0) throw new ShapeError(op, [x.shape, k.shape], 'the kernel must have at least one row and one column');
  const H = x.shape[x.rank - 2]!;
  const W = x.shape[x.rank - 1]!;
  const outH = outputSize(mode, H, kh);
  const outW = outputSize(mode, W, kw);
  const top = correlationOrigin(mode, kh);
  const left = correlationOrigin(mode, kw);
  const planes = sizeOf(x.shape.slice(0, -2));
  const xd = x.contiguous().data;
  const kd = k.contiguous().data;
  const out = new Float64Array(planes * outH * outW);
  for (let plane = 0; plane < planes; plane++) {
    const xPlane = plane * H * W;
    const oPlane = plane * outH * outW;
    for (let i = 0; i < outH; i++) {
      const oRow = oPlane + i * outW;
      for (let u = 0; u < kh; u++) {
        const r = i + u - top;
        if (r < 0 || r >= H) continue;
        const xRow = xPlane + r * W;
        for (let v = 0; v < kw; v++) {
          const kv = kd[u * kw + v]!;
          const shift = v - left; // output column j reads x column j + shift
          const jEnd = Math.min(outW, W - shift);
          for (let j = Math.max(0, -shift); j < jEnd; j++) out[oRow + j]! += kv * xd[xRow + j + shift]!;
        }
      }
    }
  }
  return new Tensor(out, [...x.shape.slice(0, -2), outH, outW]);
}

/**
 * 2-D cross-correlation (no kernel flip; the "filt" of course notes, MATLAB `filter2(k, x, mode)`):
 * out[i, j] = Σ_{u,v} x[i + u, j + v] · k[u, v] in 'valid' mode. Leading axes of x are a batch.
 */
export function corr2(x: Tensor, k: Tensor, mode: ConvMode = 'valid'): Tensor {
  return correlatePlanes('corr2', x, k, checkMode('corr2', mode), false);
}

/**
 * 2-D convolution, MATLAB `conv2(x, k, mode)`: out[i, j] = Σ_{u,v} x[i − u, j − v] · k[u, v] ('full'),
 * i.e. the correlation with k rotated by 180°. Leading axes of x are a batch.
 */
export function conv2(x: Tensor, k: Tensor, mode: ConvMode = 'full'): Tensor {
  return correlatePlanes('conv2', x, k, checkMode('conv2', mode), true);
}

export interface Conv2dOptions {
  /** Step between output positions: one number for both axes or [rows, cols]; default 1. */
  readonly stride?: IntPair;
  /** Zero padding added on each side: one number for both axes or [rows, cols]; default 0. */
  readonly padding?: IntPair;
}

/**
 * The convolution layer of CNNs (a correlation, as in PyTorch `conv2d`), X: N×C×H×W, K: F×C×kh×kw →
 * Y: N×F×Ho×Wo with Ho = floor((H + 2·ph − kh)/sh) + 1:
 *   Y[n, f, i, j] = Σ_{c,u,v} Xpad[n, c, i·sh + u, j·sw + v] · K[f, c, u, v].
 * With the WebAssembly kernels and column stride 1 it runs directly on a padded copy of each image
 * (conv2d-direct.ts). Otherwise it is one matrix product per image, Y[n] = K (as F × C·kh·kw) · cols,
 * where column (i, j) of cols is the receptive field of output (i, j) (im2col). cols is never stored:
 * gemm asks for it block by block and the receptive fields are packed straight from X into its panels,
 * zeros for the padding.
 */
export function conv2d(x: Tensor, k: Tensor, options: Conv2dOptions = {}): Tensor {
  if (x.rank !== 4 || k.rank !== 4) {
    throw new ShapeError('conv2d', [x.shape, k.shape], 'needs X as N×C×H×W and K as F×C×kh×kw');
  }
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [F, KC, kh, kw] = k.shape as [number, number, number, number];
  if (KC !== C) throw new ShapeError('conv2d', [x.shape, k.shape], `X has ${C} channels but K expects ${KC}`);
  const [sh, sw] = intPair('conv2d', 'stride', options.stride ?? 1, 1);
  const [ph, pw] = intPair('conv2d', 'padding', options.padding ?? 0, 0);
  if (H + 2 * ph < kh || W + 2 * pw < kw) {
    throw new ShapeError('conv2d', [x.shape, k.shape], `the ${kh}×${kw} kernel does not fit in the ${H + 2 * ph}×${W + 2 * pw} padded input`);
  }
  const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const depth = C * kh * kw;
  const positions = Ho * Wo;
  const xd = x.contiguous().data;
  const kd = k.contiguous().data;
  const out = new Float64Array(N * F * positions);
  const wasm = activeWasmKernels();
  if (sw === 1 && wasm !== undefined) {
    const layer: DirectConvLayer = { x: xd, k: kd, N, C, H, W, F, kh, kw, sh, ph, pw, Ho, Wo };
    if (conv2dDirect(wasm, layer, out)) return new Tensor(out, [N, F, Ho, Wo]);
  }
  const geometry: ConvGeometry = { x: xd, H, W, kh, kw, sh, sw, ph, pw, Wo };
  for (let n = 0; n < N; n++) {
    const image = n * C * H * W;
    gemmPackedB(F, positions, depth, kd, 0, depth, 1, out, n * F * positions, (pack, at, p0, kc, j0, nc) =>
      packReceptiveFields(geometry, image, pack, at, p0, kc, j0, nc),
    );
  }
  return new Tensor(out, [N, F, Ho, Wo]);
}

/** What `packReceptiveFields` needs to know about one conv2d call: X's data and the layer's sizes. */
interface ConvGeometry {
  readonly x: Float64Array;
  readonly H: number;
  readonly W: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly Wo: number;
}

/**
 * Implicit im2col: packs block [p0, p0 + kc) × [j0, j0 + nc) of cols into gemm's B panels, where row
 * p of cols is (c, u, v) (p = (c·kh + u)·kw + v) and column j is output position (i, jj) = (j div Wo,
 * j mod Wo), so cols[p, j] = X[image + c, i·sh + u − ph, jj·sw + v − pw], zero outside X.
 * A panel holds NR consecutive positions; when they lie in one output row and their receptive
 * fields inside X (every panel but those at the borders), the values are read as one strided run.
 */
function packReceptiveFields(g: ConvGeometry, image: number, pack: Float64Array, at: number, p0: number, kc: number, j0: number, nc: number): void {
  const { x, H, W, kh, kw, sh, sw, ph, pw, Wo } = g;
  const lanes = NR;
  const rowOf = new Int32Array(lanes); // input row of lane t for u = 0, or one that is never in bounds
  const colOf = new Int32Array(lanes); // input column of lane t for v = 0
  const span = (lanes - 1) * sw;
  let w = at;
  for (let base = 0; base < nc; base += lanes) {
    const width = Math.min(lanes, nc - base);
    for (let t = 0; t < lanes; t++) {
      const j = j0 + base + t;
      rowOf[t] = t < width ? Math.floor(j / Wo) * sh - ph : -H - kh;
      colOf[t] = (j % Wo) * sw - pw;
    }
    const oneRow = width === lanes && rowOf[lanes - 1] === rowOf[0];
    let v = p0 % kw;
    let u = Math.floor(p0 / kw) % kh;
    let plane = image + Math.floor(p0 / (kh * kw)) * H * W;
    for (let p = 0; p < kc; p++, w += lanes) {
      const r = rowOf[0]! + u;
      const col = colOf[0]! + v;
      if (oneRow && r >= 0 && r < H && col >= 0 && col + span < W) {
        const src = plane + r * W + col;
        for (let t = 0; t < lanes; t++) pack[w + t] = x[src + t * sw]!;
      } else {
        for (let t = 0; t < lanes; t++) {
          const rt = rowOf[t]! + u;
          const ct = colOf[t]! + v;
          pack[w + t] = rt >= 0 && rt < H && ct >= 0 && ct < W ? x[plane + rt * W + ct]! : 0;
        }
      }
      if (++v === kw) {
        v = 0;
        if (++u === kh) {
          u = 0;
          plane += H * W;
        }
      }
    }
  }
}

/** Zero padding per axis: [before, after] for every axis, or a number for both sides of the last two axes. */
export type PadWidths = number | readonly (readonly [number, number])[];

/** `t` surrounded by zeros: `pad(x, 1)` adds one row/column on each side of the last two axes. */
export function pad(t: Tensor, widths: PadWidths): Tensor {
  let pairs: readonly (readonly [number, number])[];
  if (typeof widths === 'number') {
    pairs = t.shape.map((_, ax): readonly [number, number] => (ax >= t.rank - 2 ? [widths, widths] : [0, 0]));
  } else {
    if (widths.length !== t.rank) {
      throw new TensorArgumentError('pad', `${widths.length} [before, after] pairs given for a tensor of rank ${t.rank}; give one per axis`);
    }
    pairs = widths;
  }
  for (const pair of pairs) {
    if (pair.length !== 2 || !pair.every((w) => Number.isInteger(w) && w >= 0)) {
      throw new TensorArgumentError('pad', `widths are integers ≥ 0, got ${JSON.stringify(widths)}`);
    }
  }
  const shape = t.shape.map((d, ax) => d + pairs[ax]![0] + pairs[ax]![1]);
  const out = new Float64Array(sizeOf(shape));
  const strides = rowMajorStrides(shape);
  const start = pairs.reduce((off, [before], ax) => off + before * strides[ax]!, 0);
  copyStrided(t.shape, t.data, t.offset, t.strides, out, start, strides);
  return new Tensor(out, shape);
}

/** A view of `t` read backwards along `axes` (negative strides); shares storage. */
function flipView(t: Tensor, axes: readonly number[]): Tensor {
  let offset = t.offset;
  const strides = [...t.strides];
  for (const ax of axes) {
    const d = t.shape[ax]!;
    if (d === 0) continue;
    offset += (d - 1) * strides[ax]!;
    strides[ax] = -strides[ax]!;
  }
  return new Tensor(t.data, t.shape, strides, offset, t.dtype);
}

/** `t` with the order of elements reversed along `axes` (default: every axis), as NumPy `flip`. */
export function flip(t: Tensor, axes?: number | readonly number[]): Tensor {
  return flipView(t, normalizeAxes('flip', axes, t.rank)).clone();
}

/**
 * The last two axes rotated by k·90° counter-clockwise (k any integer; negative turns clockwise), as
 * MATLAB `rot90(A, k)` and NumPy `rot90(A, k, axes=(-2, -1))`. rot90(A, 2) is the kernel flip of conv2.
 */
export function rot90(t: Tensor, k = 1): Tensor {
  if (!Number.isInteger(k)) throw new TensorArgumentError('rot90', `the number of quarter turns must be an integer, got ${k}`);
  if (t.rank < 2) throw new ShapeError('rot90', [t.shape], 'needs at least 2 axes (the last two are rotated)');
  const rows = t.rank - 2;
  const cols = t.rank - 1;
  const swap = t.shape.map((_, ax) => (ax === rows ? cols : ax === cols ? rows : ax));
  switch (((k % 4) + 4) % 4) {
    case 1: // out[i, j] = t[j, W − 1 − i]
      return flipView(t, [cols]).transpose(swap).clone();
    case 2:
      return flipView(t, [rows, cols]).clone();
    case 3: // out[i, j] = t[H − 1 − j, i]
      return flipView(t.transpose(swap), [cols]).clone();
    default:
      return t.clone();
  }
}
