import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { denseBatchCol } from '../../problems/dense-batch-col.js';
import { logisticLayer } from '../../problems/logistic-layer.js';
import { mlp2Mse } from '../../problems/mlp2-mse.js';
import { sampleInputs } from '../../src/problem/sample.js';
import { Rng } from '../../src/tensor/rng.js';
import { expectSameChanges } from '../fd/same-changes.js';

describe('column-sample forwards are evaluated incrementally, and equal full evaluation', () => {
  test.each([denseBatchCol, logisticLayer, mlp2Mse])('$id: with respect to every gradient target', (problem) => {
    fc.assert(
      fc.property(problem.dims.arbitrary, fc.nat(10_000), (dims, seed) => {
        const graph = problem.forward(dims);
        const inputs = sampleInputs(problem, dims, seed);
        const rng = new Rng(seed);
        for (const target of problem.targets) {
          if (target.kind !== 'gradient') continue;
          expectSameChanges(graph.objective(target.wrt, inputs), graph.objective(target.wrt, inputs, { incremental: false }), rng);
        }
        expect(problem.targets.some((t) => t.kind === 'gradient')).toBe(true);
      }),
      { seed: 12, numRuns: 30, verbose: true },
    );
  });
});
