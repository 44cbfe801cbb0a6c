/**
 * What the grader hands to reporters: plain data only (numbers, strings, nested arrays), so that a
 * result crosses a worker_threads boundary unchanged and serialises to JSON as it is.
 */
import type { Finding } from '../problem/finding.js';

/** One answer as the submission file gives it. */
export interface AnswerSpec {
  readonly problem: string;
  readonly target: string;
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  /** 1-based line of the answer's entry in the file (0 when unknown). */
  readonly line: number;
  /** The entry breaks the submission format (a misspelled key, a null field): it is graded invalid with this reason and position. */
  readonly malformed?: FileProblem;
}

/**
 * An answer's grade: the answer as given, its Finding (src/problem/finding.ts: correct, incorrect,
 * invalid, undecided or non-differentiable, with the reason, the message the student reads, the
 * evidence and the mistake), and its score. Undecided and non-differentiable answers score 0 and are
 * flagged for a person (`finding.review`), never scored as wrong.
 */
export interface AnswerResult {
  readonly problem: string;
  readonly target: string;
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  readonly line: number;
  readonly finding: Finding;
  readonly score: number;
  readonly maxScore: number;
  /** With --partial, what an incorrect answer's credit was measured on: entries right at the first failing sample. */
  readonly partial?: PartialCredit;
  /** The text is a spelling its question accepts (an `accept` list): correct on a grader's ruling, not by finite differences. */
  readonly accepted?: boolean;
  /** A grader's decision from the overrides file (`grade --overrides`): `score` is its points, the Finding stays what was found. */
  readonly override?: AnswerOverride;
}

/** A grader's ruling on one answer: the points it is worth, why, and where the ruling was written. */
export interface AnswerOverride {
  readonly points: number;
  readonly note: string;
  /** The overrides file and the line of the entry: `overrides.yaml:12`. */
  readonly source: string;
}

export interface PartialCredit {
  readonly right: number;
  readonly entries: number;
  readonly dims: Readonly<Record<string, number>>;
}

/** Where a malformed file went wrong: a reason and a position, as an editor shows it. */
export interface FileProblem {
  readonly reason: string;
  /** 1-based; 0 when the problem is not at a place in the file (unreadable, too large). */
  readonly line: number;
  readonly column: number;
}

/** An answer to a target outside the assignment: not graded, worth nothing, listed so the student knows. */
export interface UnassignedAnswer {
  readonly problem: string;
  readonly target: string;
  readonly line: number;
  /** "not part of this assignment", and why when the name is unknown. */
  readonly note: string;
}

export interface SubmissionResult {
  readonly id: string;
  readonly file: string;
  /** graded: the file was read (its answers may still be invalid one by one); invalid: it could not be. */
  readonly status: 'graded' | 'invalid';
  readonly error?: FileProblem;
  readonly score: number;
  readonly maxScore: number;
  readonly answers: readonly AnswerResult[];
  /** With an assignment: the answers to targets it does not list (not graded). */
  readonly unassigned?: readonly UnassignedAnswer[];
}

/** How a reference closed form fared against FD in this run. */
export interface ReferenceStatus {
  readonly problem: string;
  readonly target: string;
  readonly formula: string;
  readonly status: 'confirmed' | 'failed';
  readonly message: string;
}

/** A target the assignment lists, with its points (src/grade/points.ts, assignedTargets). */
export interface AssignedTarget {
  readonly problem: string;
  readonly target: string;
  readonly points: number;
}

export interface GradeReport {
  readonly seed: number;
  readonly runs: number;
  readonly partial: boolean;
  /** The targets the assignment lists, in its order (empty without one): the gradebook's columns and the tests' order. */
  readonly assigned: readonly AssignedTarget[];
  readonly submissions: readonly SubmissionResult[];
  readonly references: readonly ReferenceStatus[];
  /**
   * Problems of the grader's own configuration found while grading (a --time-limit shorter than
   * grading the reference answer takes): reported apart from the verdicts, which they never touch.
   */
  readonly configurationErrors: readonly string[];
  readonly elapsedMs: number;
}
