import { describe, expect, test } from 'vitest';
import { adHocProblem } from '../../src/question/adhoc.js';
import { verdictAt } from '../../src/problem/check.js';
import { compileClaim } from '../../src/problem/claim.js';
import { Tensor } from '../../src/tensor/index.js';

/**
 * A loss formula with kinks declares them to FD (its graph node's pieces come from the formula's piece
 * signature): a sample with an input within the FD step of a kink is non-differentiable, not wrong and
 * not averaged into a false pass.
 */
describe('kinks of an ad hoc loss', () => {
  const cases = [
    { loss: 'sum(relu(x) .* y)', grad: '(x > 0) .* y', wrong: 'y' },
    { loss: 'sum(abs(x) .* y)', grad: 'sign(x) .* y', wrong: 'y' },
    { loss: 'sum(max(x, 0) .* y)', grad: '(x > 0) .* y', wrong: '0 * y' },
    { loss: 'sum(clip(x, 0, 2) .* y)', grad: '(x > 0) .* (x < 2) .* y', wrong: 'y' },
    { loss: 'sum(relu(x[i]) * y[i], i)', grad: '(x > 0) .* y', wrong: 'y' },
  ];
  const dims = { N: 3 };
  const y = Tensor.fromArray([3], [1, 2, 3]);

  test.each(cases)('$loss: the loss node declares pieces; at the kink the claim is non-differentiable, away from it it passes', ({ loss, grad, wrong }) => {
    const { problem, target } = adHocProblem({ loss, wrt: 'x', grad, shapes: { x: ['N'], y: ['N'] } });
    expect(problem.forward(dims).nodes[0]!.pieces).toBeDefined();
    const claim = compileClaim(problem, target, grad);
    const verdictOf = (x: number[], formula = claim) => verdictAt(problem, target, formula, dims, 0, { x: Tensor.fromArray([3], x), y });

    const atKink = verdictOf([1e-9, -1.5, 0.7]);
    expect(atKink.status).toBe('non-differentiable');
    expect(atKink.nonDifferentiableEntries.map((e) => e.index)).toEqual([[0]]);
    expect(verdictOf([0.4, -1.5, 0.7]).status).toBe('pass');
    // A mistake stays a mistake where the loss is smooth.
    expect(verdictOf([0.4, -1.5, 0.7], compileClaim(problem, target, wrong)).status).toBe('fail');
  });

  test.each([
    ['sum((x > 0) .* y)', 1e-9],
    ['sum(floor(x) .* y)', 1 - 1e-9],
  ])('%s: a jump within the FD step is non-differentiable (FD alone could only say undecided)', (loss, x0) => {
    const { problem, target } = adHocProblem({ loss, wrt: 'x', grad: '0 * x', shapes: { x: ['N'], y: ['N'] } });
    const claim = compileClaim(problem, target, '0 * x');
    const verdictOf = (x: number) => verdictAt(problem, target, claim, dims, 0, { x: Tensor.fromArray([3], [x, -1.5, 0.7]), y });
    expect(verdictOf(x0).status).toBe('non-differentiable');
    // Away from it the gradient is exactly 0, which the FD verdict decides on its own terms (not a kink).
    expect(verdictOf(0.4).status).not.toBe('non-differentiable');
  });

  test('a smooth loss declares no pieces', () => {
    const { problem } = adHocProblem({ loss: 'sum(exp(x) .* y)', wrt: 'x', grad: 'exp(x) .* y', shapes: { x: ['N'], y: ['N'] } });
    expect(problem.forward(dims).nodes[0]!.pieces).toBeUndefined();
  });
});
