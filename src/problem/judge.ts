/**
 * Judging a claim: from its text to a Finding. The same judgement serves `check` (an ad hoc problem),
 * `verify` (a problem's closed forms and mistakes), `eval` (one concrete sample) and the grader.
 *
 *   cannot be read (syntax, unknown name), over a limit                      → invalid, by the error's class
 *   shapes inside the formula that do not fit                               → invalid (formula-shape)
 *   a value of another shape than the target's                              → incorrect (shape), the two shapes
 *   a sample where some entry misses the ground truth beyond its budget     → incorrect (mismatch), shrunk evidence, the mistake named
 *   every sample agrees (and at least one was decided)                      → correct
 *   no sample disagrees but some could not be decided                       → undecided (non-finite, error-bars)
 *   every sample stayed on a kink                                           → non-differentiable (kink)
 */
import { UNRESOLVED_BUDGET_FRACTION } from '../fd/verdict.js';
import { FormulaError, FormulaShapeError, FormulaSyntaxError, LimitExceededError, UnknownSymbolError, UnsupportedNotationError, UnsupportedSyntaxError } from '../formula/errors.js';
import type { FormulaFunction } from '../formula/compile.js';
import { formatShape } from '../tensor/errors.js';
import type { SampleCase, SampleCheck } from './check.js';
import { type Claim, compileClaim, compileFreeFormula } from './claim.js';
import { evidenceOf } from './evidence.js';
import { type Finding, type FindingMistake, type FindingReason, type SampleCounts, findingFor } from './finding.js';
import { type KnownMistake, type NamingPoint, nameMistake, nameShapeMistake, namingSamples } from './mistake.js';
import { formatDistinct, formatNumber } from './numbers.js';
import type { CheckPlan } from './budget.js';
import { withReading } from './readings.js';
import { type SearchResult, cachedSamples, checkPlan, searchClaim } from './search.js';
import type { TruthCache } from './truth-cache.js';
import type { Dims, Problem, Target } from './types.js';

/** Entries a message names: the worst few are enough to see the pattern. */
export const MESSAGE_ENTRIES = 5;

export interface JudgeOptions {
  /** Samples to compare on. */
  readonly runs: number;
  /** fast-check seed of the search: every formula judged with it meets the same samples. */
  readonly fcSeed: number;
  /** Ground truths, shared with the other formulas of the target. */
  readonly truths: TruthCache;
  /** The target's known mistakes, for naming a wrong answer (default: none). */
  readonly known?: readonly KnownMistake[];
}

/** A Finding and, when the claim was searched, the search it rests on (the grader measures partial credit on it). */
export interface Judgement {
  readonly finding: Finding;
  readonly search?: SearchResult;
}

/**
 * Reason of an error that keeps a formula from having a value. The LaTeX reader's error for notation it
 * cannot map with confidence (UnsupportedNotationError) means a person must read the answer: undecided.
 */
export function reasonOfError(err: FormulaError): FindingReason {
  if (err instanceof UnsupportedNotationError) return 'unsupported-notation';
  if (err instanceof FormulaSyntaxError || err instanceof UnsupportedSyntaxError) return 'syntax';
  if (err instanceof UnknownSymbolError) return 'unknown-symbol';
  if (err instanceof FormulaShapeError) return 'formula-shape';
  if (err instanceof LimitExceededError) return 'limit';
  return 'evaluation';
}

/** The Finding of a formula that has no value. */
export function findingOfError(err: FormulaError, readAs?: string): Finding {
  // Notation not read is not the writer's fault: the message names the construct for the person who reads it.
  const message = err instanceof UnsupportedNotationError ? `Needs review (unsupported notation: ${err.construct}): ${err.describe()}` : err.describe();
  return findingFor(reasonOfError(err), message, readAs !== undefined ? { readAs } : {});
}

/** What the claim is compared with: FD for derivatives, the target's own reference for a value. */
export function truthName(target: Target): string {
  return target.kind === 'value' ? 'the reference value' : 'finite differences';
}

