/**
 * The verification suite: for every target, every closed form must agree with the ground truth on
 * every random sample, and every known mistake must be rejected on some sample, with the smallest
 * counterexample fast-check can shrink to; every claim must hold, or fail with a shrunk counterexample,
 * as the problem says (a Property).
 */
import fc from 'fast-check';
import { type TargetSymbolicStatus, proveTarget } from '../symbolic/facts/index.js';
import { Rng } from '../tensor/rng.js';
import type { Finding } from './finding.js';
import { judgeText } from './judge.js';
import { DEFAULT_RUNS } from './search.js';
import { type KnownMistake, compileKnownMistakes } from './mistake.js';
import { TruthCache } from './truth-cache.js';
import type { Dims, Problem, Property, Target } from './types.js';

export interface VerifyOptions {
  readonly runs?: number;
  readonly seed?: number;
  /**
   * Ground truths shared by the closed forms and mistakes of a target, which meet the same samples
   * (truth-cache.ts): one per thread. verifyProblem makes one when none is given; without one, every
   * part computes its own.
   */
  readonly truths?: TruthCache;
}

/** How a closed form or a known mistake fared: its Finding over the target's samples. */
export interface FormulaOutcome {
  readonly formula: string;
  readonly style: string;
  readonly finding: Finding;
  /** A closed form a grader ruled right (ClosedForm.accepted). */
  readonly accepted?: boolean;
}

/**
 * Whether a closed form passes: it agrees with the ground truth, or it is a grader's accepted spelling
 * that finite differences could not decide (undecided, non-differentiable: a person's ruling stands
 * where no evidence speaks against it). An accepted spelling shown wrong, or without a value, fails.
 */
export function closedFormPasses(outcome: FormulaOutcome): boolean {
  return outcome.finding.status === 'correct' || (outcome.accepted === true && outcome.finding.review);
}

/** An accepted spelling that passes on the grader's ruling alone: FD could not decide it. */
export function standsOnRuling(outcome: FormulaOutcome): boolean {
  return outcome.finding.status !== 'correct' && closedFormPasses(outcome);
}

export interface MistakeOutcome extends FormulaOutcome {
  readonly label: string;
  readonly why: string;
  /** A mistake is rejected when it is incorrect on a sample (with evidence) or invalid (it does not even compile). */
  readonly rejected: boolean;
}

export interface TargetReport {
  readonly problem: string;
  readonly target: string;
  readonly runs: number;
  readonly closedForm: 'pass' | 'fail';
  readonly closedForms: readonly FormulaOutcome[];
  readonly mistakes: readonly MistakeOutcome[];
  readonly maxRelError: number;
  /** The symbolic leg's answer for this target ('n/a' where no fact covers it; docs/symbolic.md). */
  readonly symbolic: TargetSymbolicStatus;
  readonly timeMs: number;
}

export interface PropertyReport {
  readonly problem: string;
  readonly property: string;
  readonly statement: string;
  readonly expected: 'holds' | 'fails';
  /** pass: behaved as expected (held on every run, or a counterexample was found). */
  readonly status: 'pass' | 'fail';
  readonly runs: number;
  readonly counterexample?: { readonly value: unknown; readonly message: string; readonly fcSeed: number };
  readonly timeMs: number;
}

export interface ProblemReport {
  readonly problem: string;
  readonly passed: boolean;
  readonly targets: readonly TargetReport[];
  readonly properties: readonly PropertyReport[];
}

/** Sub-stream label of a target's fast-check seed: Rng.derive(seed, TARGET_STREAM, t). */
const TARGET_STREAM = 0x7a26e7;
const PROPERTY_STREAM = 0xc1a1e;
const FC_SEED_RANGE = 0x7fffffff;

/** fast-check seed of the t-th target of a problem: one printed seed reproduces every search. */
function fcSeedFor(seed: number, problemId: string, label: number, t: number): number {
  let h = 0;
  for (const ch of problemId) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return Rng.derive(seed, label, h, t).int(0, FC_SEED_RANGE);
}

/**
 * A target's known mistakes, compiled once per target and thread (each closed form's part names a wrong
 * answer with them; compiling them again for every closed form was a twentieth of a verify run).
 */
const knownMistakes = new WeakMap<Problem, WeakMap<Target, readonly KnownMistake[]>>();

function knownMistakesOf(problem: Problem, target: Target): readonly KnownMistake[] {
  let byTarget = knownMistakes.get(problem);
  if (!byTarget) knownMistakes.set(problem, (byTarget = new WeakMap()));
  let known = byTarget.get(target);
  if (!known) byTarget.set(target, (known = compileKnownMistakes(problem, target)));
  return known;
}

function outcomeOf(problem: Problem, target: Target, text: string, style: string, syntax: 'formula' | 'latex', runs: number, fcSeed: number, truths: TruthCache, known: readonly KnownMistake[]): FormulaOutcome {
  return { formula: text, style, finding: judgeText(problem, target, text, syntax, { runs, fcSeed, truths, known }).finding };
}

/**
 * One independent piece of a target's verification: a closed form's counterexample search, a known
 * mistake's, or the symbolic leg. Each uses the target's seed alone, so the pieces can run in any
 * order or thread (verify-all.ts) and give the same TargetReport.
 */
export type TargetPart = { readonly kind: 'closed-form'; readonly index: number } | { readonly kind: 'mistake'; readonly index: number } | { readonly kind: 'symbolic' };

