/**
 * Gradescope autograder results (results.json, one per submission): { score, max_score, output,
 * visibility, tests: [ { name, score, max_score, status, output, visibility } ] }. The recipe for
 * run_autograder is in docs/grading.md.
 */
import { findingText } from '../../problem/finding.js';
import type { SubmissionResult } from '../types.js';
import { unassignedText } from './unassigned.js';

/** Tests and the summary are shown to the student at once: the verdicts are what they are graded on. */
const VISIBILITY = 'visible';

export function gradescopeResults(s: SubmissionResult) {
  if (s.status === 'invalid') {
    const e = s.error!;
    return {
      score: 0,
      max_score: s.maxScore,
      visibility: VISIBILITY,
      output: `Your submission file could not be read${e.line > 0 ? ` (line ${e.line}, column ${e.column})` : ''}: ${e.reason}. Fix it and submit again.`,
      tests: [],
    };
  }
  return {
    score: s.score,
    max_score: s.maxScore,
    visibility: VISIBILITY,
    output: `${s.id}: ${s.score}/${s.maxScore}${unassignedText(s)}`,
    tests: s.answers.map((a) => ({
      name: `${a.problem}/${a.target}`,
      score: a.score,
      max_score: a.maxScore,
      status: a.finding.status === 'correct' ? 'passed' : 'failed',
      output: a.finding.readAs !== undefined ? `Your answer, read as: ${a.finding.readAs}\n${findingText(a.finding)}` : findingText(a.finding),
      visibility: VISIBILITY,
    })),
  };
}
