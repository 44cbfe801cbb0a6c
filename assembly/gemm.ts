// AssemblyScript source of the WebAssembly SIMD gemm kernel (compiled by `npm run build:wasm` into
// src/tensor/gemm.wasm; loaded by src/tensor/wasm-gemm.ts). It only multiplies panels that the
// TypeScript side has packed into this module's memory, in the layout of src/tensor/matmul.ts:
//   A block: mc/MR panels, panel r holding A[r·MR + i, p] at (r·kc + p)·MR + i;
//   B block: nc/NR panels, panel q holding B[p, q·NR + j] at (q·kc + p)·NR + j;
// and writes the product block C[i, j] at i·nc + j (overwritten, not accumulated).
// Each MR×NR tile of C lives in 8 f64x2 registers; per step p it costs 2 vector loads of B, 4 splat
// loads of A, 8 multiplies and 8 adds (no FMA: relaxed SIMD is not available everywhere).

/** Rows of an A panel (and of a C tile). Must equal GEMM_MR in src/tensor/matmul.ts. */
const MR = 4;
/** Columns of a B panel (and of a C tile). Must equal GEMM_NR in src/tensor/matmul.ts. */
const NR = 4;
/** Block sizes: must equal MC, KC and NC in src/tensor/matmul.ts. */
const MC = 64;
const KC = 256;
const NC = 256;

const PACK_A: usize = memory.data(MC * KC * 8, 16);
const PACK_B: usize = memory.data(KC * NC * 8, 16);
const C_BLOCK: usize = memory.data(MC * NC * 8, 16);

/** Byte offsets of the three buffers in the exported memory. */
export function packAOffset(): usize {
  return PACK_A;
}
export function packBOffset(): usize {
  return PACK_B;
}
export function cBlockOffset(): usize {
  return C_BLOCK;
}

/** C_BLOCK[0:mc, 0:nc] = (packed A) · (packed B) over kc steps; mc, nc multiples of MR, NR. */
export function multiplyBlock(mc: i32, nc: i32, kc: i32): void {
  const ldc = (<usize>nc) << 3;
  const panelA = (<usize>kc) * MR * 8;
  const panelB = (<usize>kc) * NR * 8;
  for (let jr = 0; jr < nc; jr += NR) {
    const b = PACK_B + (<usize>(jr / NR)) * panelB;
    for (let ir = 0; ir < mc; ir += MR) {
      microKernel(kc, PACK_A + (<usize>(ir / MR)) * panelA, b, C_BLOCK + (<usize>ir) * ldc + ((<usize>jr) << 3), ldc);
    }
  }
}

// @ts-ignore: decorator
@inline
function microKernel(kc: i32, a: usize, b: usize, c: usize, ldc: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let ai = v128.load64_splat(a);
    c00 = f64x2.add(c00, f64x2.mul(ai, b0));
    c01 = f64x2.add(c01, f64x2.mul(ai, b1));
    ai = v128.load64_splat(a, 8);
    c10 = f64x2.add(c10, f64x2.mul(ai, b0));
    c11 = f64x2.add(c11, f64x2.mul(ai, b1));
    ai = v128.load64_splat(a, 16);
    c20 = f64x2.add(c20, f64x2.mul(ai, b0));
    c21 = f64x2.add(c21, f64x2.mul(ai, b1));
    ai = v128.load64_splat(a, 24);
    c30 = f64x2.add(c30, f64x2.mul(ai, b0));
    c31 = f64x2.add(c31, f64x2.mul(ai, b1));
    a += MR * 8;
    b += NR * 8;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  c += ldc;
  v128.store(c, c10);
  v128.store(c, c11, 16);
  c += ldc;
  v128.store(c, c20);
  v128.store(c, c21, 16);
  c += ldc;
  v128.store(c, c30);
  v128.store(c, c31, 16);
}
