import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type ConvMode, Rng, ShapeError, Tensor, TensorArgumentError, conv2, conv2d, corr2, flip, pad, rot90, sample, withKernelBackend } from '../../src/tensor/index.js';
import { FC_OPTIONS, dim, layout, tensor, tensorOf, withLayout } from './arbitraries.js';
import { hasPython, runPython } from './python.js';
import { build, expectClose, expectExact, expectRowMajor, indices } from './reference.js';

/** corr2 'valid' by its definition: out[i, j] = Σ_{u,v} x[i + u, j + v] · k[u, v]. */
function referenceCorrValid(x: Tensor, k: Tensor): Tensor {
  const [H, W] = x.shape as [number, number];
  const [kh, kw] = k.shape as [number, number];
  return build([Math.max(0, H - kh + 1), Math.max(0, W - kw + 1)], ([i, j]) => {
    let s = 0;
    for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) s += x.get(i! + u, j! + v) * k.get(u, v);
    return s;
  });
}

/** conv2 'full' by scattering: every x[a, b] adds x[a, b] · k to the block starting at (a, b). */
function referenceConvFull(x: Tensor, k: Tensor): Tensor {
  const [H, W] = x.shape as [number, number];
  const [kh, kw] = k.shape as [number, number];
  const out = Tensor.zeros([H + kh - 1, W + kw - 1]);
  for (const [a, b] of indices([H, W])) {
    for (const [u, v] of indices([kh, kw])) out.set([a! + u!, b! + v!], out.get(a! + u!, b! + v!) + x.get(a!, b!) * k.get(u!, v!));
  }
  return out;
}

/**
 * MATLAB's documentation of conv2: 'same' is the central part of 'full' of the size of x, i.e. rows
 * ceil((kh − 1)/2) + 1 .. (1-based); 'valid' is the part computed without zero-padded edges, rows
 * kh .. H (1-based) of 'full'.
 */
function referenceConv(x: Tensor, k: Tensor, mode: ConvMode): Tensor {
  const full = referenceConvFull(x, k);
  const [H, W] = x.shape as [number, number];
  const [kh, kw] = k.shape as [number, number];
  if (mode === 'full') return full;
  if (mode === 'same') {
    const top = Math.ceil((kh - 1) / 2);
    const left = Math.ceil((kw - 1) / 2);
    return full.slice([[top, top + H], [left, left + W]]).clone();
  }
  if (H < kh || W < kw) return Tensor.zeros([Math.max(0, H - kh + 1), Math.max(0, W - kw + 1)]);
  return full.slice([[kh - 1, H], [kw - 1, W]]).clone();
}

const modes: ConvMode[] = ['full', 'valid', 'same'];

/** x up to 6×6 and k up to 4×4 (even sizes included, and kernels larger than x). */
const imageAndKernel = fc
  .tuple(dim(6), dim(6), dim(4), dim(4))
  .chain(([H, W, kh, kw]) => fc.tuple(tensorOf([H, W]), tensorOf([kh, kw]), layout, layout))
  .map(([x, k, lx, lk]) => [withLayout(x, lx), withLayout(k, lk)] as const);

