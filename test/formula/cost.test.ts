/**
 * The cost model (src/formula/cost.ts): the work, allocations and live bytes it prices are the counts
 * the compilers perform, worked out by hand from the definitions (a matrix product's m·k·n, the loop
 * nest of index notation, the operands kept alive while the right side of a sum is computed).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileFormula } from '../../src/formula/compile.js';
import { type FormulaCost, priceFormula } from '../../src/formula/cost.js';
import { checkFormula } from '../../src/formula/check.js';
import { TRANSCENDENTAL } from '../../src/formula/functions/cost.js';
import { FUNCTION_ROWS } from '../../src/formula/functions/table.js';
import { parseFormula } from '../../src/formula/parse.js';
import type { Declarations } from '../../src/formula/declarations.js';

const DECLARATIONS: Declarations = {
  dims: ['N', 'M', 'K'],
  symbols: [
    { name: 'X', shape: ['N', 'M'] },
    { name: 'A', shape: ['N', 'K'] },
    { name: 'B', shape: ['K', 'M'] },
    { name: 'S', shape: ['N', 'N'] },
    { name: 'x', shape: ['N'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
  ],
};

function price(text: string, sizes: Record<string, number>, targetShape?: readonly string[]): FormulaCost {
  const checked = checkFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS, targetShape ? { targetShape } : {});
  return priceFormula(checked, new Map(Object.entries(sizes)));
}

const BYTES = 8;

describe('work is counted as the compilers do it', () => {
  test('a matrix product is m·k·n multiply-adds and allocates its result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), (N, M, K) => {
        const cost = price('A * B', { N, M, K });
        expect(cost.multiplyAdds).toBe(N * K * M);
        expect(cost.allocated).toBe(N * M);
        expect(cost.peakBytes).toBe(N * M * BYTES);
      }),
    );
  });

  test('index notation is priced per loop iteration, as the loop nest runs: i, then j inside it, then k', () => {
    const [N, M, K] = [5, 7, 11];
    const cost = price('C[i, j] = sum(A[i, k] * B[k, j], k)', { N, M, K }, ['N', 'M']);
    expect(cost.iterations).toBe(N + N * M + N * M * K);
    // Each iteration of k reads A and B and multiplies: 3 operations besides the trip.
    expect(cost.operations).toBe(N + N * M + N * M * K + 3 * N * M * K);
    expect(cost.dynamic).toBe(false);
  });

  test('a value used in a loop is computed at the loop of its deepest index only (loop-invariant code motion)', () => {
    // exp(x[i]) depends on the outer index alone: N evaluations, where exp(x[j]) takes N·N (TRANSCENDENTAL operations each).
    const N = 10;
    const outer = price('sum(sum(exp(x[i]) * x[j], j, 1, N), i, 1, N)', { N, M: 1, K: 1 });
    const inner = price('sum(sum(exp(x[j]) * x[i], j, 1, N), i, 1, N)', { N, M: 1, K: 1 });
    expect(inner.operations - outer.operations).toBe(TRANSCENDENTAL * (N * N - N));
  });

  test('a bound that is an outer index is priced at the largest value that index takes', () => {
    const N = 40;
    const cost = price('sum(sum(x[m], m, 1, j), j, 1, N)', { N, M: 1, K: 1 });
    expect(cost.iterations).toBe(N + N * N);
    expect(cost.dynamic).toBe(false);
  });

  test('a bound read from tensor values cannot be priced: the loop is counted as it runs', () => {
    expect(price('sum(x[m], m, 1, c[1])', { N: 4, M: 1, K: 1 }).dynamic).toBe(true);
  });

  test('a tensor-valued sum runs its body once per index value', () => {
    const [N, M] = [6, 9];
    const cost = price('sum(X[i, :], i)', { N, M, K: 1 });
    expect(cost.iterations).toBe(N);
    // The accumulator adds M entries per iteration; each slice is priced as a copy of M entries.
    expect(cost.operations).toBe(N * M + N * M);
  });

  test('factorisations are n³ terms: inv 2n³, solve 2n³ + n² per column of B, det n³/3', () => {
    const n = 30;
    expect(price('inv(S)', { N: n, M: 1, K: 1 }).operations).toBe(2 * n ** 3);
    expect(price('solve(S, X)', { N: n, M: 4, K: 1 }).operations).toBe(2 * n ** 3 + n * n * 4);
    expect(price('det(S)', { N: n, M: 1, K: 1 }).operations).toBe(n ** 3 / 3);
  });

  test('every row of the function table prices a call to finite, non-negative work', () => {
    for (const row of FUNCTION_ROWS) {
      if (row.kind !== 'computed') continue;
      for (const form of ['map', 'all', 'axis', 'pair', 'spectral', 'fro'] as const) {
        const work = row.cost({ operands: [[4, 4], [4, 4], [4, 4]], result: [4, 4], form });
        expect(Number.isFinite(work.operations) && work.operations >= 0, row.name).toBe(true);
        expect((work.multiplyAdds ?? 0) >= 0, row.name).toBe(true);
      }
    }
  });
});

describe('live bytes follow the order of evaluation', () => {
  const [N, M] = [20, 30];
  const n = N * M * BYTES;

  test('a right-nested sum keeps every left operand alive while the right side is computed', () => {
    // 2*X + (2*X + 2*X): the outer left operand, the inner two and the inner sum, all at once.
    expect(price('2*X + (2*X + 2*X)', { N, M, K: 1 }).peakBytes).toBe(4 * n);
    // (2*X + 2*X) + 2*X: the inner sum (its operands gone), the right operand and the result.
    expect(price('(2*X + 2*X) + 2*X', { N, M, K: 1 }).peakBytes).toBe(3 * n);
  });

  test('inputs and views of them hold no new storage; an answer that is one is copied once', () => {
    expect(price("X'", { N, M, K: 1 }).peakBytes).toBe(n);
    expect(price('X + X', { N, M, K: 1 }).peakBytes).toBe(n);
  });

  test('a compiled formula exposes its price at given dims without running', () => {
    const run = compileFormula(parseFormula('A * B', { declarations: DECLARATIONS }), DECLARATIONS);
    expect(run.price({ N: 100, M: 200, K: 300 }).multiplyAdds).toBe(100 * 200 * 300);
  });
});
