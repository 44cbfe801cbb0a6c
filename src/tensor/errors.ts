/** Shapes are written the way course derivations write them: 3×4, N×D, 2×3×5, "scalar". */
export function formatShape(shape: readonly (number | string)[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/** A kernel was given operands whose shapes do not fit; names the operation and every shape involved. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly op: string,
    readonly shapes: readonly (readonly number[])[],
    readonly detail: string,
  ) {
    super(`${op}: ${detail} (shapes ${shapes.map(formatShape).join(', ')})`);
  }
}

/** A value that is not a valid argument for reasons other than shape (a negative size, a bad axis, a non-integer label). */
export class TensorArgumentError extends Error {
  override readonly name: string = 'TensorArgumentError';
  constructor(
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/**
 * The values lie outside the operation's domain: a singular or numerically singular matrix for an
 * inverse or a solve, a matrix that is not positive definite for a Cholesky factorisation. Not a
 * mistake in the caller's shapes: a random draw that lands there is to be drawn again, not graded.
 */
export class DomainError extends TensorArgumentError {
  override readonly name = 'DomainError';
}