describe('corr2 and conv2', () => {
  test('corr2 valid is Σ x[i+u, j+v]·k[u, v]', () => {
    fc.assert(
      fc.property(imageAndKernel, ([x, k]) => {
        const out = corr2(x, k);
        expectRowMajor(out);
        expectClose(out, referenceCorrValid(x, k));
      }),
      FC_OPTIONS,
    );
  });

  test.each(modes)("conv2 '%s' matches MATLAB's definition (scatter form, central part for 'same')", (mode) => {
    fc.assert(
      fc.property(imageAndKernel, ([x, k]) => expectClose(conv2(x, k, mode), referenceConv(x, k, mode))),
      FC_OPTIONS,
    );
  });

  test.each(modes)("corr2 '%s' is conv2 with the kernel rotated by 180° (MATLAB filter2)", (mode) => {
    fc.assert(
      fc.property(imageAndKernel, ([x, k]) => expectClose(corr2(x, k, mode), referenceConv(x, rot90(k, 2), mode))),
      FC_OPTIONS,
    );
  });

  test('padding-and-flip identities: full = valid of the (k−1)-padded input, conv = corr with rot90(k, 2)', () => {
    fc.assert(
      fc.property(imageAndKernel, ([x, k]) => {
        const [kh, kw] = k.shape as [number, number];
        const padded = pad(x, [
          [kh - 1, kh - 1],
          [kw - 1, kw - 1],
        ]);
        expectClose(conv2(x, k, 'full'), corr2(padded, rot90(k, 2), 'valid'));
        expectClose(corr2(x, k, 'full'), corr2(padded, k, 'valid'));
        expectClose(conv2(x, k, 'valid'), corr2(x, rot90(k, 2), 'valid'));
        expectClose(conv2(x, k, 'full'), conv2(k, x, 'full')); // convolution commutes
      }),
      FC_OPTIONS,
    );
  });

  test('leading axes of x are a batch of independent planes', () => {
    fc.assert(
      fc.property(tensor(4, 4, 3), tensorOf([2, 3]), (x, k) => {
        const out = conv2(x, k, 'same');
        for (const [a, b] of indices(x.shape.slice(0, 2))) expectClose(out.slice([a!, b!]).clone(), referenceConv(x.slice([a!, b!]), k, 'same'));
      }),
      { ...FC_OPTIONS, numRuns: 40 },
    );
  });

  test("MATLAB's documented example: conv([-1 2 3 -2 0 1 2], [2 4 -1 1], 'same') = [15 5 -9 7 6 7 -1]", () => {
    const u = Tensor.fromArray([1, 7], [-1, 2, 3, -2, 0, 1, 2]);
    const v = Tensor.fromArray([1, 4], [2, 4, -1, 1]);
    expect(Array.from(conv2(u, v, 'same').data)).toEqual([15, 5, -9, 7, 6, 7, -1]);
  });

  test('shape and mode errors name the operation', () => {
    expect(() => conv2(Tensor.zeros([3]), Tensor.zeros([2, 2]))).toThrow(/^conv2: needs x with at least 2 axes.*\(shapes 3, 2×2\)$/);
    expect(() => corr2(Tensor.zeros([3, 3]), Tensor.zeros([0, 2]))).toThrow(ShapeError);
    expect(() => corr2(Tensor.zeros([3, 3]), Tensor.zeros([2, 2]), 'circular' as ConvMode)).toThrow(TensorArgumentError);
  });
});

/**
 * scipy's 'same' is NOT MATLAB's for even kernel sizes: scipy keeps rows (kh − 1) div 2 .. of 'full',
 * MATLAB keeps kh div 2 .. ("if there are an odd number of rows or columns, the center leaves one more
 * at the beginning than the end"). So MATLAB 'same' is compared with the 'full' result cut at kh div 2
 * and with the known MATLAB-compatible wrapper rot90(convolve2d(rot90(x, 2), rot90(k, 2), 'same'), 2);
 * for odd kernels it must also equal scipy's own 'same'.
 */
