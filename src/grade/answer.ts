/**
 * One answer's verdict, score and message. The ground truth is FD (a verdict never rests on the
 * closed form); the confirmed reference only helps to name the mistake.
 *
 *   unreadable (syntax, unknown symbol or function, over a limit), unknown problem or target  → invalid
 *   the reference failed its own FD confirmation in this run                                 → undecided
 *   shapes inside the formula that do not fit together                                       → invalid
 *   a value of another shape than the target's                                               → incorrect, wrong-shape / transposed
 *   a sample where FD disagrees (shrunk to the smallest dims)                                 → incorrect, with the counterexample
 *   every sample agrees                                                                      → correct
 *   no disagreement, but samples FD could not decide                                          → undecided
 */
import { entryBudget, entryName, multiIndex } from '../fd/verdict.js';
import type { FormulaFunction } from '../formula/compile.js';
import { FormulaError, FormulaShapeError } from '../formula/errors.js';
import type { SampleCase, SampleCheck } from '../problem/check.js';
import { type Claim, compileClaim } from '../problem/claim.js';
import { SMALL_INPUT_ENTRIES, formatNumber } from '../problem/explain.js';
import { UnknownNameError, findProblem, findTarget } from '../problem/registry.js';
import type { Dims } from '../problem/types.js';
import type { Nested, Tensor } from '../tensor/tensor.js';
import { labelMistake, labelSamples, labelShapeMistake } from './label.js';
import { type PreparedTarget, compileFree } from './reference.js';
import { type GradeSearch, cachedSearchStatus, searchCached } from './search.js';
import type { GradingSession } from './session.js';
import type { AnswerResult, AnswerSpec, CounterexampleData, PartialCredit, WrongEntryData } from './types.js';

/** Wrong entries a message names: the first few in row-major order are enough to see the pattern. */
export const WRONG_ENTRIES_SHOWN = 5;

/** Largest ground truth (entries) kept in full for the HTML heat-map; counterexamples shrink far below it. */
export const HEATMAP_MAX_ENTRIES = 4096;

/** Partial scores are rounded to 1e-4 of a point, so that reports print the same number the JSON holds. */
const SCORE_DECIMALS = 4;

/** An answer's verdict apart from what the spec and the points table add; the session keeps it per distinct text. */
export type Judged = Omit<AnswerResult, 'problem' | 'target' | 'text' | 'syntax' | 'line' | 'maxScore' | 'score' | 'samples'> & { readonly fraction: number; readonly samples?: number };

/** A score rounded to SCORE_DECIMALS. */
export function roundScore(score: number): number {
  return Math.round(score * 10 ** SCORE_DECIMALS) / 10 ** SCORE_DECIMALS;
}

export function gradeAnswer(session: GradingSession, spec: AnswerSpec, maxScore: number): AnswerResult {
  const judged = session.judgeOnce(spec, () => judge(session, spec));
  const score = roundScore(maxScore * judged.fraction);
  const { fraction: _fraction, samples, ...rest } = judged;
  return { problem: spec.problem, target: spec.target, text: spec.text, syntax: spec.syntax, line: spec.line, ...rest, score, maxScore, samples: samples ?? 0 };
}

/** An answer given a verdict without grading: not answered, answered twice, stopped by the time limit or a crash. */
export function ungradedAnswer(spec: AnswerSpec, maxScore: number, verdict: 'invalid' | 'undecided', message: string): AnswerResult {
  return { problem: spec.problem, target: spec.target, text: spec.text, syntax: spec.syntax, line: spec.line, verdict, score: 0, maxScore, message, samples: 0 };
}

