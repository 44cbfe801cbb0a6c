import { readFileSync } from 'node:fs';
import { KC, MC, NC } from './gemm-blocking.js';

/**
 * The WebAssembly SIMD kernels (source: assembly/, compiled to kernels.wasm beside this module by
 * `npm run build:wasm`, which `npm run build` runs): gemm's block kernel and the direct conv2d kernel.
 * They compute on operands the TypeScript side writes into the module's memory: gemm's panels in
 * fixed buffers, conv2d's image, filters and output in a scratch region that grows on demand.
 * src/tensor/kernel-backend.ts loads them once; when the file is missing or the engine cannot compile
 * it (no SIMD), the JavaScript kernels run instead.
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
  /** Byte offset of the scratch region (16-byte aligned). */
  readonly scratchOffset: number;
  /**
   * Makes the scratch region at least `bytes` long and returns the memory's buffer (a new one when it
   * grew: views taken before are then detached); undefined when the memory cannot grow that far.
   */
  reserveScratch(bytes: number): ArrayBuffer | undefined;
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
  reserveScratch(bytes: number): number;
  convolveRows(image: number, rowStep: number, tapOffsets: number, depth: number, filters: number, filterPanels: number, out: number, rows: number, tiles: number): void;
}

/** The most memory a wasm32 module can address: 2^32 bytes. */
const WASM32_MEMORY_BYTES = 2 ** 32;

/** Where `npm run build:wasm` puts the module: beside this file, in src/tensor and in dist/src/tensor. */
const KERNELS_WASM = new URL('./kernels.wasm', import.meta.url);

/** Instantiates the kernels from `file`; undefined when it cannot be read or compiled, or is stale. */
export function loadWasmKernels(file: URL = KERNELS_WASM): WasmKernels | undefined {
  let exports: KernelExports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports as KernelExports;
  } catch {
    return undefined;
  }
  const { memory } = exports;
  const functions = ['packAOffset', 'packBOffset', 'cBlockOffset', 'multiplyBlock', 'scratchOffset', 'reserveScratch', 'convolveRows'] as const;
  if (!functions.every((name) => typeof exports[name] === 'function')) return undefined;
  // A build from older sources (other exports, or gemm buffers too small for the blocks of
  // gemm-blocking.ts, which must end before the scratch region) is refused: JavaScript runs instead.
  const layout = [
    [exports.packAOffset, MC * KC],
    [exports.packBOffset, KC * NC],
    [exports.cBlockOffset, MC * NC],
  ] as const;
  if (layout.some(([offset, doubles]) => offset() + 8 * doubles > exports.scratchOffset())) return undefined;
  const scratchOffset = exports.scratchOffset();
  // Growing the memory replaces its buffer; the gemm views are re-created on first use after that.
  let viewsOf: ArrayBuffer | undefined;
  let views: readonly Float64Array[] = [];
  const gemmView = (which: number): Float64Array => {
    if (viewsOf !== memory.buffer) {
      viewsOf = memory.buffer;
      views = layout.map(([offset, doubles]) => new Float64Array(memory.buffer, offset(), doubles));
    }
    return views[which]!;
  };
  return {
    get packA() {
      return gemmView(0);
    },
    get packB() {
      return gemmView(1);
    },
    get cBlock() {
      return gemmView(2);
    },
    multiplyBlock: exports.multiplyBlock,
    scratchOffset,
    // The argument is a u32 in the module: larger requests would wrap, and wasm32 memory ends at 4 GiB.
    reserveScratch: (bytes) => (scratchOffset + bytes <= WASM32_MEMORY_BYTES && exports.reserveScratch(bytes) !== 0 ? memory.buffer : undefined),
    convolveRows: exports.convolveRows,
  };
}
