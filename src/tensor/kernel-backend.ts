import type { WasmKernels } from './wasm-kernels.js';
import { loadWasmKernels } from './wasm-kernels-file.js';

/**
 * Which kernels run the heavy loops (gemm, and conv2d with unit column stride): 'wasm' (SIMD, the
 * default when kernels.wasm loads) or 'js' (the fallback, always available). Both give the same
 * values up to the order of additions; tests run both, benches compare them.
 */
export type KernelBackend = 'wasm' | 'js';

/** The WebAssembly kernels, loaded once at import; undefined when kernels.wasm is missing or does not compile here. */
const WASM_KERNELS: WasmKernels | undefined = loadWasmKernels();

let backend: KernelBackend = WASM_KERNELS === undefined ? 'js' : 'wasm';

/** Whether the WebAssembly kernels loaded (kernels.wasm present and compiled by this engine). */
export const wasmKernelsAvailable: boolean = WASM_KERNELS !== undefined;

/** The backend in use. */
export function kernelBackend(): KernelBackend {
  return backend;
}

/** Chooses the backend; 'wasm' needs `wasmKernelsAvailable`. */
export function useKernelBackend(choice: KernelBackend): void {
  if (choice === 'wasm' && WASM_KERNELS === undefined) {
    throw new Error("useKernelBackend: the WebAssembly kernels did not load (run 'npm run build:wasm' to build src/tensor/kernels.wasm)");
  }
  backend = choice;
}

/** The WebAssembly kernels when they are the backend in use, else undefined (run the JavaScript path). */
export function activeWasmKernels(): WasmKernels | undefined {
  return backend === 'wasm' ? WASM_KERNELS : undefined;
}

/** Runs `body` on the backend `choice`, then restores the one in use before (tests and benches). */
export function withKernelBackend<T>(choice: KernelBackend, body: () => T): T {
  const before = backend;
  useKernelBackend(choice);
  try {
    return body();
  } finally {
    backend = before;
  }
}
