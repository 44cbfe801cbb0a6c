/**
 * Reports to share (`grade --anonymize`): every student id becomes a stable pseudonym, the same for the
 * same id and salt in every run and format, so that two anonymised reports of one class can still be
 * joined. The pseudonym is `anon-` and the first 12 hex digits of HMAC-SHA-256(salt, id).
 *
 * A hash hides an id only from someone who cannot guess it. Student ids are guessable (a student number,
 * an email address from a roster), and without a salt anyone can hash the candidates and match them;
 * with a secret salt (--anonymize-salt, kept by the course staff) nobody else can.
 */
import { createHmac } from 'node:crypto';
import type { GradeReport, SubmissionResult } from './types.js';

/** 48 bits: for a class of 10,000 the chance that two students share a pseudonym is about 2e-7. */
const PSEUDONYM_HEX_DIGITS = 12;

export function pseudonym(id: string, salt = ''): string {
  return `anon-${createHmac('sha256', salt).update(id, 'utf8').digest('hex').slice(0, PSEUDONYM_HEX_DIGITS)}`;
}

function anonymizeSubmission(s: SubmissionResult, salt: string): SubmissionResult {
  const id = pseudonym(s.id, salt);
  // The file's path names the student as often as the id does; a reason that quotes the path quotes the pseudonym.
  const file = `${pseudonym(s.file, salt)}${s.file.match(/\.(ya?ml|json)$/i)?.[0] ?? ''}`;
  const error = s.error ? { ...s.error, reason: s.error.reason.split(s.file).join(file) } : undefined;
  return { ...s, id, file, ...(error ? { error } : {}) };
}

/**
 * The report with every id and file path replaced by its pseudonym, submissions in pseudonym order (the
 * files' order is often alphabetical by name, and would give the names away).
 */
export function anonymizeReport(report: GradeReport, salt = ''): GradeReport {
  const submissions = report.submissions.map((s) => anonymizeSubmission(s, salt)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...report, submissions };
}