function formatDims(dims: Dims): string {
  return Object.entries(dims).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** `at N=2, D=3 (input seed 5)`, or `at input seed 5` for a problem without dimensions. */
export function atSample(dims: Dims, seed: number): string {
  return Object.keys(dims).length > 0 ? `at ${formatDims(dims)} (input seed ${seed})` : `at input seed ${seed}`;
}

/** Judges `text` as an answer for `target`: compiles it, searches for a counterexample, names the mistake. */
export function judgeText(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex', options: JudgeOptions): Judgement {
  let claim: Claim;
  try {
    claim = compileClaim(problem, target, text, syntax);
  } catch (err) {
    if (err instanceof FormulaShapeError) return { finding: judgeWrongShape(problem, target, text, syntax, err, options) };
    if (err instanceof FormulaError) return { finding: findingOfError(err) };
    throw err;
  }
  return judgeClaim(problem, target, claim, options);
}

/** Judges a compiled claim on the search's samples. */
export function judgeClaim(problem: Problem, target: Target, claim: Claim, options: JudgeOptions): Judgement {
  const search = searchClaim(problem, target, claim, options.runs, options.fcSeed, options.truths);
  const err = search.runtimeError;
  if (err instanceof FormulaError) return { finding: findingOfError(err, claim.readAs), search };
  if (err) return { finding: judgeWrongShape(problem, target, claim.text, claim.syntax, err, options), search };
  return { finding: withPlanNote(withReading(problem, target, claim, findingOfSearch(problem, target, claim, search, options), options), search.plan), search };
}

/** A verdict on fewer samples or entries than asked for says so (budget.ts). */
function withPlanNote(finding: Finding, plan: CheckPlan): Finding {
  return plan.note ? { ...finding, message: `${finding.message} ${plan.note}` } : finding;
}

function countsOf(found: SearchResult): SampleCounts {
  return { total: found.total, passed: found.passed, undecided: found.undecided, nonDifferentiable: found.nonDifferentiable, nonFinite: found.nonFinite };
}

function skipped(found: SampleCounts): string {
  return found.nonDifferentiable > 0 ? ` (${found.nonDifferentiable} on a kink, skipped)` : '';
}

/** The Finding of a search: correct, incorrect with the shrunk counterexample, undecided or non-differentiable with why. */
export function findingOfSearch(problem: Problem, target: Target, claim: Claim, found: SearchResult, options: JudgeOptions): Finding {
  const counts = countsOf(found);
  // The largest relative error is over passing samples: with none it would read as 0, an exact match.
  const base = { readAs: claim.readAs, samples: counts, ...(found.passed > 0 ? { maxRelError: found.maxRelError } : {}) };
  const truth = truthName(target);
  if (found.counterexample) {
    const check = found.counterexample;
    const candidates = cachedSamples(problem, found.plan.runs, options.fcSeed, options.truths);
    const mistake = nameMistake(target, options.known ?? [], namingPoints(problem, target, claim.evaluate, check.sample, candidates, options.truths, found.plan.entries));
    return incorrectAt(target, check, mistake, base);
  }
  if (found.undecided === 0 && found.passed > 0) {
    return { status: 'correct', message: `agrees with ${truth} on ${found.passed} random sample${found.passed === 1 ? '' : 's'}${skipped(counts)}.`, review: false, ...base };
  }
  if (found.nonFinite > 0) {
    return findingFor(
      'non-finite',
      `the loss is NaN or infinite at ${found.nonFinite} of ${found.total} samples: the inputs lie outside its domain; declare one (--domain x=positive for log or sqrt, --domain p=simplex, ...)`,
      base,
    );
  }
  if (found.passed === 0 && found.undecided === 0 && found.firstKink) {
    const evidence = evidenceOf(target.name, found.firstKink, 'non-differentiable');
    const where = evidence.entries[0] ? `, e.g. ${evidence.entries[0].index} ${atSample(evidence.dims, evidence.seed)}` : '';
    return findingFor(
      'kink',
      `every sample put a kink of the loss within the finite-difference step (${found.nonDifferentiable} samples${where}); draw inputs away from it (--domain NAME=awayFromZero)`,
      { ...base, evidence },
    );
  }
  return undecidedAt(target, found, base);
}

/**
 * The undecided Finding: no sample disagreed, some could not be decided; the first such sample is the
 * evidence. Its loss was a float64 staircase at the step's scale (quantised-loss), or its error bars
 * were too wide (error-bars).
 */
function undecidedAt(target: Target, found: SearchResult, base: Omit<Finding, 'status' | 'message' | 'review'>): Finding {
  const counts = countsOf(found);
  const check = found.firstUndecided;
  const evidence = check ? evidenceOf(target.name, check, 'unresolved') : undefined;
  const first = evidence?.entries[0];
  if (check && evidence && first && check.verdict.quantised > 0) {
    return findingFor(
      'quantised-loss',
      `the loss as computed in float64 does not resolve the finite-difference step: ${atSample(evidence.dims, evidence.seed)} it is flat to the last bit around ${first.index} and changes only in jumps farther out (a staircase, as 1e16 + x − 1e16 is), so finite differences say nothing about the gradient (${found.undecided} of ${found.total} samples undecided); compute the loss without intermediate values that swamp the inputs`,
      { ...base, evidence },
    );
  }
  const example = !first
    ? ''
    : Number.isFinite(first.expected)
      ? `: ${atSample(evidence.dims, evidence.seed)}, ${first.index} = ${formatNumber(first.expected)} ± ${first.budget.toExponential(1)} cannot tell a relative error of ${UNRESOLVED_BUDGET_FRACTION} (the claim gives ${formatNumber(first.got)})`
      : `: ${atSample(evidence.dims, evidence.seed)}, the loss is not finite within the finite-difference step around ${first.index} (the steps leave its domain)`;
  return findingFor(
    'error-bars',
    `no sample disagreed with ${truthName(target)}, but ${found.undecided} of ${found.total} could not be decided (finite-difference error bars too wide)${example}${skipped(counts)}`,
    { ...base, ...(evidence ? { evidence } : {}) },
  );
}

/** The incorrect Finding of a failing sample, with its evidence in words; `where` names the sample (default: its dims and input seed). */
function incorrectAt(target: Target, check: SampleCheck, mistake: FindingMistake | undefined, base: Omit<Finding, 'status' | 'message' | 'review'>, where?: string): Finding {
  const evidence = evidenceOf(target.name, check, 'over-budget');
  const shown = evidence.entries.slice(0, MESSAGE_ENTRIES);
  const entries = shown
    .map((e) => {
      const [expected, got] = formatDistinct([e.expected, e.got]);
      return `${e.index} expected ${expected}, got ${got}`;
    })
    .join('; ');
  const more = evidence.count > shown.length ? ` (and ${evidence.count - shown.length} more)` : '';
  const looks = mistake ? ` Looks like: ${mistake.description}.` : '';
  return findingFor('mismatch', `${where ?? atSample(evidence.dims, evidence.seed)}, ${evidence.count} of ${evidence.entryCount} entries of ${target.name} differ from ${truthName(target)}: ${entries}${more}.${looks}`, {
    ...base,
    evidence,
    ...(mistake ? { mistake } : {}),
  });
}

/** The Finding of a claim at one sample whose inputs are given, not drawn (`eval`). */
export function findingAtSample(target: Target, check: SampleCheck, known: readonly KnownMistake[], readAs: string): Finding {
  const v = check.verdict;
  const base = { readAs, maxRelError: v.maxRelError, maxAbsError: v.maxAbsError };
  switch (v.status) {
    case 'pass':
      return { status: 'correct', message: `agrees with ${truthName(target)} at every entry.`, review: false, ...base };
    case 'fail':
      return incorrectAt(target, check, nameMistake(target, known, [{ dims: check.sample.dims, truth: check.truth, answer: check.value }]), base, 'at the given inputs');
    case 'non-differentiable': {
      const evidence = evidenceOf(target.name, check, 'non-differentiable');
      return findingFor('kink', `a kink of the loss lies within the finite-difference step at ${evidence.entries.map((e) => e.index).join(', ')}`, { ...base, evidence });
    }
    case 'undecided': {
      const evidence = evidenceOf(target.name, check, 'unresolved');
      if (v.quantised > 0) return findingFor('quantised-loss', `the loss as computed in float64 is flat to the last bit at ${evidence.entries[0]!.index} and changes only in jumps farther out: finite differences say nothing about the gradient there`, { ...base, evidence });
      return findingFor('error-bars', `the finite-difference error bars of ${evidence.count} of ${evidence.entryCount} entries are too wide to decide`, { ...base, evidence });
    }
  }
}

/** The naming points of a claim: `first` and samples of the search whose dims differ (mistake.ts), where the claim has a value. */
function namingPoints(problem: Problem, target: Target, answer: FormulaFunction, first: SampleCase, candidates: readonly SampleCase[], truths: TruthCache, entries: number | undefined): (NamingPoint & { readonly seed: number })[] {
  const points: (NamingPoint & { readonly seed: number })[] = [];
  for (const sample of namingSamples(first, candidates)) {
    const truth = truths.at(problem, target, sample.dims, sample.seed, entries).truth;
    try {
      points.push({ dims: sample.dims, seed: sample.seed, truth, answer: answer(truth.values, sample.dims) });
    } catch {
      // No value at this sample: the claim is named (and its shape shown) from the others.
    }
  }
  return points;
}

/**
 * A value of another shape than the target's: incorrect, evaluated at the smallest sample whose dims are
 * pairwise distinct (shapes are easiest to tell apart there) to show the two shapes. A formula whose
 * own operands do not fit (X * dY for an N×D X and an N×M dY), or that leaves out what its shape
 * depends on, has no value at all: invalid, with the checker's message and caret.
 */
function judgeWrongShape(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex', err: FormulaError | Error, options: JudgeOptions): Finding {
  const what = err instanceof FormulaError ? err.describe() : err.message;
  let free: FormulaFunction;
  try {
    free = compileFreeFormula(problem, target, text, syntax);
  } catch (inner) {
    if (!(inner instanceof FormulaError)) throw inner;
    return findingOfError(inner);
  }
  const plan = checkPlan(problem, target, options.runs, options.fcSeed, options.truths);
  const samples = cachedSamples(problem, plan.runs, options.fcSeed, options.truths);
  const distinct = samples.filter((s) => new Set(Object.values(s.dims)).size === Object.keys(s.dims).length);
  const size = (s: SampleCase) => Object.values(s.dims).reduce((product, d) => product * d, 1);
  const first = distinct.reduce<SampleCase | undefined>((best, s) => (best === undefined || size(s) < size(best) ? s : best), undefined) ?? samples[0]!;
  const points = namingPoints(problem, target, free, first, samples, options.truths, plan.entries);
  const mistake = nameShapeMistake(target, options.known ?? [], points);
  const at = points[0];
  const shapes = at ? ` ${atSample(at.dims, at.seed)}, ${target.name} is ${formatShape(at.truth.shape)} and the answer is ${formatShape(at.answer.shape)}.` : '';
  const evidence = at ? { dims: { ...at.dims }, seed: at.seed, entries: [], count: 0, entryCount: 0, expectedShape: [...at.truth.shape], gotShape: [...at.answer.shape] } : undefined;
  return findingFor('shape', `the value has another shape than ${target.name}:${shapes} Looks like: ${mistake.description}.\n${what}`, { mistake, ...(evidence ? { evidence } : {}) });
}
