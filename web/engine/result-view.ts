/**
 * What the page shows of a result, as plain data (it crosses postMessage), and the conversions from the
 * library's results to it. This is the one module of web/ that knows the library's result types:
 * `check`'s (src/cli/check-report.ts over a SearchResult) and the grader's AnswerResult. When both
 * become one Finding, the two converters below become one; the page (web/app/render-result.ts) reads
 * only ResultView.
 */
import { type CheckResult, checkJson } from '../../src/cli/check-report.js';
import type { AnswerResult, CounterexampleData } from '../../src/grade/types.js';
import type { Nested, Tensor } from '../../src/tensor/tensor.js';

export type Verdict = 'correct' | 'incorrect' | 'invalid' | 'undecided' | 'non-differentiable';

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

/**
 * The evidence of an incorrect verdict: the grader's counterexample data (the check's is turned into
 * it), with the target's name, the label of the entries and the heat-map.
 */
export interface CounterexampleView extends Omit<CounterexampleData, 'wrongCount' | 'entryCount'> {
  readonly target: string;
  /** Entries over their error budget, of those compared (when known). */
  readonly wrongCount?: number;
  readonly entryCount?: number;
}

export interface ResultView {
  readonly verdict: Verdict;
  /** The verdict's explanation in words, as the CLI prints it. */
  readonly message: string;
  /** How the claimed gradient was read, in formula syntax. */
  readonly readAs?: string;
  /** The run's seed: the same seed gives the same verdict. */
  readonly seed: number;
  /** Random samples compared. */
  readonly samples: number;
  /** Largest relative error over the samples that agreed (check). */
  readonly maxRelError?: number;
  /** What the mistake looks like, and what to fix when the problem says so. */
  readonly mistake?: { readonly label: string; readonly advice?: string };
  readonly counterexample?: CounterexampleView;
  /** An invalid input: which field, and where in it. */
  readonly error?: FieldError;
}

/** The full ground truth and answer at a counterexample (the check's search keeps only the worst entries). */
export interface DifferenceValues {
  readonly expected: Nested;
  readonly got: Nested;
}

function nestedRecord(tensors: Readonly<Record<string, Tensor>>): Record<string, Nested> {
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.toNested()]));
}

/** `derivcheck check`'s result (the same verdict and message as --json gives), with the values for the heat-map. */
export function viewOfCheck(result: CheckResult, difference: DifferenceValues | undefined): ResultView {
  const json = checkJson(result);
  const ce = json.counterexample;
  const verdict = result.found.counterexample?.check?.verdict;
  return {
    verdict: json.verdict,
    message: json.message,
    readAs: json.readAs,
    seed: json.seed,
    samples: json.runs,
    ...(json.verdict === 'correct' ? { maxRelError: json.maxRelErr } : {}),
    ...(json.mistake ? { mistake: { label: json.mistake } } : {}),
    ...(ce
      ? {
          counterexample: {
            target: result.target,
            dims: ce.dims,
            seed: ce.seed,
            ...(ce.inputs ? { inputs: nestedRecord(ce.inputs) } : {}),
            wrong: ce.worst,
            ...(verdict ? { wrongCount: verdict.overBudget, entryCount: verdict.checked } : {}),
            ...difference,
          },
        }
      : {}),
  };
}

/** The grader's result for one answer (`derivcheck grade`), graded with `seed`. */
export function viewOfAnswer(answer: AnswerResult, seed: number): ResultView {
  return {
    verdict: answer.verdict,
    message: answer.message,
    ...(answer.readAs !== undefined ? { readAs: answer.readAs } : {}),
    seed,
    samples: answer.samples,
    ...(answer.mistake ? { mistake: { label: answer.mistake.label, advice: answer.mistake.description } } : {}),
    ...(answer.counterexample ? { counterexample: { target: answer.target, ...answer.counterexample } } : {}),
  };
}

/** An input the engine could not read: verdict invalid, nothing sampled. */
export function viewOfInvalid(error: FieldError, seed: number): ResultView {
  return { verdict: 'invalid', message: error.message, seed, samples: 0, error };
}
