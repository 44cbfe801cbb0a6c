/**
 * The browser's stand-in for src/tensor/wasm-kernels-file.ts (web/build.js puts it in that module's
 * place): the same kernels, from the bytes of kernels.wasm that the bundle holds, since a page opened
 * from file:// cannot fetch a file beside it. A worker may compile a module synchronously.
 */
import kernelsWasm from '../../src/tensor/kernels.wasm';
import { type WasmKernels, instantiateWasmKernels } from '../../src/tensor/wasm-kernels.js';

export function loadWasmKernels(): WasmKernels | undefined {
  return instantiateWasmKernels(kernelsWasm);
}
