/**
 * What a batch grades and what each answer is worth: the problems' own points and settings, and the
 * assignment (src/question/assignment.ts) resolved against them. Plain Maps, so that it crosses into
 * grading workers as it is.
 */
import type { ProblemGrading, Problem } from '../problem/types.js';
import type { Assignment } from '../question/assignment.js';

/** Points of a target that says none (the issue: 1 each). */
export const DEFAULT_POINTS = 1;

export interface Scoring {
  /** An assignment lists what is graded: an answer to any other target is not part of it. */
  readonly assigned: boolean;
  /** Problem id → target → points: every target that is graded. */
  readonly points: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Problem id → grading settings: the problem's own, overridden by the assignment's. */
  readonly grading: ReadonlyMap<string, ProblemGrading>;
}

/** The scoring of a batch over `problems`: every target at its own points, or the assignment's. */
export function scoringFor(problems: readonly Problem[], assignment?: Assignment): Scoring {
  const grading = new Map<string, ProblemGrading>();
  for (const p of problems) if (p.grading) grading.set(p.id, p.grading);
  for (const [id, settings] of assignment?.grading ?? []) grading.set(id, { ...grading.get(id), ...settings });
  const points = assignment ? assignment.targets : new Map(problems.map((p) => [p.id, new Map(p.targets.map((t) => [t.name, t.points ?? DEFAULT_POINTS]))]));
  return { assigned: assignment !== undefined, points, grading };
}

/** Points of a target (DEFAULT_POINTS for one the scoring does not know: an unknown name, graded invalid). */
export function pointsOf(scoring: Scoring | undefined, problem: string, target: string): number {
  return scoring?.points.get(problem)?.get(target) ?? DEFAULT_POINTS;
}

/** Whether an answer to the target is graded: always without an assignment, else when it is assigned. */
export function isAssigned(scoring: Scoring | undefined, problem: string, target: string): boolean {
  return !scoring?.assigned || scoring.points.get(problem)?.has(target) === true;
}

/** Every assigned target with its points, in the assignment's order (none without an assignment). */
export function assignedTargets(scoring: Scoring | undefined): { problem: string; target: string; points: number }[] {
  if (!scoring?.assigned) return [];
  return [...scoring.points].flatMap(([problem, targets]) => [...targets].map(([target, points]) => ({ problem, target, points })));
}
