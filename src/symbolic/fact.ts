/**
 * A symbolic fact: what the leg proves about one target of one problem module (or a lemma the modules
 * share), as a list of claims at fixed small sizes. Its status sums up its obligations:
 *   proven     every obligation met (claims expected to hold proven, claims expected to fail refuted)
 *   refuted    some obligation contradicted with evidence (a claim expected to hold refuted, or the reverse)
 *   undecided  otherwise (an engine could not reduce a residue, or an engine error sent it to the numbers)
 */
import { Rng } from '../tensor/rng.js';
import type { SymbolicStatus } from './equivalence.js';
import { type SymbolicClaim, type ObligationReport, type ProveOptions, proveClaim } from './obligation.js';

/** Sub-stream label of per-obligation seeds, Rng.derive(seed, OBLIGATION_STREAM, index). */
export const OBLIGATION_STREAM = 0x0b1160;

export interface FactReport {
  readonly problem: string | null;
  readonly target: string;
  readonly statement: string;
  readonly status: SymbolicStatus;
  readonly obligations: readonly ObligationReport[];
  readonly seed: number;
  readonly elapsedMs: number;
}

export interface SymbolicFact {
  /** Problem module id; null for a lemma several modules rely on (sigmoid', tanh'). */
  readonly problem: string | null;
  /** Target name in that module (or the lemma's name). */
  readonly target: string;
  /** One line: what is proven, at which sizes. */
  readonly statement: string;
  /** The claims, in the order a derivation states them. */
  readonly claims: () => readonly SymbolicClaim[];
}

export function factStatus(obligations: readonly ObligationReport[]): SymbolicStatus {
  if (obligations.every((o) => o.met)) return 'proven';
  const contradicted = obligations.some((o) => (o.expect === 'holds' && o.status === 'refuted') || (o.expect === 'fails' && o.status === 'proven'));
  return contradicted ? 'refuted' : 'undecided';
}

/** Proves every claim of the fact, each with its own seed derived from `options.seed`. */
export function proveFact(fact: SymbolicFact, options: ProveOptions = {}): FactReport {
  const start = performance.now();
  const seed = options.seed ?? 0;
  const obligations = fact.claims().map((c, k) => proveClaim(c, { ...options, seed: Rng.derive(seed, OBLIGATION_STREAM, k).seed }));
  return { problem: fact.problem, target: fact.target, statement: fact.statement, status: factStatus(obligations), obligations, seed, elapsedMs: performance.now() - start };
}
