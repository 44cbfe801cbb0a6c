import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type KernelBackend, Rng, ShapeError, Tensor, conv2d, kernelBackend, matmul, sample, useKernelBackend, wasmKernelsAvailable, withKernelBackend } from '../../src/tensor/index.js';
import { KC, MC, NC } from '../../src/tensor/gemm-blocking.js';
import { activeWasmKernels } from '../../src/tensor/kernel-backend.js';
import { loadWasmKernels } from '../../src/tensor/wasm-kernels-file.js';
import { FC_OPTIONS, dim, layout, tensorOf, withLayout } from './arbitraries.js';
import { build, expectClose, expectRowMajor } from './reference.js';

/** C[i, j] = Σ_p A[i, p] · B[p, j], read entry by entry. */
function referenceProduct(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  return build([m, n], ([i, j]) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a.get(i!, p) * b.get(p, j!);
    return s;
  });
}

/** Explicit transpose by copying entries, for the reference side only. */
function transposed(t: Tensor): Tensor {
  return build([t.shape[1]!, t.shape[0]!], ([i, j]) => t.get(j!, i!));
}

/** m, k, n up to 6 (the direct loop) or up to 23 (packed 4×4 tiles with ragged edges). */
const dims3 = fc.oneof(fc.tuple(dim(6), dim(6), dim(6)), fc.tuple(dim(23), dim(23), dim(23)));