function judge(session: GradingSession, spec: AnswerSpec): Judged {
  let prepared: PreparedTarget;
  try {
    const problem = findProblem(session.problems, spec.problem);
    prepared = session.prepare(problem, findTarget(problem, spec.target));
  } catch (err) {
    if (!(err instanceof UnknownNameError)) throw err;
    return { verdict: 'invalid', fraction: 0, message: `Invalid: ${err.message}.` };
  }
  if (prepared.status.status === 'failed') {
    return {
      verdict: 'undecided',
      fraction: 0,
      message: `Not graded: the reference solution of ${spec.problem}/${spec.target} ${prepared.status.message} in this run, so no verdict can be trusted; the answer needs a manual check.`,
    };
  }
  let claim: Claim;
  try {
    claim = compileClaim(prepared.problem, prepared.target, spec.text, spec.syntax);
  } catch (err) {
    if (err instanceof FormulaShapeError) return wrongShape(session, prepared, spec, err);
    if (err instanceof FormulaError) return { verdict: 'invalid', fraction: 0, message: `Invalid: ${err.describe()}` };
    throw err;
  }
  const found = searchCached(prepared.problem, prepared.target, claim, session.runsFor(prepared.problem.id), prepared.fcSeed, session.cache);
  const readAs = claim.readAs;
  if (found.runtimeError) {
    const err = found.runtimeError;
    if (err instanceof FormulaError) return { verdict: 'invalid', fraction: 0, readAs, message: `Invalid: the answer cannot be evaluated: ${err.describe()}` };
    return wrongShape(session, prepared, spec, err);
  }
  switch (cachedSearchStatus(found)) {
    case 'pass':
      return { verdict: 'correct', fraction: 1, readAs, samples: found.samples, message: `Correct: agrees with ${truthName(prepared)} on ${found.passed} random samples${skipped(found)}.` };
    case 'undecided':
      return {
        verdict: 'undecided',
        fraction: 0,
        readAs,
        samples: found.samples,
        message: `Not graded (undecided): no sample disagreed with ${truthName(prepared)}, but ${found.undecided} of ${found.samples} could not be decided${skipped(found)}; the answer needs a manual check.`,
      };
    case 'fail':
      return incorrect(session, prepared, claim, found);
  }
}

/** What the answer was compared with: FD for derivatives, the target's own reference for a value. */
function truthName(prepared: PreparedTarget): string {
  return prepared.target.kind === 'value' ? 'the reference value' : 'finite differences';
}

/** `at N=2, D=3 (input seed 5)`, or `at input seed 5` for a problem without dimensions. */
function atSample(dims: Dims, seed: number): string {
  return Object.keys(dims).length > 0 ? `at ${formatDims(dims)} (input seed ${seed})` : `at input seed ${seed}`;
}

function skipped(found: GradeSearch): string {
  return found.nonDifferentiable > 0 ? ` (${found.nonDifferentiable} on a kink, skipped)` : '';
}

function formatDims(dims: Dims): string {
  return Object.entries(dims).map(([k, v]) => `${k}=${v}`).join(', ') || 'no dimensions';
}

/** A concrete shape in words: 3×4, a vector of 5, a scalar. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 0) return 'a scalar';
  return shape.length === 1 ? `a vector of ${shape[0]}` : shape.join('×');
}

function incorrect(session: GradingSession, prepared: PreparedTarget, claim: Claim, found: GradeSearch): Judged {
  const ce = found.counterexample!;
  const mistake = labelMistake(prepared, claim.evaluate, labelSamples(prepared, ce.sample), session.cache);
  const evidence = counterexampleOf(session, prepared, claim.evaluate, ce);
  const name = prepared.target.name;
  const entries = evidence.wrong.map((w) => `${w.index} expected ${formatNumber(w.expected)}, got ${formatNumber(w.got)}`).join('; ');
  const more = evidence.wrongCount > evidence.wrong.length ? ` (and ${evidence.wrongCount - evidence.wrong.length} more)` : '';
  const looks = mistake ? ` Looks like: ${mistake.description}.` : patternWords(ce);
  const partial = session.partialFor(prepared.problem.id) ? partialCredit(found.firstFailure!) : undefined;
  const credit = partial ? ` Partial credit: ${partial.right} of ${partial.entries} entries right ${atSample(partial.dims, found.firstFailure!.sample.seed)}.` : '';
  return {
    verdict: 'incorrect',
    fraction: partial && partial.entries > 0 ? partial.right / partial.entries : 0,
    readAs: claim.readAs,
    samples: found.samples,
    ...(mistake ? { mistake } : {}),
    counterexample: evidence,
    ...(partial ? { partial } : {}),
    message: `Incorrect: ${atSample(ce.sample.dims, ce.sample.seed)}, ${evidence.wrongCount} of ${evidence.entryCount} entries of ${name} differ from ${truthName(prepared)}: ${entries}${more}.${looks}${credit}`,
  };
}

/** What FD's own pattern says when no label fits (values in the wrong places, ...). */
function patternWords(ce: SampleCheck): string {
  const pattern = ce.verdict.pattern;
  if (pattern?.kind === 'permuted') return ' The values are right but sit in the wrong places.';
  if (pattern?.kind === 'factor' && pattern.factor === 0) return ' The answer is zero everywhere.';
  return '';
}

/**
 * Partial credit: the fraction of entries within their FD budget at the first failing sample (before
 * shrinking: its dims are the distinct sizes of a typical draw, not the smallest case, where one
 * entry can be half of the answer). Entries FD could not decide are left out of both counts.
 */
