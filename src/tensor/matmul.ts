import { broadcastShapesOrNull, broadcastStrides } from './broadcast.js';
import { ShapeError, formatShape } from './errors.js';
import * as blocking from './gemm-blocking.js';
import { activeWasmKernels } from './kernel-backend.js';
import { Tensor, forEachRow, sizeOf } from './tensor.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * General matrix product C += A·B on strided operands, the way GotoBLAS/BLIS organise it (Goto and
 * van de Geijn, "Anatomy of high-performance matrix multiplication", TOMS 2008):
 *
 *   for each NC-wide column block of B, each KC-deep slice of the inner dimension:
 *     pack B[slice, block] into NR-wide panels (k-major), then
 *     for each MC-tall row block of A: pack A[block, slice] into MR-tall panels (k-major),
 *       and run the MR×NR micro-kernel on every (A panel, B panel) pair.
 *
 * Packing reads the operands through their strides, so a transposed operand (transA/transB, or a
 * transposed view) costs nothing extra: no transpose is ever materialised. Two block kernels run on
 * the same panels: the WebAssembly SIMD one (assembly/gemm.ts, each 4×4 tile of C in eight f64x2
 * registers), used when it is the kernel backend (src/tensor/kernel-backend.ts), and the JavaScript
 * one, whose micro-kernel keeps the tile in 16 locals and streams both panels from one buffer with
 * unit stride. Block and tile sizes: src/tensor/gemm-blocking.ts.
 */

/**
 * Module-local copies of the block sizes: V8 folds a local `const` into the micro-kernel's index
 * arithmetic, but loads an imported binding at every use (the JavaScript kernel ran 30% slower at
 * n = 256 with the imports used directly).
 */
const { MR, NR, KC, MC, NC } = blocking;

/**
 * One packing buffer for both operands: A panels at [0, MC·KC), B panels at [PACK_B, PACK_B + KC·NC).
 * Its length is a power of two so that the micro-kernel can index it as `PACK[i & PACK_MASK]`: every
 * index is already in range, so the mask changes nothing, but it tells V8 that `ia + 1` etc. are small
 * int32 values (no overflow checks) and, PACK being a module constant, turns each bounds check into a
 * compare with a constant (the micro-kernel alone ran about 25% faster this way on Node 20).
 * JS runs one kernel at a time per isolate, so a module-level scratch buffer is safe as long as nothing
 * calls gemm while a gemm is running (see PackBlockOfB).
 */
const PACK_B = MC * KC;
const PACK_SIZE = 1 << 17;
const PACK_MASK = PACK_SIZE - 1;
const PACK = new Float64Array(PACK_SIZE);
/** Partial tiles at the right and bottom edges are computed here, then the valid part copied out. */
const EDGE_TILE = new Float64Array(MR * NR);

/**
 * Below this many multiply-adds, packing costs more than it saves; a plain i-p-j loop is used (by
 * both backends: above it the WebAssembly kernel was as fast as or faster than the JavaScript one at
 * every n = 24..512 measured, 2.0× at n = 32, so it needs no threshold of its own).
 */
const DIRECT_LIMIT = 4096;

/**
 * C[cOff + i·n + j] += Σ_p A[aOff + i·aRs + p·aCs] · B[bOff + p·bRs + j·bCs] for i < m, j < n, p < k.
 * C is row-major m×n at cOff; A and B are read through any strides (negative included).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  aOff: number,
  aRs: number,
  aCs: number,
  B: Float64Array,
  bOff: number,
  bRs: number,
  bCs: number,
  C: Float64Array,
  cOff: number,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (m * n * k <= DIRECT_LIMIT || m < MR || n < NR) {
    gemmDirect(m, n, k, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, cOff);
    return;
  }
  gemmPackedB(m, n, k, A, aOff, aRs, aCs, C, cOff, (pack, at, p0, kc, j0, nc) => packStrided(B, bOff + p0 * bRs + j0 * bCs, bRs, bCs, kc, nc, pack, at));
}

/** B[0:kc, 0:nc] (at `off`, strides rs, cs) → pack[at, ...) as NR-column panels, k-major, zero-padded. */
function packStrided(B: Float64Array, off: number, rs: number, cs: number, kc: number, nc: number, pack: Float64Array, at: number): void {
  let w = at;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    for (let p = 0; p < kc; p++) {
      const src = off + p * rs + j0 * cs;
      let j = 0;
      for (; j < nr; j++) pack[w++] = B[src + j * cs]!;
      for (; j < NR; j++) pack[w++] = 0;
    }
  }
}

