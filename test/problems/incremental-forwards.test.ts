import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sampleInputs } from '../../src/problem/sample.js';
import { Rng } from '../../src/tensor/rng.js';
import { expectSameChanges } from '../fd/same-changes.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem dense-batch-col (the question file problems/dense-batch-col.yaml). */
const denseBatchCol = findProblem(problems, 'dense-batch-col');
/** The built-in problem logistic-layer (the question file problems/logistic-layer.yaml). */
const logisticLayer = findProblem(problems, 'logistic-layer');
/** The built-in problem mlp2-mse (the question file problems/mlp2-mse.yaml). */
const mlp2Mse = findProblem(problems, 'mlp2-mse');

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
