import { readFileSync } from 'node:fs';

/**
 * The WebAssembly SIMD block kernel for gemm (source: assembly/gemm.ts, compiled to gemm.wasm beside
 * this module by `npm run build:wasm`, which `npm run build` runs). It multiplies panels packed into
 * its own memory; src/tensor/matmul.ts packs them and adds the block into C. matmul.ts loads it
 * synchronously at import; when the file is missing or the engine cannot compile it (no SIMD),
 * `loadWasmGemm` returns undefined and matmul uses its JavaScript micro-kernel.
 */
export interface WasmGemmKernel {
  /** A panels, written by the caller before `multiplyBlock`. */
  readonly packA: Float64Array;
  /** B panels, written by the caller before `multiplyBlock`. */
  readonly packB: Float64Array;
  /** The product block, row-major with row length nc, written by `multiplyBlock`. */
  readonly cBlock: Float64Array;
  /** cBlock[0:mc, 0:nc] = packA · packB over kc steps; mc and nc are multiples of the panel sizes. */
  multiplyBlock(mc: number, nc: number, kc: number): void;
}

/** The part of the WebAssembly JS API used here (neither lib ES2023 nor @types/node 20 declares it). */
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
};

/** What assembly/gemm.ts exports. */
interface GemmExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  packAOffset(): number;
  packBOffset(): number;
  cBlockOffset(): number;
  multiplyBlock(mc: number, nc: number, kc: number): void;
}

/** Where `npm run build:wasm` puts the module: beside this file, in src/tensor and in dist/src/tensor. */
const GEMM_WASM = new URL('./gemm.wasm', import.meta.url);

/**
 * Instantiates the kernel from `file` with buffers of `sizes` doubles (the block sizes of matmul.ts:
 * MC·KC, KC·NC, MC·NC); undefined when the file cannot be read or compiled.
 */
export function loadWasmGemm(sizes: { packA: number; packB: number; cBlock: number }, file: URL = GEMM_WASM): WasmGemmKernel | undefined {
  try {
    const module = new WebAssembly.Module(readFileSync(file));
    const exports = new WebAssembly.Instance(module, {}).exports as GemmExports;
    // The module never grows its memory (stub runtime, no allocation), so these views stay valid. A
    // RangeError here (buffers smaller than `sizes`: a stale build) also falls back to JavaScript.
    const buffer = exports.memory.buffer;
    return {
      packA: new Float64Array(buffer, exports.packAOffset(), sizes.packA),
      packB: new Float64Array(buffer, exports.packBOffset(), sizes.packB),
      cBlock: new Float64Array(buffer, exports.cBlockOffset(), sizes.cBlock),
      multiplyBlock: exports.multiplyBlock,
    };
  } catch {
    return undefined;
  }
}
