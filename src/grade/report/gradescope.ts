/**
 * Gradescope autograder results (results.json, one per submission), with only the fields of
 * Gradescope's specification (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
 *
 *   { score, execution_time, output, output_format, visibility, stdout_visibility, extra_data,
 *     tests: [ { name, number, score, max_score, status, output, tags, visibility } ] }
 *
 * One test per target answered, numbered `i.j` in question order; a repeated answer is a line in the
 * first one's output. An answer that needs review is a failed test whose output says so; the counts
 * are in `extra_data`. The recipe for run_autograder is in docs/grading.md.
 */
import { answerCounts, answerFeedback, fileProblemText, passes, platformTests, reviewSentence, studentName, unassignedLines, type PlatformContext } from './platform.js';
import { needsReview } from '../review.js';
import type { SubmissionResult } from '../types.js';

/** Tests and the summary are shown to the student at once: the verdicts are what they are graded on. */
const VISIBILITY = 'visible';

/**
 * Plain text: the output holds the student's own formulas, which must show as typed (Gradescope's
 * default for the top-level output, simple_format, would render them as HTML).
 */
const OUTPUT_FORMAT = 'text';

/** Seconds with two decimals, as Gradescope's own test runners report them. */
function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}

export function gradescopeResults(s: SubmissionResult, ctx: PlatformContext) {
  const student = studentName(s, ctx);
  const common = {
    execution_time: seconds(ctx.elapsedMs),
    output_format: OUTPUT_FORMAT,
    visibility: VISIBILITY,
    stdout_visibility: 'hidden',
  };
  const declared = ctx.identity ? { declared_id: s.id } : {};
  if (s.status === 'invalid') {
    return {
      score: 0,
      ...common,
      output: `${student}: your submission file could not be read (${fileProblemText(s)}). Fix it and submit again.`,
      extra_data: { seed: ctx.seed, runs: ctx.runs, invalid_file: true, ...declared },
      tests: [],
    };
  }
  const counts = answerCounts(s.answers);
  const summary = [
    `${student}: ${s.score}/${s.maxScore} points.`,
    `Answers: ${counts.correct} correct, ${counts.incorrect} incorrect, ${counts.invalid} invalid, ${counts.undecided + counts['non-differentiable']} undecided.`,
    ...(counts.needsReview > 0 ? [reviewSentence(counts.needsReview)] : []),
    ...unassignedLines(s),
    `Graded against finite differences with seed ${ctx.seed}, ${ctx.runs} samples per answer.`,
  ];
  return {
    score: s.score,
    ...common,
    output: summary.join('\n'),
    extra_data: {
      seed: ctx.seed,
      runs: ctx.runs,
      verdicts: { correct: counts.correct, incorrect: counts.incorrect, invalid: counts.invalid, undecided: counts.undecided, non_differentiable: counts['non-differentiable'] },
      needs_review: counts.needsReview,
      overridden: counts.overridden,
      ...declared,
    },
    tests: platformTests(s, ctx).map(({ answer: a, number, repeats }) => ({
      name: `${a.problem}/${a.target}`,
      number,
      score: a.score,
      max_score: a.maxScore,
      status: passes(a) ? 'passed' : 'failed',
      output: answerFeedback(a, repeats),
      tags: [a.finding.status, ...(a.finding.mistake ? [a.finding.mistake.label] : []), ...(a.accepted ? ['accepted-spelling'] : []), ...(needsReview(a) ? ['needs-review'] : []), ...(a.override ? ['overridden'] : [])],
      visibility: VISIBILITY,
    })),
  };
}
