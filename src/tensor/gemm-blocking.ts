/**
 * gemm's register tile and cache blocks, shared by the JavaScript kernel (src/tensor/matmul.ts) and the
 * WebAssembly one (assembly/tile.ts and assembly/gemm.ts declare the same values: keep them equal).
 * Loop structure and packed layouts: see matmul.ts.
 */

/** Rows of an A panel = rows of the C tile held in registers. */
export const MR = 4;
/** Columns of a B panel = columns of the C tile. */
export const NR = 4;
/** Inner-dimension slice: a 4×256 A panel and a 256×4 B panel (8 KiB each) stay in L1 during a tile. */
export const KC = 256;
/** Rows of A packed at once: MC×KC doubles = 128 KiB, sized for L2. */
export const MC = 64;
/** Columns of B packed at once: KC×NC doubles = 512 KiB. */
export const NC = 256;
