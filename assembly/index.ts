// Entry of the WebAssembly SIMD kernels (compiled by `npm run build:wasm` into src/tensor/kernels.wasm;
// loaded by src/tensor/wasm-kernels.ts). The kernels only compute: the TypeScript side packs their
// operands into this module's memory and reads the results back.
export { packAOffset, packBOffset, cBlockOffset, multiplyBlock } from './gemm';
export { scratchOffset, scratchBytes } from './scratch';
export { convolveRows } from './conv';
