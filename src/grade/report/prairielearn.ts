/**
 * PrairieLearn external-grader results (/grade/results/results.json), after PrairieLearn's
 * specification (https://prairielearn.readthedocs.io/en/latest/externalGrading/#grading-results):
 *
 *   { gradable, score (0..1), message, output, tests: [ { name, points, max_points, message, output } ],
 *     seed, runs }
 *
 * A file that cannot be read is `gradable: false` with the reason in `format_errors`, so PrairieLearn
 * does not count it as an attempt. `seed` and `runs` (extra fields, which the specification allows)
 * make a regrade reproducible: `derivcheck grade --seed SEED --runs RUNS`.
 */
import { answerCounts, answerFeedback, fileProblemText, platformTests, reviewSentence, unassignedLines, type PlatformContext } from './platform.js';
import { needsReview } from '../review.js';
import type { SubmissionResult } from '../types.js';

export function prairieLearnResults(s: SubmissionResult, ctx: PlatformContext) {
  const reproduce = { seed: ctx.seed, runs: ctx.runs };
  if (s.status === 'invalid') {
    const problem = fileProblemText(s);
    return { gradable: false, format_errors: [problem], message: `The submission file could not be read: ${problem}. Fix it and submit again; this attempt does not count.`, ...reproduce };
  }
  const tests = platformTests(s, ctx);
  const counts = answerCounts(s.answers);
  const message = [`${s.score}/${s.maxScore} points.`, ...(counts.needsReview > 0 ? [reviewSentence(counts.needsReview)] : []), ...unassignedLines(s)].join(' ');
  const output = tests.map(({ answer: a, number }) => `${number} ${a.problem}/${a.target}: ${a.score}/${a.maxScore} ${a.override ? 'set by a grader' : a.finding.status}${needsReview(a) ? ' (needs manual review)' : ''}`);
  return {
    gradable: true,
    score: s.maxScore > 0 ? s.score / s.maxScore : 0,
    message,
    output: [...output, `Graded against finite differences with seed ${ctx.seed}, ${ctx.runs} samples per answer.`].join('\n'),
    tests: tests.map(({ answer: a, repeats }) => ({
      name: `${a.problem}/${a.target}`,
      points: a.score,
      max_points: a.maxScore,
      message: answerFeedback(a, repeats),
    })),
    ...reproduce,
  };
}