// Every matmul property holds for both block kernels: the WebAssembly one (the default) and the
// JavaScript fallback.
describe.each(['wasm', 'js'] as const)('matmul with the %s gemm kernel', (choice) => {
  let before: KernelBackend;
  beforeAll(() => {
    before = kernelBackend();
    useKernelBackend(choice);
  });
  afterAll(() => useKernelBackend(before));

  test('2-D products match the triple loop, for every operand layout', () => {
    fc.assert(
      fc.property(
        dims3.chain(([m, k, n]) => fc.tuple(tensorOf([m, k]), tensorOf([k, n]), layout, layout)),
        ([a, b, la, lb]) => {
          const out = matmul(withLayout(a, la), withLayout(b, lb));
          expectRowMajor(out);
          expectClose(out, referenceProduct(a, b));
        },
      ),
      { ...FC_OPTIONS, numRuns: 60 },
    );
  });

  test('transA / transB read the stored operand transposed', () => {
    fc.assert(
      fc.property(
        dims3.chain(([m, k, n]) => fc.tuple(tensorOf([k, m]), tensorOf([n, k]), layout, layout)),
        ([at, bt, la, lb]) => {
          const a = transposed(at);
          const b = transposed(bt);
          const A = withLayout(at, la);
          const B = withLayout(bt, lb);
          expectClose(matmul(A, B, { transA: true, transB: true }), referenceProduct(a, b));
          expectClose(matmul(A, withLayout(b, lb), { transA: true }), referenceProduct(a, b));
          expectClose(matmul(withLayout(a, la), B, { transB: true }), referenceProduct(a, b));
          // A transposed view is read in place and gives the same product.
          expectClose(matmul(A.transpose(), B.transpose()), referenceProduct(a, b));
        },
      ),
      { ...FC_OPTIONS, numRuns: 40 },
    );
  });

  test('leading axes are a broadcast batch of independent products', () => {
    const operands = fc
      .tuple(dim(3), dim(3), dim(4), dim(4), dim(4), fc.boolean(), fc.boolean())
      .chain(([b1, b2, m, k, n, oneA, oneB]) => fc.tuple(tensorOf([oneA ? 1 : b1, b2, m, k]), tensorOf([oneB ? 1 : b1, b2, k, n]), fc.boolean()));
    fc.assert(
      fc.property(operands, ([a, b, dropLead]) => {
        const B = dropLead && b.shape[0] === 1 ? b.reshape(b.shape.slice(1)) : b;
        const out = matmul(a, B);
        const batch = [Math.max(a.shape[0]!, b.shape[0]!), a.shape[1]!];
        expect(out.shape).toEqual([...batch, a.shape[2]!, b.shape[3]!]);
        for (let i = 0; i < batch[0]!; i++) {
          for (let j = 0; j < batch[1]!; j++) {
            const ai = a.slice([a.shape[0] === 1 ? 0 : i, j]);
            const bi = b.slice([b.shape[0] === 1 ? 0 : i, j]);
            expectClose(out.slice([i, j]).clone(), referenceProduct(ai, bi));
          }
        }
      }),
      { ...FC_OPTIONS, numRuns: 60 },
    );
  });

  test('rank-1 operands are a row on the left and a column on the right, and their axis is dropped', () => {
    const A = Tensor.fromArray([2, 3], [1, 2, 3, 4, 5, 6]);
    const x = Tensor.fromArray([3], [1, 0, -1]);
    const y = Tensor.fromArray([2], [1, 1]);
    expect(matmul(A, x).toNested()).toEqual([-2, -2]);
    expect(matmul(y, A).toNested()).toEqual([5, 7, 9]);
    expect(matmul(x, x).shape).toEqual([]);
    expect(matmul(x, x).item()).toBe(2);
    expect(matmul(y, A, { transA: true }).toNested()).toEqual([5, 7, 9]);
  });

  test('blocked path: 70×300 · 300×260 crosses every block boundary (MC, KC, NC) and matches the plain loop', () => {
    const rng = new Rng(2024);
    const a = sample.normal(rng, [70, 300]);
    const b = sample.normal(rng, [300, 260]);
    const expected = new Float64Array(70 * 260);
    for (let i = 0; i < 70; i++) {
      for (let j = 0; j < 260; j++) {
        let s = 0;
        for (let p = 0; p < 300; p++) s += a.data[i * 300 + p]! * b.data[p * 260 + j]!;
        expected[i * 260 + j] = s;
      }
    }
    expectClose(matmul(a, b), new Tensor(expected, [70, 260]));
    expectClose(matmul(b.transpose(), a.transpose()), new Tensor(expected, [70, 260]).transpose().clone());
  });

  test('empty dimensions give zeros (k = 0) or empty results', () => {
    expect(Array.from(matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3])).data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(matmul(Tensor.zeros([0, 4]), Tensor.zeros([4, 3])).shape).toEqual([0, 3]);
  });

  test('shape errors name the operation and both shapes', () => {
    expect(() => matmul(Tensor.zeros([3, 4]), Tensor.zeros([5, 2]))).toThrow(ShapeError);
    expect(() => matmul(Tensor.zeros([3, 4]), Tensor.zeros([5, 2]))).toThrow(/^matmul: inner dimensions differ \(3×4 · 5×2\): 4 columns against 5 rows \(shapes 3×4, 5×2\)$/);
    expect(() => matmul(Tensor.zeros([4, 3]), Tensor.zeros([4, 2]), { transA: false, transB: true })).toThrow(/\(4×3 · 4×2ᵀ\)/);
    expect(() => matmul(Tensor.zeros([2, 3, 4]), Tensor.zeros([3, 4, 5]))).toThrow(/^matmul: batch axes 2 and 3 do not broadcast \(shapes 2×3×4, 3×4×5\)$/);
    expect(() => matmul(Tensor.scalar(2), Tensor.zeros([2, 2]))).toThrow(/^matmul: operands must be vectors or matrices.*\(shapes scalar, 2×2\)$/);
  });
});

