/**
 * Which answers need a person, and what the reports say about them. An answer needs review when its
 * Finding says so (undecided, non-differentiable: no evidence either way, or notation the reader does
 * not map with confidence) and no grader has settled it yet through the overrides file.
 */
import type { AnswerResult } from './types.js';

export function needsReview(a: AnswerResult): boolean {
  return a.finding.review && a.override === undefined;
}

/** A repeat of an earlier answer to the same target: not graded, and no test or gradebook cell of its own. */
export function isRepeat(a: AnswerResult): boolean {
  return a.finding.reason === 'repeated';
}

/** The line every output puts on an answer that needs review. */
export const NEEDS_REVIEW_LINE = 'Needs manual review: derivcheck could not decide this answer, so a person will grade it; its score (0 for now) may change.';

/** The line every output puts on an answer a grader settled. */
export function overrideLine(a: AnswerResult): string | undefined {
  const o = a.override;
  return o ? `Score set by a grader: ${o.points}/${a.maxScore}${o.note ? ` (${o.note})` : ''}.` : undefined;
}
