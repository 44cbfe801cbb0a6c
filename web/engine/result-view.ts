/**
 * What the page shows of a check: the library's Finding (src/problem/finding.ts), the one verdict type
 * `check`, the grader and every reporter render, with what the run adds (its seed and sample count,
 * the target's name, and for an input the engine could not read, the field it is about). Plain data:
 * it crosses postMessage. The page (web/app/render-result.ts) renders a ResultView and nothing else.
 */
import type { Finding } from '../../src/problem/finding.js';

/** The fields of the page a request is made of; an invalid input names the one it is about. */
export type Field = 'loss' | 'wrt' | 'grad' | 'shape' | 'dims' | 'domain' | 'lets' | 'problem' | 'target';

/** Bad input in one field: the message, and with a position the text with a caret under the place. */
export interface FieldError {
  readonly field: Field;
  readonly message: string;
  /** The message followed by the offending line and a caret (FormulaError.describe()); the message alone when there is no position. */
  readonly described: string;
  /** 0-based offsets [start, end) in the field's text, when the error has a position. */
  readonly span?: { readonly start: number; readonly end: number };
}

/** What a check ran with, apart from its Finding. */
export interface RunContext {
  /** The run's seed: the same seed gives the same Finding. */
  readonly seed: number;
  /** Random samples asked for. */
  readonly runs: number;
  /** The target's name (dW, or the wrt input's d-name of a loss), once the request names a real one. */
  readonly target?: string;
  /** The field of the page an invalid input is in (its Finding is `invalid`). */
  readonly field?: Field;
}

export interface ResultView extends RunContext {
  readonly finding: Finding;
}

/** The page's view of a Finding. */
export function resultView(finding: Finding, context: RunContext): ResultView {
  return { finding, ...context };
}