describe.skipIf(!hasPython)('corr2 and conv2 against scipy.signal', () => {
  test("convolve2d and correlate2d agree in every mode; MATLAB 'same' centring for even kernels", () => {
    const rng = new Rng(77);
    const cases: { x: Tensor; k: Tensor }[] = [];
    for (const [H, W, kh, kw] of [
      [5, 6, 2, 2],
      [6, 5, 4, 3],
      [7, 7, 3, 4],
      [4, 8, 1, 2],
      [6, 6, 3, 3],
      [3, 9, 2, 5],
    ] as const) {
      cases.push({ x: sample.normal(rng, [H, W]), k: sample.normal(rng, [kh, kw]) });
    }
    const script = `
import json, sys
import numpy as np
from scipy.signal import convolve2d, correlate2d

def matlab_same(x, k):
    full = convolve2d(x, k, mode="full")
    top, left = k.shape[0] // 2, k.shape[1] // 2
    return full[top:top + x.shape[0], left:left + x.shape[1]]

out = []
for c in json.load(sys.stdin):
    x, k = np.array(c["x"]), np.array(c["k"])
    flipped = np.rot90(k, 2)
    out.append({
        "full": convolve2d(x, k, mode="full").tolist(),
        "valid": convolve2d(x, k, mode="valid").tolist(),
        "same": matlab_same(x, k).tolist(),
        "same_wrapper": np.rot90(convolve2d(np.rot90(x, 2), flipped, mode="same"), 2).tolist(),
        "scipy_same": convolve2d(x, k, mode="same").tolist(),
        "corr_full": correlate2d(x, k, mode="full").tolist(),
        "corr_valid": correlate2d(x, k, mode="valid").tolist(),
        "filter2_same": matlab_same(x, flipped).tolist(),
    })
print(json.dumps(out))
`;
    const results = runPython(script, cases.map((c) => ({ x: c.x.toNested(), k: c.k.toNested() }))) as Record<string, number[][]>[];
    const oracle = (i: number, key: string): Tensor => Tensor.fromNested(results[i]![key]!);
    cases.forEach(({ x, k }, i) => {
      for (const mode of modes) expectClose(conv2(x, k, mode), oracle(i, mode), 1e-13);
      expectClose(conv2(x, k, 'same'), oracle(i, 'same_wrapper'), 1e-13);
      if (k.shape.every((d) => d % 2 === 1)) expectClose(conv2(x, k, 'same'), oracle(i, 'scipy_same'), 1e-13);
      expectClose(corr2(x, k, 'full'), oracle(i, 'corr_full'), 1e-13);
      expectClose(corr2(x, k, 'valid'), oracle(i, 'corr_valid'), 1e-13);
      expectClose(corr2(x, k, 'same'), oracle(i, 'filter2_same'), 1e-13);
    });
  });
});

/** The layer by its definition, 7 nested loops: Y[n,f,i,j] = Σ_{c,u,v} Xpad[n,c,i·s+u,j·s+v]·K[f,c,u,v]. */
function referenceConv2d(x: Tensor, k: Tensor, stride: [number, number], padding: [number, number]): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [F, , kh, kw] = k.shape as [number, number, number, number];
  const Ho = Math.floor((H + 2 * padding[0] - kh) / stride[0]) + 1;
  const Wo = Math.floor((W + 2 * padding[1] - kw) / stride[1]) + 1;
  return build([N, F, Ho, Wo], ([n, f, i, j]) => {
    let s = 0;
    for (let c = 0; c < C; c++) {
      for (let u = 0; u < kh; u++) {
        for (let v = 0; v < kw; v++) {
          const r = i! * stride[0] + u - padding[0];
          const q = j! * stride[1] + v - padding[1];
          if (r >= 0 && r < H && q >= 0 && q < W) s += x.get(n!, c, r, q) * k.get(f!, c, u, v);
        }
      }
    }
    return s;
  });
}

