import type { SubmissionResult } from '../types.js';

/** The answers outside the assignment, as lines after a summary ('' when there are none): they were not graded. */
export function unassignedText(s: SubmissionResult): string {
  return (s.unassigned ?? []).map((u) => `\nNot graded: ${u.problem}/${u.target}${u.line > 0 ? ` (line ${u.line})` : ''} is ${u.note}.`).join('');
}