/**
 * Packs the block B[p0 : p0 + kc, j0 : j0 + nc] into `pack` from index `at` as consecutive panels of
 * NR columns (gemm-blocking.ts); panel q holds, for p = 0 .. kc − 1, the NR values B[p0 + p, j0 + q·NR + t]
 * (zero where the column is past j0 + nc). Lets a caller feed B without materialising it (conv2d packs
 * its receptive fields straight from the image: implicit im2col). It must not call gemm itself: both
 * share the packing buffer.
 */
export type PackBlockOfB = (pack: Float64Array, at: number, p0: number, kc: number, j0: number, nc: number) => void;

/** C[cOff + i·n + j] += Σ_p A[aOff + i·aRs + p·aCs] · B[p, j], with B supplied block by block by `packBlockOfB`. */
export function gemmPackedB(m: number, n: number, k: number, A: Float64Array, aOff: number, aRs: number, aCs: number, C: Float64Array, cOff: number, packBlockOfB: PackBlockOfB): void {
  const wasm = activeWasmKernels();
  if (wasm !== undefined) {
    gemmPackedBWasm(wasm, m, n, k, A, aOff, aRs, aCs, C, cOff, packBlockOfB);
    return;
  }
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packBlockOfB(PACK, PACK_B, p0, kc, j0, nc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(A, aOff + i0 * aRs + p0 * aCs, aRs, aCs, mc, kc, PACK);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const ib = PACK_B + jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const ia = ir * kc;
            const c = cOff + (i0 + ir) * n + j0 + jr;
            if (mr === MR && nr === NR) {
              microKernel(kc, ia, ib, C, c, n);
            } else {
              EDGE_TILE.fill(0);
              microKernel(kc, ia, ib, EDGE_TILE, 0, NR);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) C[c + i * n + j]! += EDGE_TILE[i * NR + j]!;
              }
            }
          }
        }
      }
    }
  }
}

/** `gemmPackedB` with the WebAssembly kernel: the same blocks and panels, packed into its memory. */
function gemmPackedBWasm(kernel: WasmKernels, m: number, n: number, k: number, A: Float64Array, aOff: number, aRs: number, aCs: number, C: Float64Array, cOff: number, packBlockOfB: PackBlockOfB): void {
  const { packA: packedA, packB: packedB, cBlock } = kernel;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const ncPadded = Math.ceil(nc / NR) * NR;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packBlockOfB(packedB, 0, p0, kc, j0, nc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(A, aOff + i0 * aRs + p0 * aCs, aRs, aCs, mc, kc, packedA);
        kernel.multiplyBlock(Math.ceil(mc / MR) * MR, ncPadded, kc);
        for (let i = 0; i < mc; i++) {
          const c = cOff + (i0 + i) * n + j0;
          const b = i * ncPadded;
          for (let j = 0; j < nc; j++) C[c + j]! += cBlock[b + j]!;
        }
      }
    }
  }
}

/** The i-p-j loop for small products: the innermost loop runs along a row of B and of C. */
function gemmDirect(m: number, n: number, k: number, A: Float64Array, aOff: number, aRs: number, aCs: number, B: Float64Array, bOff: number, bRs: number, bCs: number, C: Float64Array, cOff: number): void {
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const a = A[aOff + i * aRs + p * aCs]!;
      for (let j = 0, b = bOff + p * bRs; j < n; j++, b += bCs) C[ci + j]! += a * B[b]!;
    }
  }
}

/**
 * A[0:mc, 0:kc] (at `off`) → pack[0, ...): MR-row panels, each stored k-major (MR values per p),
 * zero-padded. Also the filter layout of the direct conv2d kernel (conv2d-direct.ts).
 */
export function packA(A: Float64Array, off: number, rs: number, cs: number, mc: number, kc: number, pack: Float64Array): void {
  let w = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = Math.min(MR, mc - i0);
    for (let p = 0; p < kc; p++) {
      const src = off + i0 * rs + p * cs;
      let i = 0;
      for (; i < mr; i++) pack[w++] = A[src + i * rs]!;
      for (; i < MR; i++) pack[w++] = 0;
    }
  }
}