describe('gemm block kernels', () => {
  test('the WebAssembly kernels are built (npm run build) and used by default', () => {
    expect(wasmKernelsAvailable).toBe(true);
    expect(kernelBackend()).toBe('wasm');
  });

  test('both kernels match the plain loop on random shapes, layouts, transposes and batches', () => {
    // Dims up to 70 so that some products cross the 64-row block and most leave ragged edge tiles.
    const operands = fc
      .tuple(dim(2), dim(70), dim(70), dim(70), fc.boolean(), fc.boolean())
      .chain(([batch, m, k, n, transA, transB]) =>
        fc.tuple(tensorOf([batch, transA ? k : m, transA ? m : k]), tensorOf([batch, transB ? n : k, transB ? k : n]), layout, layout, fc.constant({ transA, transB })),
      );
    fc.assert(
      fc.property(operands, ([a, b, la, lb, options]) => {
        const viaWasm = withKernelBackend('wasm', () => matmul(withLayout(a, la), withLayout(b, lb), options));
        const viaJs = withKernelBackend('js', () => matmul(withLayout(a, la), withLayout(b, lb), options));
        for (let i = 0; i < a.shape[0]!; i++) {
          const ai = a.slice([i]).clone();
          const bi = b.slice([i]).clone();
          const expected = referenceProduct(options.transA ? transposed(ai) : ai, options.transB ? transposed(bi) : bi);
          expectClose(viaWasm.slice([i]).clone(), expected);
          expectClose(viaJs.slice([i]).clone(), expected);
        }
      }),
      { ...FC_OPTIONS, numRuns: 40 },
    );
  });

  test('size-1 and thin dimensions take the same result from both kernels', () => {
    const rng = new Rng(7);
    for (const [m, k, n] of [[1, 300, 260], [260, 300, 1], [70, 1, 90], [5, 257, 4], [4, 4, 4]] as const) {
      const a = sample.normal(rng, [m, k]);
      const b = sample.normal(rng, [k, n]);
      const expected = referenceProduct(a, b);
      expectClose(withKernelBackend('wasm', () => matmul(a, b)), expected);
      expectClose(withKernelBackend('js', () => matmul(a, b)), expected);
    }
  });

  test('a missing, invalid or stale kernels.wasm leaves the JavaScript kernels as the fallback', () => {
    expect(loadWasmKernels(new URL('./no-such-kernels.wasm', import.meta.url))).toBeUndefined();
    // This test file is not WebAssembly: compiling it fails, which must not throw.
    expect(loadWasmKernels(new URL(import.meta.url))).toBeUndefined();
    // A valid module without the kernels' exports (the 8-byte empty module), as a build from other sources.
    const empty = join(mkdtempSync(join(tmpdir(), 'derivcheck-wasm-')), 'empty.wasm');
    writeFileSync(empty, new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    expect(loadWasmKernels(pathToFileURL(empty))).toBeUndefined();
  });

  test('the kernels share one memory that never grows: matmul stays right around conv2d of every size', () => {
    const kernels = withKernelBackend('wasm', () => activeWasmKernels()!);
    const buffer = kernels.memory;
    expect([kernels.packA.length, kernels.packB.length, kernels.cBlock.length]).toEqual([MC * KC, KC * NC, MC * NC]);
    expect(kernels.scratchOffset % 16).toBe(0);
    const rng = new Rng(11);
    const a = sample.normal(rng, [70, 90]);
    const b = sample.normal(rng, [90, 80]);
    const expected = referenceProduct(a, b);
    // 4×300×300 doubles fit the scratch region (3 MB, the direct kernel); 24×300×300 do not (17 MB,
    // im2col on the wasm gemm). Both agree with the JavaScript route, and the memory is never replaced.
    for (const channels of [4, 24]) {
      const x = sample.normal(rng, [1, channels, 300, 300]);
      const k = sample.normal(rng, [2, channels, 1, 2]);
      const viaWasm = withKernelBackend('wasm', () => conv2d(x, k));
      expectClose(viaWasm, withKernelBackend('js', () => conv2d(x, k)));
      expectClose(withKernelBackend('wasm', () => matmul(a, b)), expected);
    }
    expect(kernels.memory).toBe(buffer);
    expect(buffer.byteLength).toBeGreaterThan(0); // never detached
  });
});