describe('conv2d (the CNN layer)', () => {
  const layer = fc
    .record({
      N: dim(2),
      C: dim(3),
      F: dim(5),
      kh: dim(3),
      kw: dim(3),
      sh: dim(3),
      sw: dim(2),
      ph: fc.nat(2),
      pw: fc.nat(2),
      extraH: fc.nat(6),
      extraW: fc.nat(9),
    })
    .chain((p) =>
      fc.tuple(
        fc.constant(p),
        tensorOf([p.N, p.C, Math.max(1, p.kh - 2 * p.ph) + p.extraH, Math.max(1, p.kw - 2 * p.pw) + p.extraW]),
        tensorOf([p.F, p.C, p.kh, p.kw]),
        layout,
      ),
    );

  test('matches the 7-loop definition for any stride and zero padding', () => {
    fc.assert(
      fc.property(layer, ([p, x, k, l]) => {
        const stride: [number, number] = [p.sh, p.sw];
        const padding: [number, number] = [p.ph, p.pw];
        const out = conv2d(withLayout(x, l), k, { stride, padding });
        expectRowMajor(out);
        expectClose(out, referenceConv2d(x, k, stride, padding));
      }),
      { ...FC_OPTIONS, numRuns: 80 },
    );
  });

  test('matches the 7-loop definition with the JavaScript kernels too (the fallback when WebAssembly is absent)', () => {
    withKernelBackend('js', () =>
      fc.assert(
        fc.property(layer, ([p, x, k, l]) => {
          const stride: [number, number] = [p.sh, p.sw];
          const padding: [number, number] = [p.ph, p.pw];
          expectClose(conv2d(withLayout(x, l), k, { stride, padding }), referenceConv2d(x, k, stride, padding));
        }),
        { ...FC_OPTIONS, numRuns: 30 },
      ),
    );
  });

  test('the direct WebAssembly path (column stride 1) matches the definition at ragged tile and filter counts', () => {
    // Wo = 1..13 crosses 4-column tiles, F = 1..9 crosses 4-filter panels, and padding up to 3 can
    // exceed the kernel, so the padded copy of X is bigger than X on every side.
    const direct = fc
      .record({ N: dim(2), C: dim(3), F: dim(9), kh: dim(4), kw: dim(4), sh: dim(3), ph: fc.nat(3), pw: fc.nat(3), extraH: fc.nat(5), extraW: fc.nat(12) })
      .chain((p) =>
        fc.tuple(fc.constant(p), tensorOf([p.N, p.C, Math.max(1, p.kh - 2 * p.ph) + p.extraH, Math.max(1, p.kw - 2 * p.pw) + p.extraW]), tensorOf([p.F, p.C, p.kh, p.kw])),
      );
    withKernelBackend('wasm', () =>
      fc.assert(
        fc.property(direct, ([p, x, k]) => {
          const stride: [number, number] = [p.sh, 1];
          const padding: [number, number] = [p.ph, p.pw];
          expectClose(conv2d(x, k, { stride, padding }), referenceConv2d(x, k, stride, padding));
        }),
        { ...FC_OPTIONS, numRuns: 60 },
      ),
    );
  });

  test('one image, one channel, one filter, stride 1: conv2d is corr2 of the padded image', () => {
    const rng = new Rng(9);
    const x = sample.normal(rng, [1, 1, 7, 9]);
    const k = sample.normal(rng, [1, 1, 3, 2]);
    const y = conv2d(x, k, { padding: 1 });
    expectClose(y.slice([0, 0]).clone(), corr2(pad(x.slice([0, 0]), 1), k.slice([0, 0])));
  });

  test('a realistic layer (N2 C8 20×20 F12 K5, stride 2, padding 2) matches the definition', () => {
    const rng = new Rng(10);
    const x = sample.normal(rng, [2, 8, 20, 20]);
    const k = sample.normal(rng, [12, 8, 5, 5]);
    expectClose(conv2d(x, k, { stride: 2, padding: 2 }), referenceConv2d(x, k, [2, 2], [2, 2]));
  });

  test('shape and argument errors name the operation and both shapes', () => {
    expect(() => conv2d(Tensor.zeros([1, 3, 5, 5]), Tensor.zeros([2, 4, 3, 3]))).toThrow(/^conv2d: X has 3 channels but K expects 4 \(shapes 1×3×5×5, 2×4×3×3\)$/);
    expect(() => conv2d(Tensor.zeros([3, 5, 5]), Tensor.zeros([2, 3, 3, 3]))).toThrow(/^conv2d: needs X as N×C×H×W.*\(shapes 3×5×5, 2×3×3×3\)$/);
    expect(() => conv2d(Tensor.zeros([1, 1, 2, 2]), Tensor.zeros([1, 1, 3, 3]))).toThrow(/does not fit in the 2×2 padded input/);
    expect(() => conv2d(Tensor.zeros([1, 1, 4, 4]), Tensor.zeros([1, 1, 3, 3]), { stride: 0 })).toThrow(TensorArgumentError);
    expect(() => conv2d(Tensor.zeros([1, 1, 4, 4]), Tensor.zeros([1, 1, 3, 3]), { padding: -1 })).toThrow(TensorArgumentError);
  });
});