/** What a part found: a closed form's or mistake's outcome, or the symbolic status. */
export type TargetPartResult =
  | { readonly kind: 'closed-form'; readonly outcome: FormulaOutcome }
  | { readonly kind: 'mistake'; readonly outcome: MistakeOutcome }
  | { readonly kind: 'symbolic'; readonly status: TargetSymbolicStatus };

/** Every part of target `target`, in report order: closed forms, mistakes, the symbolic leg. */
export function targetParts(target: Target): TargetPart[] {
  return [
    ...target.closedForms.map((_, index) => ({ kind: 'closed-form' as const, index })),
    ...target.mistakes.map((_, index) => ({ kind: 'mistake' as const, index })),
    { kind: 'symbolic' },
  ];
}

/** Verifies one part of the t-th target of `problem`. */
export function verifyTargetPart(problem: Problem, target: Target, t: number, part: TargetPart, options: VerifyOptions = {}): TargetPartResult {
  const runs = options.runs ?? DEFAULT_RUNS;
  const fcSeed = fcSeedFor(options.seed ?? 0, problem.id, TARGET_STREAM, t);
  const truths = options.truths ?? new TruthCache();
  switch (part.kind) {
    case 'closed-form': {
      const cf = target.closedForms[part.index]!;
      const outcome = outcomeOf(problem, target, cf.formula, cf.style, cf.syntax ?? 'formula', runs, fcSeed, truths, knownMistakesOf(problem, target));
      return { kind: part.kind, outcome: cf.accepted ? { ...outcome, accepted: true } : outcome };
    }
    case 'mistake': {
      const m = target.mistakes[part.index]!;
      const outcome = outcomeOf(problem, target, m.formula, m.label, 'formula', runs, fcSeed, truths, []);
      const status = outcome.finding.status;
      return { kind: part.kind, outcome: { ...outcome, label: m.label, why: m.why, rejected: status === 'incorrect' || status === 'invalid' } };
    }
    case 'symbolic':
      return { kind: part.kind, status: proveTarget(problem.id, target.name, { seed: options.seed ?? 0 }).status };
  }
}

/** The report of a target from the results of its parts, in the order of targetParts(target); `timeMs` is the time spent on them. */
export function targetReport(problem: Problem, target: Target, results: readonly TargetPartResult[], timeMs: number, options: VerifyOptions = {}): TargetReport {
  const closedForms = results.flatMap((r) => (r.kind === 'closed-form' ? [r.outcome] : []));
  const mistakes = results.flatMap((r) => (r.kind === 'mistake' ? [r.outcome] : []));
  const symbolic = results.flatMap((r) => (r.kind === 'symbolic' ? [r.status] : []))[0] ?? 'n/a';
  return {
    problem: problem.id,
    target: target.name,
    runs: options.runs ?? DEFAULT_RUNS,
    closedForm: closedForms.every(closedFormPasses) ? 'pass' : 'fail',
    closedForms,
    mistakes,
    maxRelError: Math.max(0, ...closedForms.map((c) => c.finding.maxRelError ?? 0)),
    symbolic,
    timeMs,
  };
}

export function verifyTarget(problem: Problem, target: Target, t: number, options: VerifyOptions = {}): TargetReport {
  const start = performance.now();
  const results = targetParts(target).map((part) => verifyTargetPart(problem, target, t, part, options));
  return targetReport(problem, target, results, performance.now() - start, options);
}

export function verifyProperty(problem: Problem, property: Property, c: number, options: VerifyOptions = {}): PropertyReport {
  const start = performance.now();
  const runs = options.runs ?? DEFAULT_RUNS;
  const fcSeed = fcSeedFor(options.seed ?? 0, problem.id, PROPERTY_STREAM, c);
  let lastMessage = '';
  const result = fc.check(
    fc.property(property.arbitrary, (sample) => {
      const verdict = property.holds(sample);
      if (verdict !== true) lastMessage = verdict;
      return verdict === true;
    }),
    { numRuns: runs, seed: fcSeed },
  );
  const found = result.failed && result.counterexample;
  let message = '';
  if (found) {
    // Re-run the shrunk case so the message describes it, not the last case tried while shrinking.
    const verdict = property.holds(result.counterexample![0]);
    message = verdict === true ? lastMessage : verdict;
  }
  const status = (property.expected === 'holds') === !found ? 'pass' : 'fail';
  return {
    problem: problem.id,
    property: property.name,
    statement: property.statement,
    expected: property.expected,
    status,
    runs: result.numRuns,
    ...(found ? { counterexample: { value: result.counterexample![0], message, fcSeed } } : {}),
    timeMs: performance.now() - start,
  };
}

export function verifyProblem(problem: Problem, options: VerifyOptions = {}): ProblemReport {
  options = { ...options, truths: options.truths ?? new TruthCache() };
  const targets = problem.targets.map((target, t) => verifyTarget(problem, target, t, options));
  const properties = problem.properties.map((property, c) => verifyProperty(problem, property, c, options));
  return problemReport(problem.id, targets, properties);
}

/**
 * A problem passes when every closed form passes, every mistake is rejected, no symbolic fact refutes a
 * target, and every property behaves as the problem says.
 */
export function problemReport(problem: string, targets: readonly TargetReport[], properties: readonly PropertyReport[]): ProblemReport {
  const passed =
    targets.every((r) => r.closedForm === 'pass' && r.mistakes.every((m) => m.rejected) && r.symbolic !== 'refuted') &&
    properties.every((p) => p.status === 'pass');
  return { problem, passed, targets, properties };
}
