import fc from 'fast-check';
import { expect } from 'vitest';
import { type Declarations, parseFormula, compileFormula, type FormulaCompileOptions } from '../../src/formula/index.js';
import { Rng, Tensor, sample, sizeOf } from '../../src/tensor/index.js';

/** Property runs share a seed so that failures reproduce; fast-check prints it with the counterexample. */
export const FC = { seed: 0xf0a1, verbose: true } as const;

/** Independent results agree to this relative (max-norm) error: sums of ≤ a few hundred O(1) terms. */
export const CLOSE = 1e-12;

export function expectClose(actual: Tensor, expected: Tensor, tolerance = CLOSE): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.toArray();
  const e = expected.toArray();
  let scale = 1;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i]! - e[i]!) > tolerance * scale) {
      expect.fail(`entry ${i}: ${a[i]} vs ${e[i]} (shape ${actual.shape.join('×')})`);
    }
  }
}

/** A tensor built entry by entry from its 0-based multi-index. */
export function build(shape: readonly number[], entry: (index: number[]) => number): Tensor {
  const out = Tensor.zeros(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < sizeOf(shape); k++) {
    out.data[k] = entry([...index]);
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      if (++index[ax]! < shape[ax]!) break;
      index[ax] = 0;
    }
  }
  return out;
}

/** Reads t at a 1-based multi-index, 0 outside its bounds (the formula language's convention). */
export function at(t: Tensor, ...index1: number[]): number {
  return index1.every((i, ax) => i >= 1 && i <= t.shape[ax]!) ? t.get(...index1.map((i) => i - 1)) : 0;
}

/** Parses, checks and compiles `text` against `declarations`, then evaluates it. */
export function evaluate(text: string, declarations: Declarations, values: Record<string, Tensor>, dims: Record<string, number>, options: FormulaCompileOptions & { syntax?: 'formula' | 'latex' } = {}): Tensor {
  const { syntax, ...compileOptions } = options;
  const parsed = parseFormula(text, { syntax: syntax ?? 'formula', declarations });
  return compileFormula(parsed, declarations, compileOptions)(values, dims);
}

/** Random normal tensors for every symbol of `declarations` at the given (concrete) shapes. */
export function normals(seed: number, shapes: Record<string, readonly number[]>): Record<string, Tensor> {
  const rng = new Rng(seed);
  const out: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) out[name] = sample.normal(rng, shape);
  return out;
}

/** Small dimension sizes (1..max), so that many runs stay fast and degenerate sizes (1) occur. */
export const size = (max = 4): fc.Arbitrary<number> => fc.integer({ min: 1, max });

/** A seed for the value sampler. */
export const seed = fc.integer({ min: 0, max: 2 ** 31 });