describe('pad, rot90, flip', () => {
  test('pad surrounds the values with zeros: out[i + before] = t[i]', () => {
    const padded = fc.tuple(tensor(1, 4), fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 4, maxLength: 4 }), layout);
    fc.assert(
      fc.property(padded, ([t, widths, l]) => {
        const w = widths.slice(0, t.rank);
        const out = pad(withLayout(t, l), w);
        const expected = build(
          t.shape.map((d, ax) => d + w[ax]![0] + w[ax]![1]),
          (idx) => {
            const src = idx.map((i, ax) => i - w[ax]![0]);
            return src.every((i, ax) => i >= 0 && i < t.shape[ax]!) ? t.get(...src) : 0;
          },
        );
        expectExact(out, expected);
      }),
      FC_OPTIONS,
    );
    expect(pad(Tensor.zeros([2, 1, 1]), 1).shape).toEqual([2, 3, 3]);
    expect(() => pad(Tensor.zeros([2, 2]), [[1, 1]])).toThrow(/^pad: 1 \[before, after\] pairs given for a tensor of rank 2/);
    expect(() => pad(Tensor.zeros([2, 2]), -1)).toThrow(TensorArgumentError);
  });

  test('rot90 by k turns the last two axes counter-clockwise: rot90(t)[i, j] = t[j, W−1−i], k taken mod 4', () => {
    const cases = fc.tuple(tensor(2, 4), fc.integer({ min: -9, max: 9 }), layout);
    fc.assert(
      fc.property(cases, ([t, k, l]) => {
        const once = (m: Tensor): Tensor => {
          const r = m.rank;
          const shape = [...m.shape.slice(0, r - 2), m.shape[r - 1]!, m.shape[r - 2]!];
          return build(shape, (idx) => {
            const [i, j] = idx.slice(r - 2) as [number, number];
            return m.get(...idx.slice(0, r - 2), j, m.shape[r - 1]! - 1 - i);
          });
        };
        let expected = t;
        for (let q = 0; q < (((k % 4) + 4) % 4); q++) expected = once(expected);
        const out = rot90(withLayout(t, l), k);
        expectRowMajor(out);
        expectExact(out, expected);
      }),
      FC_OPTIONS,
    );
    expect(() => rot90(Tensor.zeros([3]))).toThrow(/^rot90: needs at least 2 axes/);
    expect(() => rot90(Tensor.zeros([2, 2]), 0.5)).toThrow(TensorArgumentError);
  });

  test('flip reverses the listed axes (default: all) of any view', () => {
    const cases = tensor(1, 4).chain((t) => fc.tuple(fc.constant(t), fc.option(fc.subarray([...t.shape.keys()]), { nil: undefined }), layout));
    fc.assert(
      fc.property(cases, ([t, axes, l]) => {
        const flipped = axes ?? [...t.shape.keys()];
        const expected = build(t.shape, (idx) => t.get(...idx.map((i, ax) => (flipped.includes(ax) ? t.shape[ax]! - 1 - i : i))));
        expectExact(flip(withLayout(t, l), axes), expected);
      }),
      FC_OPTIONS,
    );
  });
});
