/**
 * PrairieLearn external-grader results (/grade/results/results.json): { gradable, score (0..1),
 * message, tests: [ { name, points, max_points, message } ] }. A file that cannot be read is not
 * gradable, so PrairieLearn does not count it as an attempt.
 */
import { findingText } from '../../problem/finding.js';
import type { SubmissionResult } from '../types.js';
import { unassignedText } from './unassigned.js';

export function prairieLearnResults(s: SubmissionResult) {
  if (s.status === 'invalid') {
    const e = s.error!;
    return { gradable: false, score: 0, message: `The submission file could not be read${e.line > 0 ? ` (line ${e.line}, column ${e.column})` : ''}: ${e.reason}.`, tests: [] };
  }
  return {
    gradable: true,
    score: s.maxScore > 0 ? s.score / s.maxScore : 0,
    message: `${s.score}/${s.maxScore} points${unassignedText(s)}`,
    tests: s.answers.map((a) => ({
      name: `${a.problem}/${a.target}`,
      points: a.score,
      max_points: a.maxScore,
      message: findingText(a.finding),
      ...(a.finding.readAs !== undefined ? { output: `read as: ${a.finding.readAs}` } : {}),
    })),
  };
}
