import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { findProblem, findTarget } from '../../src/problem/registry.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import { broadcastTruthShare } from '../../src/grade/truth-share.js';

describe('FD truths shared between the caches of one batch', () => {
  test('a truth one cache computes is taken in by another on the same channel, equal to the computed one, and not computed again', () => {
    const channel = `test-truths-${randomUUID()}`;
    const computing = new TruthCache(broadcastTruthShare(channel));
    const receiving = new TruthCache(broadcastTruthShare(channel));
    const problem = findProblem(problems, 'softmax-ce');
    const target = findTarget(problem, 'dz');
    const dims = { B: 3, K: 4 };
    const computed = computing.at(problem, target, dims, 17);
    const received = receiving.at(problem, target, dims, 17);
    expect([computing.computed, receiving.computed, receiving.received]).toEqual([1, 0, 1]);
    // An independent computation with no share: the same floats, entry for entry.
    const alone = new TruthCache().at(problem, target, dims, 17);
    for (const truth of [computed, received]) {
      expect(Array.from(truth.truth.estimate.value)).toEqual(Array.from(alone.truth.estimate.value));
      expect(Array.from(truth.truth.estimate.error)).toEqual(Array.from(alone.truth.estimate.error));
      expect(truth.truth.estimate.status).toEqual(alone.truth.estimate.status);
      for (const [name, t] of Object.entries(alone.truth.values)) expect(truth.truth.values[name]!.toArray()).toEqual(t.toArray());
      for (const [name, t] of Object.entries(alone.inputs)) expect(truth.inputs[name]!.toArray()).toEqual(t.toArray());
    }
  });

  test('a cache on another channel takes in nothing', () => {
    const problem = findProblem(problems, 'dense-batch');
    const target = findTarget(problem, 'dW');
    new TruthCache(broadcastTruthShare(`test-truths-${randomUUID()}`)).at(problem, target, { N: 2, D: 3, M: 4 }, 3);
    const other = new TruthCache(broadcastTruthShare(`test-truths-${randomUUID()}`));
    other.at(problem, target, { N: 2, D: 3, M: 4 }, 3);
    expect([other.computed, other.received]).toEqual([1, 0]);
  });
});
