import { MR, NR } from './gemm-blocking.js';
import { packA } from './matmul.js';
import { copyStrided } from './tensor.js';
import type { WasmKernels } from './wasm-kernels.js';

/** A conv2d call with unit column stride: X's data and the layer's sizes (see conv2d in conv.ts). */
export interface DirectConvLayer {
  readonly x: Float64Array;
  readonly k: Float64Array;
  readonly N: number;
  readonly C: number;
  readonly H: number;
  readonly W: number;
  readonly F: number;
  readonly kh: number;
  readonly kw: number;
  /** Row stride; the column stride is 1. */
  readonly sh: number;
  readonly ph: number;
  readonly pw: number;
  readonly Ho: number;
  readonly Wo: number;
}

/** Scratch regions start on 16-byte boundaries, so the kernel's f64x2 loads of them are aligned. */
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * conv2d on the WebAssembly kernel (assembly/conv.ts), written into `out` (N×F×Ho×Wo, zeros):
 * per image, X is copied once into a zero-padded C×Hp×Wp buffer, and each 4×4 output tile (4 filters
 * × 4 consecutive columns) reads its inputs straight from there, tap by tap, as gemm reads a packed B
 * panel. No im2col matrix is built, and nothing is packed per tile: at N8 C16 32×32 F16 K3 this ran
 * 2.4× faster than implicit im2col on the same SIMD gemm kernel (bench/README.md).
 *   Hp = (Ho − 1)·sh + kh rows are the ones the output reads; Wp = 4·ceil(Wo/4) + kw − 1 columns let
 *   the last tile run whole (its extra columns are computed from zeros and dropped).
 * Returns false, with `out` untouched, when one image and its output do not fit in the scratch region
 * (16 MiB: far beyond a derivation's sizes); conv2d then takes the im2col route.
 */
export function conv2dDirect(kernels: WasmKernels, layer: DirectConvLayer, out: Float64Array): boolean {
  const { x, k, N, C, H, W, F, kh, kw, sh, ph, pw, Ho, Wo } = layer;
  const tiles = Math.ceil(Wo / NR);
  const Hp = (Ho - 1) * sh + kh;
  const Wp = tiles * NR + kw - 1;
  const depth = C * kh * kw;
  const filterPanels = Math.ceil(F / MR);
  const outRow = tiles * NR;
  const imageAt = kernels.scratchOffset;
  const filtersAt = imageAt + align16(8 * C * Hp * Wp);
  const tapsAt = filtersAt + align16(8 * filterPanels * MR * depth);
  const outAt = tapsAt + align16(4 * depth);
  const outDoubles = filterPanels * MR * Ho * outRow;
  if (outAt + 8 * outDoubles - imageAt > kernels.scratchBytes) return false;
  const buffer = kernels.memory;
  const image = new Float64Array(buffer, imageAt, C * Hp * Wp).fill(0);
  const filters = new Float64Array(buffer, filtersAt, filterPanels * MR * depth);
  const taps = new Int32Array(buffer, tapsAt, depth);
  const result = new Float64Array(buffer, outAt, outDoubles);
  // K as F × depth in gemm's A panels: filters[(panel·depth + p)·MR + i] = K[panel·MR + i, p].
  packA(k, 0, depth, 1, F, depth, filters);
  // Tap p = (c, u, v) of output (i, j) reads image[c, i·sh + u, j + v]: a byte offset from (i·sh, j).
  for (let c = 0, p = 0; c < C; c++) {
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) taps[p++] = 8 * ((c * Hp + u) * Wp + v);
    }
  }
  // Input rows that land in the Hp rows read (rows past them only feed outputs past Ho).
  const rows = Math.max(0, Math.min(H, Hp - ph));
  for (let n = 0; n < N; n++) {
    copyStrided([C, rows, W], x, n * C * H * W, [H * W, W, 1], image, ph * Wp + pw, [Hp * Wp, Wp, 1]);
    kernels.convolveRows(imageAt, 8 * sh * Wp, tapsAt, depth, filtersAt, filterPanels, outAt, Ho, tiles);
    copyStrided([F, Ho, Wo], result, 0, [Ho * outRow, outRow, 1], out, n * F * Ho * Wo, [Ho * Wo, Wo, 1]);
  }
  return true;
}
