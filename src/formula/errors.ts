/** A half-open range [start, end) of character offsets in the text the user wrote. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/** Where an error is, in the terms an editor shows: 0-based offset, 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

export function positionOf(text: string, span: SourceSpan): SourcePosition {
  const offset = Math.max(0, Math.min(span.start, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, end: Math.max(offset, Math.min(span.end, text.length)), line, column: offset - lineStart + 1 };
}

/** What a FormulaError points at: the user's text and the span in it (absent for errors about runtime values). */
export interface ErrorSite {
  readonly text: string;
  readonly span: SourceSpan;
}

/**
 * Base of every error the formula language raises on bad input. `message` says what is wrong and, after
 * "; ", how to fix it; `hint` holds the fix alone; `position` locates it in `source` (the user's text).
 */
export class FormulaError extends Error {
  override readonly name: string = 'FormulaError';
  readonly position: SourcePosition | undefined;
  readonly source: string | undefined;

  constructor(
    readonly what: string,
    site: ErrorSite | undefined,
    readonly hint = '',
    options?: { message?: string; cause?: unknown },
  ) {
    super(options?.message ?? (hint ? `${what}; ${hint}` : what), options?.cause === undefined ? undefined : { cause: options.cause });
    this.source = site?.text;
    this.position = site ? positionOf(site.text, site.span) : undefined;
  }

  /** The message, the offending line with a caret under the span, and the position, for terminals and reports. */
  describe(): string {
    if (!this.position || this.source === undefined) return this.message;
    const { offset, end, line, column } = this.position;
    const lines = this.source.split('\n');
    const lineText = lines[line - 1] ?? '';
    const width = Math.max(1, Math.min(end, offset + lineText.length - column + 1) - offset);
    const where = lines.length > 1 ? `line ${line}, column ${column}` : `column ${column}`;
    return `${this.message}\n  ${lineText}\n  ${' '.repeat(column - 1)}${'^'.repeat(width)}\n  (at ${where})`;
  }
}

/** The text is not a well-formed formula (unbalanced brackets, a dangling operator, a stray character). */
export class FormulaSyntaxError extends FormulaError {
  override readonly name = 'FormulaSyntaxError';
}

/** Well-formed, but uses a construct the language refuses (property access, objects, definitions, unknown macros). */
export class UnsupportedSyntaxError extends FormulaError {
  override readonly name = 'UnsupportedSyntaxError';
}

/**
 * LaTeX that derivcheck does not read, or cannot read with certainty (a command it does not know, a
 * notation with two plausible readings): not the writer's fault, so a grader flags the answer for a
 * person instead of scoring it. `construct` names the LaTeX construct ("\\operatorname{tr}", "\\otimes").
 */
export class UnsupportedNotationError extends FormulaError {
  override readonly name = 'UnsupportedNotationError';
  constructor(
    readonly construct: string,
    what: string,
    site: ErrorSite | undefined,
    hint = '',
  ) {
    super(what, site, hint);
  }
}

/** A name that is neither declared, a dimension, a bound index, nor an allowed function; lists close names. */
export class UnknownSymbolError extends FormulaError {
  override readonly name = 'UnknownSymbolError';
  constructor(
    what: string,
    site: ErrorSite | undefined,
    readonly symbol: string,
    readonly suggestions: readonly string[],
    hint = suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}?` : '',
  ) {
    super(what, site, hint);
  }
}

/** Shapes that do not fit: operands of an operation, an index count, or the answer against the target. */
export class FormulaShapeError extends FormulaError {
  override readonly name = 'FormulaShapeError';
}

/** A size, trip count, time or length cap was exceeded; `limit` names the cap (see FormulaLimits). */
export class LimitExceededError extends FormulaError {
  override readonly name = 'LimitExceededError';
  constructor(
    what: string,
    site: ErrorSite | undefined,
    readonly limit: string,
    hint = '',
  ) {
    super(what, site, hint);
  }
}

/** A declaration (dimension names, symbol shapes, `--shape` text) is malformed. */
export class DeclarationError extends FormulaError {
  override readonly name = 'DeclarationError';
}

/** Values or dimension sizes passed to a compiled formula do not match the declarations. */
export class FormulaValueError extends FormulaError {
  override readonly name: string = 'FormulaValueError';
}

/**
 * A value outside a function's domain at run time: a singular matrix for inv or solve, one that is not
 * positive definite for chol. The formula is well-formed; the sample is not one it can be evaluated at,
 * so samplers draw another instead of grading it.
 */
export class FormulaDomainError extends FormulaValueError {
  override readonly name = 'FormulaDomainError';
}
