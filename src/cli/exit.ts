import { SpecError } from '../problem/specs.js';

/** Exit codes shared by every command (docs/cli.md). */
export const EXIT_OK = 0;
/** A check failed or an answer was graded incorrect. */
export const EXIT_FAILED = 1;
/** Bad input: the message names the argument, the expected form and an example. */
export const EXIT_BAD_INPUT = 2;
/** A bug in derivcheck itself (the message asks for a report); never used for bad input. */
export const EXIT_INTERNAL = 3;

/** Bad command-line input: which argument, what form it takes, and an example of that form (a SpecError of the CLI's own options). */
export class UsageError extends SpecError {
  override readonly name = 'UsageError';
}

export function reportUsageError(message: string): void {
  process.stderr.write(`derivcheck: ${message}\nRun with --help for the options and examples.\n`);
}
