// The gemm block kernel. It multiplies panels that the TypeScript side has packed into this module's
// memory, in the layout of src/tensor/matmul.ts:
//   A block: mc/MR panels, panel r holding A[r·MR + i, p] at (r·kc + p)·MR + i;
//   B block: nc/NR panels, panel q holding B[p, q·NR + j] at (q·kc + p)·NR + j;
// and writes the product block C[i, j] at i·nc + j (overwritten, not accumulated).
import { MR, NR, multiplyTile } from './tile';

/** Block sizes: must equal MC, KC and NC in src/tensor/gemm-blocking.ts. */
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
      multiplyTile(kc, PACK_A + (<usize>(ir / MR)) * panelA, b, 0, C_BLOCK + (<usize>ir) * ldc + ((<usize>jr) << 3), ldc);
    }
  }
}
