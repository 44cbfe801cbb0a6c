// The one micro-kernel of the module: a 4×4 tile of C = Σ_p (column p of an A panel) ⊗ (row p of B),
// where row p of B is the 4 doubles at bBase + rowOffsets[p]. gemm's packed B panels have their rows
// at p·32 bytes; conv2d reads the rows straight from the padded image (implicit im2col), at the offset
// of channel c, kernel row u and column v. The extra i32 load per step cost nothing measurable at
// n = 256 (the f64 loads and arithmetic dominate).
// The tile lives in 8 f64x2 registers; per step it costs 2 vector loads of B, 4 splat loads of A,
// 8 multiplies and 8 adds (no FMA: relaxed SIMD is not available on every engine).

/** Rows of an A panel and of a C tile (MR in src/tensor/gemm-blocking.ts). */
export const MR = 4;
/** Columns of a C tile and of a B row (NR in src/tensor/gemm-blocking.ts). */
export const NR = 4;

/**
 * C[i, j] (at c + i·ldc + 8j bytes) = Σ_{p < steps} A[p·MR + i] · B[rowOffsets[p] + 8j], for i < MR,
 * j < NR; A is a packed panel at `a` (MR doubles per step), rowOffsets an i32 array of byte offsets
 * from bBase. C is overwritten.
 */
// @ts-ignore: decorator
@inline
export function multiplyTile(steps: i32, a: usize, bBase: usize, rowOffsets: usize, c: usize, ldc: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let packedRow = bBase;
  for (let p = 0; p < steps; p++) {
    // rowOffsets === 0 is a constant at each inlined call site, so the optimiser keeps one branch.
    const b = rowOffsets === 0 ? packedRow : bBase + <usize>load<i32>(rowOffsets + ((<usize>p) << 2));
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
    packedRow += NR * 8;
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
