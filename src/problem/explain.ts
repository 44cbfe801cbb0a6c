/**
 * Evidence in words: the first wrong entries by native index, expected against got, and what kind of
 * mistake the numbers look like. Shared by `check`, `eval` and the grader.
 */
import { describePattern, entryName, type GradientVerdict } from '../fd/verdict.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Counterexample } from './verify.js';

export interface WrongEntry {
  /** 1-based, as derivations write it: dW[2,1]. */
  readonly index: string;
  /** Ground truth (FD estimate or reference). */
  readonly expected: number;
  /** What the formula gave. */
  readonly got: number;
}

/** Worst entries of a verdict, named after the target. */
export function wrongEntries(target: string, verdict: GradientVerdict): WrongEntry[] {
  return verdict.worst.filter((e) => e.status === 'over-budget').map((e) => ({ index: entryName(target, e.index), expected: e.numeric, got: e.analytic }));
}

/** The pattern of a failing verdict in words ('sign flipped', 'off by a factor 2'), when one explains every entry. */
export function mistakeFromPattern(verdict: GradientVerdict): string | undefined {
  return verdict.pattern ? describePattern(verdict.pattern) : undefined;
}

/** Largest input (entries) shown in a counterexample; bigger ones are described by shape only. */
export const SMALL_INPUT_ENTRIES = 36;

export interface CounterexampleReport {
  readonly seed: number;
  readonly dims: Readonly<Record<string, number>>;
  /** The sample's inputs when each has at most SMALL_INPUT_ENTRIES entries. */
  readonly inputs?: Readonly<Record<string, Tensor>>;
  readonly worst: readonly WrongEntry[];
  readonly mistake?: string;
}

export function counterexampleReport(target: string, found: Counterexample): CounterexampleReport {
  const check = found.check;
  const inputs = check?.inputs ?? {};
  const small = Object.values(inputs).every((t) => t.size <= SMALL_INPUT_ENTRIES);
  const mistake = check ? mistakeFromPattern(check.verdict) : undefined;
  return {
    seed: check?.sample.seed ?? found.seed,
    dims: found.dims,
    ...(small && check ? { inputs } : {}),
    worst: check ? wrongEntries(target, check.verdict) : [],
    ...(mistake ? { mistake } : {}),
  };
}

/** One line per wrong entry: `dW[2,1]: expected 0.5301, got -0.5301`. */
export function formatWrongEntries(entries: readonly WrongEntry[]): string[] {
  return entries.map((e) => `${e.index}: expected ${formatNumber(e.expected)}, got ${formatNumber(e.got)}`);
}

export function formatNumber(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
