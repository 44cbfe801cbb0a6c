import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { convShapes } from '../../problems/conv-shapes.js';
import { compileClaim } from '../../src/problem/claim.js';
import { evaluateProblem } from '../../src/problem/evaluate.js';
import { verifyProperty } from '../../src/problem/verify.js';
import { TensorArgumentError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { TEST_RUNS, expectVerified } from './verified.js';
import { exampleNamed } from './worked-example.js';

/** A forward-only example as `derivcheck eval` computes it: its named outputs. */
function outputsOf(name: string): Record<string, Tensor | number> {
  const example = exampleNamed(convShapes, name);
  return evaluateProblem(convShapes, { dims: example.dims, inputs: example.inputs }, { example }).outputs!;
}

/** The reference closed form of a target at `dims` (the formulas read the dims only). */
function closedFormAt(targetName: string, dims: Record<string, number>): number {
  const target = convShapes.targets.find((t) => t.name === targetName)!;
  return compileClaim(convShapes, target, target.closedForms[0]!.formula).evaluate({}, dims).item();
}

/** Output rows of a layer by the textbook algebra, written here independently of the module. */
const rowsOut = (H: number, K: number, S: number, P: number): number => Math.floor((H + 2 * P - K) / S) + 1;

interface Setting {
  H: number;
  K: number;
  S: number;
  P: number;
}

/** Every layer setting the property's arbitrary can draw (H = K + 0..8, K 1..5, S 1..4, P 0..2) where a larger input does not give a larger output. */
function counterexamplesByEnumeration(): Setting[] {
  const found: Setting[] = [];
  for (let K = 1; K <= 5; K++) {
    for (let S = 1; S <= 4; S++) {
      for (let P = 0; P <= 2; P++) {
        for (let H = K; H <= K + 8; H++) if (rowsOut(H + 1, K, S, P) <= rowsOut(H, K, S, P)) found.push({ H, K, S, P });
      }
    }
  }
  return found;
}

/** scipy's zero-padded 'same' correlation of the sharpen example (the kernel is symmetric, so convolve2d agrees). */
const SCIPY_SHARPEN = `
import json, sys, numpy as np
from scipy.signal import correlate2d, convolve2d
d = json.load(sys.stdin)
x, k = np.array(d['image'], float), np.array(d['kernel'], float)
y = correlate2d(x, k, mode='same', boundary='fill', fillvalue=0)
assert np.array_equal(y, convolve2d(x, k, mode='same'))
print(json.dumps(y.tolist()))
`;

describe('conv-shapes', () => {
  test('every closed form matches the counts read off the tensor core, every mistake is rejected, both properties behave as declared', () => {
    expectVerified(convShapes);
  });

  test('verify finds the least counterexample to "a larger input always gives a larger output": K = 1, S = 2, P = 0, H = 1', () => {
    const index = convShapes.properties.findIndex((p) => p.name === 'larger-input-larger-output');
    const all = counterexamplesByEnumeration();
    for (const seed of [1, 2, 3, 4, 5]) {
      const report = verifyProperty(convShapes, convShapes.properties[index]!, index, { runs: TEST_RUNS, seed });
      expect(report.status, `seed ${seed}`).toBe('pass');
      const found = report.counterexample!.value as Setting;
      expect(all, `seed ${seed}: the shrunk case is a counterexample`).toContainEqual(found);
      for (const other of all) {
        expect(found.H <= other.H && found.K <= other.K && found.S <= other.S && found.P <= other.P, `seed ${seed}: ${JSON.stringify(found)} is not below ${JSON.stringify(other)}`).toBe(true);
      }
      expect(report.counterexample!.message).toBe('K = 1, S = 2, P = 0: input side 1 gives 1 output rows, input side 2 gives 1');
    }
  });

  test('shrinking from every counterexample of the domain ends at the least one', () => {
    const property = convShapes.properties.find((p) => p.name === 'larger-input-larger-output')!;
    const all = counterexamplesByEnumeration();
    const least = { H: 1, K: 1, S: 2, P: 0 };
    expect(all).toContainEqual(least);
    for (const start of all) {
      // The start is replayed first (fc examples) and shrunk; numRuns 1 adds at most one random case.
      const result = fc.check(
        fc.property(property.arbitrary, (s) => property.holds(s) === true),
        { examples: [[start]], numRuns: 1, seed: 1 },
      );
      expect(result.counterexample?.[0], `from ${JSON.stringify(start)}`).toEqual(least);
    }
  });

  test.skipIf(!hasPython)('worked example sharpen-5x9: the output is scipy\'s zero-padded correlation and keeps the 5×9 size', () => {
    const example = exampleNamed(convShapes, 'sharpen-5x9');
    const image = (example.inputs['X'] as number[][][])[0]!;
    const kernel = (example.inputs['kernel'] as number[][][][])[0]![0]!;
    const expected = runPython(SCIPY_SHARPEN, { image, kernel }) as number[][];
    // Every value is a sum of multiples of 1/4 of small integers: exact in float64, in any order.
    expect((outputsOf('sharpen-5x9')['Y'] as Tensor).toNested()).toEqual([expected]);
    expect(closedFormAt('out_size', example.dims)).toBe(expected.length);
    expect(closedFormAt('params', example.dims)).toBe(3 * 3 + 1);
    expect(closedFormAt('macs', example.dims)).toBe(expected.length * expected[0]!.length * 3 * 3);
  });

  test('worked example lenet5: shapes, parameters with and without biases, MACs per layer and totals', () => {
    // LeNet-5 by hand: a valid 5×5 conv takes a side s to s − 4, a 2×2 pool halves it.
    const c1 = 32 - 5 + 1;
    const p1 = c1 / 2;
    const c2 = p1 - 5 + 1;
    const p2 = c2 / 2;
    const flat = 16 * p2 * p2;
    const shapes = [[6, c1, c1], [6, p1, p1], [16, c2, c2], [16, p2, p2], [120, 1, 1], [84, 1, 1], [10, 1, 1]];
    const weights = [6 * 3 * 5 * 5, 0, 16 * 6 * 5 * 5, 0, flat * 120, 120 * 84, 84 * 10];
    const biases = [6, 0, 16, 0, 120, 84, 10];
    const macs = [c1 * c1 * 6 * 3 * 5 * 5, 0, c2 * c2 * 16 * 6 * 5 * 5, 0, flat * 120, 120 * 84, 84 * 10];
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

    const out = outputsOf('lenet5');
    expect((out['shapes'] as Tensor).toNested()).toEqual(shapes);
    expect((out['params_no_bias'] as Tensor).toNested()).toEqual(weights);
    expect((out['params'] as Tensor).toNested()).toEqual(weights.map((w, i) => w + biases[i]!));
    expect((out['macs'] as Tensor).toNested()).toEqual(macs);
    expect(out['total_params']).toBe(total(weights) + total(biases));
    expect(out['total_params_no_bias']).toBe(total(weights));
    expect(out['total_macs']).toBe(total(macs));
    // The classic 61,706 parameters are for a 1-channel input; two more input channels add 2·6·25 = 300 to conv1.
    expect(out['total_params']).toBe(61_706 + 300);
  });

  test("lenet5's dims are its first conv layer: the closed forms give the table's first row", () => {
    const dims = exampleNamed(convShapes, 'lenet5').dims;
    const out = outputsOf('lenet5');
    expect(closedFormAt('out_size', dims)).toBe((out['shapes'] as Tensor).get(0, 1));
    expect(closedFormAt('params', dims)).toBe((out['params'] as Tensor).get(0));
    expect(closedFormAt('macs', dims)).toBe((out['macs'] as Tensor).get(0));
  });

  test('eval on inputs alone asks for the stride and padding instead of assuming them', () => {
    const example = exampleNamed(convShapes, 'sharpen-5x9');
    expect(() => evaluateProblem(convShapes, { inputs: example.inputs }, { example })).toThrow(TensorArgumentError);
    expect(() => evaluateProblem(convShapes, { inputs: example.inputs }, { example })).toThrow(/the size of S, P cannot be read off the inputs; give it in "dims"/);
  });
});
