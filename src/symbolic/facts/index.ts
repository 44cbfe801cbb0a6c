/**
 * The registry of symbolic facts, keyed by problem id and target name. `derivcheck verify` asks it per
 * target: 'proven' | 'refuted' | 'undecided', or 'n/a' when no fact covers the target.
 */
import { type FactReport, type SymbolicFact, proveFact } from '../fact.js';
import type { SymbolicStatus } from '../equivalence.js';
import type { ProveOptions } from '../obligation.js';
import { sigmoidPrime, tanhPrime } from './activations.js';
import { logisticDW, logisticDb, logisticDx } from './logistic-layer.js';
import { mlp2DW1, mlp2DW2, mlp2Db1, mlp2Db2 } from './mlp2-mse.js';
import { rnnCriticalW, rnnRatio } from './rnn.js';
import { softmaxCeDz } from './softmax-ce.js';

/** Every fact, lemmas first. */
export const symbolicFacts: readonly SymbolicFact[] = [
  sigmoidPrime,
  tanhPrime,
  softmaxCeDz,
  rnnRatio,
  rnnCriticalW,
  logisticDW,
  logisticDb,
  logisticDx,
  mlp2DW2,
  mlp2Db2,
  mlp2DW1,
  mlp2Db1,
];

/** Lemmas: facts that belong to no single problem module. */
export const symbolicLemmas: readonly SymbolicFact[] = symbolicFacts.filter((f) => f.problem === null);

export type TargetSymbolicStatus = SymbolicStatus | 'n/a';

export interface TargetSymbolicReport {
  readonly problem: string;
  readonly target: string;
  readonly status: TargetSymbolicStatus;
  /** null when no fact covers the target ('n/a'). */
  readonly report: FactReport | null;
}

export function symbolicFactFor(problem: string, target: string): SymbolicFact | undefined {
  return symbolicFacts.find((f) => f.problem === problem && f.target === target);
}

/** The symbolic leg's answer for one target of a problem module. */
export function proveTarget(problem: string, target: string, options: ProveOptions = {}): TargetSymbolicReport {
  const fact = symbolicFactFor(problem, target);
  if (!fact) return { problem, target, status: 'n/a', report: null };
  const report = proveFact(fact, options);
  return { problem, target, status: report.status, report };
}
