/**
 * Errors of question files, apart from the modules that raise them so that the CLI can recognise
 * them without loading the question machinery.
 */

/** A question file that cannot be used: where (file, line, column, field), what is wrong and what to write instead. */
export class QuestionFileError extends Error {
  override readonly name: string = 'QuestionFileError';
  constructor(
    readonly file: string,
    /** 1-based; 0 when the error is not at a place in the file (unreadable). */
    readonly line: number,
    readonly column: number,
    /** The field at fault (`targets.dW1.answer`), or '' for the file as a whole. */
    readonly field: string,
    /** What is wrong and what to write instead. */
    readonly reason: string,
    /** A formula's line with a caret under the fault. */
    readonly detail = '',
  ) {
    super(`${file}${line > 0 ? `:${line}:${column}` : ''}: ${field ? `${field}: ` : ''}${reason}${detail ? `\n${detail}` : ''}`);
  }
}

/** Question files that cannot be used: every file's error, or an id defined twice. */
export class QuestionLoadError extends Error {
  override readonly name = 'QuestionLoadError';
  constructor(readonly errors: readonly QuestionFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}


/** An assignment (or points) file that cannot be used: the grading would be wrong, so the batch does not start. */
export class AssignmentFileError extends QuestionFileError {
  override readonly name = 'AssignmentFileError';
}
