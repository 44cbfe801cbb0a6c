/**
 * The JSON report (`--format json`): { seed, runs, partial, submissions: [ { id, file, status, error?,
 * score, maxScore, answers: [ { problem, target, formula, syntax, line, score, maxScore, partial?,
 * and the Finding's fields: verdict, reason?, message, review, readAs, samples?, mistake?, evidence? } ],
 * unassigned?: [ { problem, target, line, note } ] } ],
 * references } (docs/grading.md).
 */
import { findingJson } from '../../problem/finding.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';

function answerJson(a: AnswerResult) {
  return {
    problem: a.problem,
    target: a.target,
    formula: a.text,
    syntax: a.syntax,
    line: a.line,
    score: a.score,
    maxScore: a.maxScore,
    ...(a.partial ? { partial: a.partial } : {}),
    ...findingJson(a.finding),
    readAs: a.finding.readAs ?? null,
  };
}

export function submissionJson(s: SubmissionResult) {
  return {
    id: s.id,
    file: s.file,
    status: s.status,
    ...(s.error ? { error: s.error } : {}),
    score: s.score,
    maxScore: s.maxScore,
    answers: s.answers.map(answerJson),
    ...(s.unassigned ? { unassigned: s.unassigned } : {}),
  };
}

export function gradeJson(report: GradeReport) {
  return {
    seed: report.seed,
    runs: report.runs,
    partial: report.partial,
    submissions: report.submissions.map(submissionJson),
    references: report.references,
  };
}

/** JSON text; non-finite numbers (a NaN an answer produced) become null, as JSON has no NaN. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