function partialCredit(check: SampleCheck): PartialCredit {
  const v = check.verdict;
  const decided = v.checked - v.nonDifferentiable - v.unresolved;
  return { right: decided - v.overBudget, entries: decided, dims: check.sample.dims };
}

function counterexampleOf(session: GradingSession, prepared: PreparedTarget, answer: FormulaFunction, ce: SampleCheck): CounterexampleData {
  const { truth } = session.cache.at(prepared.problem, prepared.target, ce.sample.dims, ce.sample.seed);
  const got = answer(truth.values, ce.sample.dims).contiguous().data;
  const { indices, value, error, status } = truth.estimate;
  const expected = new Float64Array(got.length);
  const wrong: WrongEntryData[] = [];
  for (let k = 0; k < indices.length; k++) {
    const flat = indices[k]!;
    expected[flat] = value[k]!;
    const a = got[flat]!;
    const n = value[k]!;
    if (status[k] === 'smooth' && !(Math.abs(a - n) <= entryBudget(error[k]!, a, n)) && wrong.length < WRONG_ENTRIES_SHOWN) {
      wrong.push({ index: entryName(prepared.target.name, multiIndex(flat, truth.shape)), expected: n, got: a });
    }
  }
  const shape = [...truth.shape];
  const small = Object.values(ce.inputs).every((t) => t.size <= SMALL_INPUT_ENTRIES);
  const full = got.length <= HEATMAP_MAX_ENTRIES;
  return {
    dims: ce.sample.dims,
    seed: ce.sample.seed,
    ...(small ? { inputs: nestedRecord(ce.inputs) } : {}),
    wrong,
    wrongCount: ce.verdict.overBudget,
    entryCount: ce.verdict.checked,
    ...(full ? { expected: nestedOf(expected, shape), got: nestedOf(got, shape) } : {}),
  };
}

function nestedRecord(tensors: Readonly<Record<string, Tensor>>) {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.toNested()]));
}

function nestedOf(data: Float64Array, shape: readonly number[]): Nested {
  const build = (axis: number, offset: number): Nested => {
    if (axis === shape.length) return data[offset]!;
    const stride = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/**
 * An answer whose shape is not the target's: incorrect, evaluated at the first sample to show the two
 * shapes. A formula whose own operands do not fit (X * dY for an N×D X and an N×M dY), or that leaves
 * out what its shape depends on (softmax of a matrix without its dim), has no value at all: invalid,
 * with the checker's message and caret.
 */
function wrongShape(session: GradingSession, prepared: PreparedTarget, spec: AnswerSpec, err: FormulaError | Error): Judged {
  const what = err instanceof FormulaError ? err.describe() : err.message;
  let free: FormulaFunction;
  try {
    free = compileFree(prepared.problem, spec.text, spec.syntax);
  } catch (inner) {
    if (!(inner instanceof FormulaError)) throw inner;
    return { verdict: 'invalid', fraction: 0, message: `Invalid: the formula has no value: ${inner.describe()}` };
  }
  // Shapes are easiest to tell apart where every dimension has its own size.
  const first: SampleCase | undefined = prepared.samples.find((s) => new Set(Object.values(s.dims)).size === Object.keys(s.dims).length) ?? prepared.samples[0];
  if (!first) return { verdict: 'incorrect', fraction: 0, mistake: { label: 'wrong-shape', description: 'wrong shape' }, message: `Incorrect (wrong shape): ${what}` };
  const mistake = labelShapeMistake(prepared, free, labelSamples(prepared, first), session.cache);
  const { truth } = session.cache.at(prepared.problem, prepared.target, first.dims, first.seed);
  let gotShape: number[] | undefined;
  try {
    gotShape = [...free(truth.values, first.dims).shape];
  } catch {
    gotShape = undefined;
  }
  const expectedShape = [...truth.shape];
  const shapes = gotShape ? ` At ${formatDims(first.dims)}, ${prepared.target.name} is ${formatShape(expectedShape)} and the answer is ${formatShape(gotShape)}.` : '';
  return {
    verdict: 'incorrect',
    fraction: 0,
    mistake,
    counterexample: { dims: first.dims, seed: first.seed, wrong: [], wrongCount: 0, entryCount: 0, expectedShape, ...(gotShape ? { gotShape } : {}) },
    message: `Incorrect (wrong shape):${shapes} Looks like: ${mistake.description}.\n${what}`,
  };
}
