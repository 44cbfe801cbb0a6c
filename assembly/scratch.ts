// A fixed region after the gemm buffers for operands whose size depends on the call: conv2d's padded
// image, filters and output. It never grows: growing a WebAssembly memory detaches its old buffer, and
// the first detached ArrayBuffer of a process makes V8 check for detachment on every typed-array access
// in optimised code from then on (the incremental FD of the conv bench ran 15–30% slower after one).
// A call whose operands do not fit takes another route on the TypeScript side.

/** 16 MiB: an image of 16 channels at 180×180 with its output, far beyond a derivation's sizes. */
const SCRATCH_BYTES = 16 << 20;

const SCRATCH: usize = memory.data(SCRATCH_BYTES, 16);

/** Byte offset of the scratch region (16-byte aligned, so aligned data stays aligned for f64x2). */
export function scratchOffset(): usize {
  return SCRATCH;
}

/** Its length in bytes. */
export function scratchBytes(): usize {
  return SCRATCH_BYTES;
}
