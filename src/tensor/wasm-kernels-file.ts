import { readFileSync } from 'node:fs';
import { type WasmKernels, instantiateWasmKernels } from './wasm-kernels.js';

/**
 * The WebAssembly kernels as Node loads them: kernels.wasm read from beside this module (src/tensor,
 * or dist/src/tensor where `npm run build:wasm` copies it). The browser build (web/build.js) puts
 * web/engine/wasm-kernels-inline.ts in this module's place, which holds the same bytes in the bundle.
 */
const KERNELS_WASM = new URL('./kernels.wasm', import.meta.url);

/** The kernels from `file`; undefined when it cannot be read or compiled, or is stale. */
export function loadWasmKernels(file: URL = KERNELS_WASM): WasmKernels | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return instantiateWasmKernels(bytes);
}
