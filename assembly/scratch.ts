// The growable part of the module's memory, after the static gemm buffers: operands of kernels whose
// size depends on the call (conv2d's padded image, filters and output). The stub runtime never
// allocates, so everything from __heap_base on is ours.

/** 64 KiB WebAssembly pages. */
const PAGE_BITS = 16;

/** Byte offset of the scratch region (16-byte aligned, so f64x2 loads of aligned data stay aligned). */
export function scratchOffset(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * Grows the memory so that the scratch region holds at least `bytes`; false when the engine refuses
 * (the 4 GiB limit of wasm32, or memory pressure). Growing detaches every view of the old buffer: the
 * TypeScript side re-creates its views after a call that grew the memory.
 */
export function reserveScratch(bytes: usize): bool {
  const end = <u64>scratchOffset() + <u64>bytes;
  const pages = <i32>((end + (1 << PAGE_BITS) - 1) >> PAGE_BITS);
  const have = memory.size();
  return pages <= have || memory.grow(pages - have) >= 0;
}
