import { describe, expect, test } from 'vitest';
import { FormulaDomainError } from '../../src/formula/errors.js';
import { ADMISSIBLE_ATTEMPTS, ADMISSIBLE_STREAM, isInadmissibleDraw, withAdmissibleDraw } from '../../src/problem/sample.js';
import { DomainError, Rng, TensorArgumentError } from '../../src/tensor/index.js';

/** A draw outside a function's domain (a singular matrix) is drawn again, never graded. */
describe('inadmissible draws', () => {
  const singular = () => new FormulaDomainError('inv(X): inv: the 2×2 matrix is singular', { text: 'inv(X)', span: { start: 0, end: 6 } });

  test('domain errors are inadmissible draws; other errors are not', () => {
    expect(isInadmissibleDraw(singular())).toBe(true);
    expect(isInadmissibleDraw(new DomainError('cholesky', 'not positive definite'))).toBe(true);
    expect(isInadmissibleDraw(new TensorArgumentError('onehot', 'label 7'))).toBe(false);
    expect(isInadmissibleDraw(new Error('boom'))).toBe(false);
  });

  test('an inadmissible draw is replaced by draws from derived seeds, the same ones for the same seed', () => {
    const tried: number[] = [];
    const result = withAdmissibleDraw(42, (seed) => {
      tried.push(seed);
      if (tried.length < 3) throw singular();
      return seed;
    });
    expect(tried).toEqual([42, Rng.derive(42, ADMISSIBLE_STREAM, 1).seed, Rng.derive(42, ADMISSIBLE_STREAM, 2).seed]);
    expect(result).toBe(tried[2]);
  });

  test('other errors pass through at once', () => {
    let calls = 0;
    expect(() =>
      withAdmissibleDraw(1, () => {
        calls++;
        throw new TensorArgumentError('onehot', 'label 7 is not in 1..3');
      }),
    ).toThrow(TensorArgumentError);
    expect(calls).toBe(1);
  });

  test('when every draw is inadmissible, the error says so and keeps its position', () => {
    let calls = 0;
    let error: unknown;
    try {
      withAdmissibleDraw(1, () => {
        calls++;
        throw singular();
      });
    } catch (err) {
      error = err;
    }
    expect(calls).toBe(ADMISSIBLE_ATTEMPTS);
    expect(error).toBeInstanceOf(FormulaDomainError);
    expect((error as FormulaDomainError).message).toContain(`on each of ${ADMISSIBLE_ATTEMPTS} draws`);
    expect((error as FormulaDomainError).position?.offset).toBe(0);
  });
});
