import { KC, MC, NC } from './gemm-blocking.js';

/**
 * The WebAssembly SIMD kernels (source: assembly/, compiled to kernels.wasm beside this module by
 * `npm run build:wasm`, which `npm run build` runs): gemm's block kernel and the direct conv2d kernel.
 * They compute on operands the TypeScript side writes into the module's memory: gemm's panels in
 * fixed buffers, conv2d's image, filters and output in a fixed scratch region. The memory never grows
 * (see assembly/scratch.ts), so views of it stay valid for the life of the module.
 * src/tensor/kernel-backend.ts loads the module once; when the file is missing or the engine cannot
 * compile it (no SIMD), the JavaScript kernels run instead. This module only instantiates the bytes,
 * so it runs in Node and in a browser alike; where the bytes come from is wasm-kernels-file.ts's job.
 */
export interface WasmKernels {
  /** gemm's A panels (MC·KC doubles), written by the caller before `multiplyBlock`. */
  readonly packA: Float64Array;
  /** gemm's B panels (KC·NC doubles). */
  readonly packB: Float64Array;
  /** The product block (MC·NC doubles), row-major with row length nc, written by `multiplyBlock`. */
  readonly cBlock: Float64Array;
  /** cBlock[0:mc, 0:nc] = packA · packB over kc steps; mc and nc are multiples of the panel sizes. */
  multiplyBlock(mc: number, nc: number, kc: number): void;
  /** The module's memory. */
  readonly memory: ArrayBuffer;
  /** Byte offset (16-byte aligned) and length of the scratch region. */
  readonly scratchOffset: number;
  readonly scratchBytes: number;
  /** The direct conv2d kernel, byte offsets into the memory; layout in assembly/conv.ts. */
  convolveRows(image: number, rowStep: number, tapOffsets: number, depth: number, filters: number, filterPanels: number, out: number, rows: number, tiles: number): void;
}

/** The part of the WebAssembly JS API used here (neither lib ES2023 nor @types/node 20 declares it). */
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
};

/** What assembly/index.ts exports. */
interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  packAOffset(): number;
  packBOffset(): number;
  cBlockOffset(): number;
  multiplyBlock(mc: number, nc: number, kc: number): void;
  scratchOffset(): number;
  scratchBytes(): number;
  convolveRows(image: number, rowStep: number, tapOffsets: number, depth: number, filters: number, filterPanels: number, out: number, rows: number, tiles: number): void;
}

/** Instantiates the kernels from the bytes of kernels.wasm; undefined when they do not compile here, or are stale. */
export function instantiateWasmKernels(bytes: Uint8Array): WasmKernels | undefined {
  let exports: KernelExports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as KernelExports;
  } catch {
    return undefined;
  }
  const functions = ['packAOffset', 'packBOffset', 'cBlockOffset', 'multiplyBlock', 'scratchOffset', 'scratchBytes', 'convolveRows'] as const;
  if (!functions.every((name) => typeof exports[name] === 'function')) return undefined;
  const memory = exports.memory.buffer;
  // A build from older sources (other exports, a scratch region past the memory, or gemm buffers
  // smaller than the blocks of gemm-blocking.ts: a RangeError below) is refused: JavaScript runs instead.
  if (exports.scratchOffset() + exports.scratchBytes() > memory.byteLength) return undefined;
  try {
    return {
      packA: new Float64Array(memory, exports.packAOffset(), MC * KC),
      packB: new Float64Array(memory, exports.packBOffset(), KC * NC),
      cBlock: new Float64Array(memory, exports.cBlockOffset(), MC * NC),
      multiplyBlock: exports.multiplyBlock,
      memory,
      scratchOffset: exports.scratchOffset(),
      scratchBytes: exports.scratchBytes(),
      convolveRows: exports.convolveRows,
    };
  } catch {
    return undefined;
  }
}
