import { describe, expect, test } from 'vitest';
import { Graph, MAX_RUNGS, checkGradient, directionalScreen, entryName, functionObjective, halfSquaredErrorIncremental, localiseMismatch, matmulIncremental, type ScreenVerdict } from '../../src/fd/index.js';
import { matmul } from '../../src/tensor/matmul.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { denseLeastSquares } from './reference.js';

const graph = new Graph({
  inputs: ['X', 'W', 'T'],
  nodes: [
    { name: 'Y', args: ['X', 'W'], op: (x, w) => matmul(x, w), incremental: matmulIncremental },
    { name: 'L', args: ['Y', 'T'], op: (y, t) => Tensor.scalar(y.data.reduce((s, v, i) => s + 0.5 * (v - t.data[i]!) ** 2, 0)), incremental: halfSquaredErrorIncremental },
  ],
  output: 'L',
});
const rng = new Rng(12);
const inputs = { X: sample.normal(rng, [10, 20]), W: sample.normal(rng, [20, 30]), T: sample.normal(rng, [10, 30]) };
const exact = new Tensor(denseLeastSquares(inputs.X, inputs.W, inputs.T).dW, [20, 30]);
/** W[13, 7] (0-based) off by 1e-4 relative. */
const planted = 13 * 30 + 7;
const wrong = new Tensor(exact.data.map((v, i) => (i === planted ? v * (1 + 1e-4) : v)), exact.shape);
/** Evaluations of one directional estimate at most. */
const perDirection = 2 * MAX_RUNGS;

describe('directional screen and localisation', () => {
  test('a correct gradient passes the screen in O(1) evaluations', () => {
    const screen = directionalScreen(graph.objective('W', inputs), exact, { seed: 5 });
    expect(screen.status).toBe('pass');
    expect(screen.directions).toHaveLength(2);
    expect(screen.evaluations).toBeLessThanOrEqual(2 * perDirection);
  });

  test('one wrong entry among 600 fails the screen, and bisection finds exactly that entry without a full sweep', () => {
    const objective = graph.objective('W', inputs);
    const screen = directionalScreen(objective, wrong, { seed: 5 });
    expect(screen.status).toBe('fail');
    const found = localiseMismatch(objective, wrong, { seed: 5, direction: screen.directions.findIndex((d) => d.status === 'over-budget') });
    expect(Array.from(found.estimate.indices)).toEqual([planted]);
    expect(found.unlocalised).toEqual([]);
    // 2·⌈log₂600⌉ + 1 directional estimates and one per-entry estimate, against 600 per-entry estimates for a sweep.
    expect(found.trail.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(600)) + 1);
    expect(found.evaluations).toBeLessThan(600 * 6);
  });

  test('checkGradient in screen mode fails with the localised entry as evidence', () => {
    const verdict = checkGradient(graph.objective('W', inputs), wrong, { mode: 'screen', seed: 5 }) as ScreenVerdict;
    expect(verdict.status).toBe('fail');
    expect(verdict.worst[0]!.flat).toBe(planted);
    expect(verdict.worst[0]!.status).toBe('over-budget');
    expect(entryName('dW', verdict.worst[0]!.index)).toBe('dW[14,8]');
    expect(verdict.screen.directions.some((d) => d.status === 'over-budget')).toBe(true);
  });

  test('the screen also works on a plain function objective (full evaluations) and finds a planted 1e-3 error', () => {
    const f = (w: Tensor) => denseLeastSquares(inputs.X, w, inputs.T).loss;
    const W = inputs.W.clone();
    const cruder = new Tensor(exact.data.map((v, i) => (i === planted ? v * (1 + 1e-3) + 1e-3 : v)), exact.shape);
    const passing = checkGradient(functionObjective(f, W), exact, { mode: 'screen', seed: 9 });
    const failing = checkGradient(functionObjective(f, W), cruder, { mode: 'screen', seed: 9 });
    expect(passing.status).toBe('pass');
    expect(failing.status).toBe('fail');
    expect(failing.worst.map((e) => e.flat)).toContain(planted);
  });
});
