/**
 * A scalar expression handed to the symbolic leg uses something outside its allow-list (expression.ts):
 * an unknown name, a function or operator the leg cannot evaluate, a matrix construct. Carries the text,
 * the offending token, its 0-based position in the text (-1 when the token was produced by an engine and
 * has no position) and how to fix the input.
 */
export class SymbolicExpressionError extends Error {
  override readonly name = 'SymbolicExpressionError';
  constructor(
    readonly expression: string,
    readonly token: string,
    readonly position: number,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`${detail}${position >= 0 ? ` at position ${position}` : ''} in '${clip(expression)}'. ${fix}`);
  }
}

/** An expression or an engine's intermediate result is larger than the symbolic leg will work on (limits in expression.ts and rational.ts). */
export class SymbolicLimitError extends Error {
  override readonly name = 'SymbolicLimitError';
  constructor(
    readonly what: string,
    readonly size: number,
    readonly limit: number,
    readonly fix: string,
  ) {
    super(`${what}: ${size} exceeds the limit of ${limit}. ${fix}`);
  }
}

/** A caller passed an inconsistent variable space or obligation (a condition on an undeclared variable, a domain with lo > hi). */
export class SymbolicArgumentError extends Error {
  override readonly name = 'SymbolicArgumentError';
  constructor(
    readonly what: string,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`${what}: ${detail}. ${fix}`);
  }
}

/** Long expressions are cut in messages; the full text stays on the error's `expression` field. */
const MESSAGE_EXPRESSION_CHARS = 120;

function clip(text: string): string {
  return text.length <= MESSAGE_EXPRESSION_CHARS ? text : `${text.slice(0, MESSAGE_EXPRESSION_CHARS)}…`;
}