/** C[c + i·ldc + j] += Σ_p PACK[ia + MR·p + i] · PACK[ib + NR·p + j] for the 4×4 tile. */
function microKernel(kc: number, ia: number, ib: number, C: Float64Array, c: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = PACK[ib & PACK_MASK]!;
    const b1 = PACK[(ib + 1) & PACK_MASK]!;
    const b2 = PACK[(ib + 2) & PACK_MASK]!;
    const b3 = PACK[(ib + 3) & PACK_MASK]!;
    let a = PACK[ia & PACK_MASK]!;
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = PACK[(ia + 1) & PACK_MASK]!;
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = PACK[(ia + 2) & PACK_MASK]!;
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = PACK[(ia + 3) & PACK_MASK]!;
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
    ia += MR;
    ib += NR;
  }
  C[c]! += c00; C[c + 1]! += c01; C[c + 2]! += c02; C[c + 3]! += c03;
  c += ldc;
  C[c]! += c10; C[c + 1]! += c11; C[c + 2]! += c12; C[c + 3]! += c13;
  c += ldc;
  C[c]! += c20; C[c + 1]! += c21; C[c + 2]! += c22; C[c + 3]! += c23;
  c += ldc;
  C[c]! += c30; C[c + 1]! += c31; C[c + 2]! += c32; C[c + 3]! += c33;
}

export interface MatmulOptions {
  /** Use Aᵀ (the last two axes of A swapped) without copying it. */
  readonly transA?: boolean;
  /** Use Bᵀ (the last two axes of B swapped) without copying it. */
  readonly transB?: boolean;
}

/** An operand seen as a stack of matrices: batch axes, then rows × cols with their strides. */
interface MatrixView {
  readonly batchShape: readonly number[];
  readonly batchStrides: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
  readonly colStride: number;
  /** How the shape reads in an error message, e.g. `4×3ᵀ`. */
  readonly label: string;
}

/** Rank ≥ 2: the last two axes (swapped if `trans`). Rank 1: a row (left operand) or a column (right), as in NumPy. */
function matrixView(t: Tensor, trans: boolean, side: 'left' | 'right'): MatrixView {
  const r = t.rank;
  if (r === 1) {
    const [len] = t.shape as [number];
    const [stride] = t.strides as [number];
    return side === 'left'
      ? { batchShape: [], batchStrides: [], rows: 1, cols: len, rowStride: 0, colStride: stride, label: formatShape(t.shape) }
      : { batchShape: [], batchStrides: [], rows: len, cols: 1, rowStride: stride, colStride: 0, label: formatShape(t.shape) };
  }
  const rows = t.shape[r - 2]!;
  const cols = t.shape[r - 1]!;
  const rs = t.strides[r - 2]!;
  const cs = t.strides[r - 1]!;
  return {
    batchShape: t.shape.slice(0, r - 2),
    batchStrides: t.strides.slice(0, r - 2),
    rows: trans ? cols : rows,
    cols: trans ? rows : cols,
    rowStride: trans ? cs : rs,
    colStride: trans ? rs : cs,
    label: formatShape(t.shape) + (trans ? 'ᵀ' : ''),
  };
}

/**
 * The matrix product (NumPy `matmul` semantics): [..., m, k] · [..., k, n] → [..., m, n] with the
 * leading (batch) axes broadcast; a rank-1 left operand is a row and a rank-1 right operand a column,
 * and their axis is dropped from the result. `transA`/`transB` transpose the last two axes of a
 * matrix operand (a rank-1 operand is its own transpose). Any strided view is read in place.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError('matmul', [a.shape, b.shape], 'operands must be vectors or matrices (use mul to scale by a scalar)');
  }
  const A = matrixView(a, options.transA === true, 'left');
  const B = matrixView(b, options.transB === true, 'right');
  if (A.cols !== B.rows) {
    throw new ShapeError('matmul', [a.shape, b.shape], `inner dimensions differ (${A.label} · ${B.label}): ${A.cols} columns against ${B.rows} rows`);
  }
  const batchShape = broadcastShapesOrNull(A.batchShape, B.batchShape);
  if (batchShape === null) {
    throw new ShapeError('matmul', [a.shape, b.shape], `batch axes ${formatShape(A.batchShape)} and ${formatShape(B.batchShape)} do not broadcast`);
  }
  const m = A.rows;
  const n = B.cols;
  const k = A.cols;
  const shape = [...batchShape, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  const out = new Float64Array(sizeOf(shape));
  // One gemm per batch index; a trailing axis of length 1 makes forEachRow visit every batch element.
  const aStrides = [...broadcastStrides(A.batchShape, A.batchStrides, batchShape), 0];
  const bStrides = [...broadcastStrides(B.batchShape, B.batchStrides, batchShape), 0];
  forEachRow([...batchShape, 1], a.offset, aStrides, b.offset, bStrides, (aOff, bOff, batch) =>
    gemm(m, n, k, a.data, aOff, A.rowStride, A.colStride, b.data, bOff, B.rowStride, B.colStride, out, batch * m * n),
  );
  return new Tensor(out, shape);
}
