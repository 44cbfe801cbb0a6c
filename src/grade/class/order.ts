/**
 * Question order: the order in which every report lists a class's targets (gradebook columns, summary
 * rows, Gradescope's test numbers). The assignment's targets come first, in its order; a target it does
 * not list follows in the order answers first name it. Targets of one problem stay together, so that a
 * target is numbered `i.j`: the i-th problem, its j-th target.
 */
import type { AnswerResult, AssignedTarget } from '../types.js';

export interface OrderedTarget {
  readonly problem: string;
  readonly target: string;
  /** `i.j`, both 1-based: the problem's place, then the target's place within it. */
  readonly number: string;
}

/** The key of a (problem, target) pair in maps (no problem or target name holds a NUL). */
export function targetKey(t: { readonly problem: string; readonly target: string }): string {
  return `${t.problem}\u0000${t.target}`;
}

/** The targets of `assigned`, then those of `answered` not among them, grouped by problem and numbered. */
export function questionOrder(assigned: readonly AssignedTarget[], answered: Iterable<{ readonly problem: string; readonly target: string }>): OrderedTarget[] {
  const byProblem = new Map<string, string[]>();
  const add = (problem: string, target: string) => {
    const targets = byProblem.get(problem) ?? [];
    if (!targets.includes(target)) targets.push(target);
    byProblem.set(problem, targets);
  };
  for (const t of assigned) add(t.problem, t.target);
  for (const t of answered) add(t.problem, t.target);
  return [...byProblem].flatMap(([problem, targets], i) => targets.map((target, j) => ({ problem, target, number: `${i + 1}.${j + 1}` })));
}

/** `questionOrder` as a lookup from targetKey to the target's place (0-based) and number. */
export function questionIndex(order: readonly OrderedTarget[]): Map<string, { readonly rank: number; readonly number: string }> {
  return new Map(order.map((t, rank) => [targetKey(t), { rank, number: t.number }]));
}

/**
 * Whether an answer's problem and target are a real target of the class: not a name that does not exist
 * (unknown-target), not the remains of an entry that broke the file's format (malformed). Only such
 * answers add a target to the class's order; the others are still counted where their names lead.
 */
export function namesATarget(a: AnswerResult): boolean {
  return a.finding.reason !== 'unknown-target' && a.finding.reason !== 'malformed';
}
