import { FdArgumentError } from '../fd/errors.js';
import { FormulaError } from '../formula/errors.js';
import { UnknownNameError } from '../problem/registry.js';
import { SpecError } from '../problem/specs.js';
import { QuestionFileError, QuestionLoadError } from '../question/errors.js';
import { QuestionError } from '../question/spec.js';
import { ShapeError, TensorArgumentError } from '../tensor/errors.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, reportUsageError } from './exit.js';

/** Errors that mean the user's input was wrong (a SpecError includes the CLI's UsageError): reported as a message with exit code 2, never a stack trace. */
const BAD_INPUT_ERRORS = [SpecError, UnknownNameError, FormulaError, ShapeError, TensorArgumentError, FdArgumentError, QuestionFileError, QuestionLoadError, QuestionError];

/** Runs a command handler; the handler returns the exit code. */
export async function runCommand(handler: () => Promise<number> | number): Promise<void> {
  let code: number;
  try {
    code = await handler();
  } catch (err) {
    if (BAD_INPUT_ERRORS.some((cls) => err instanceof cls)) {
      reportUsageError(err instanceof FormulaError ? err.describe() : (err as Error).message);
      code = EXIT_BAD_INPUT;
    } else {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`derivcheck: internal error: ${message}\nThis is a bug in derivcheck; please report it with the command you ran.\n`);
      code = EXIT_INTERNAL;
    }
  }
  process.exitCode = code;
}
