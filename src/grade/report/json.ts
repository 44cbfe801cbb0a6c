/**
 * The JSON report (`--format json`): { seed, runs, partial, submissions: [ { id, file, status, error?,
 * score, maxScore, answers: [ { problem, target, formula, syntax, line, score, maxScore, partial?,
 * the Finding's fields: verdict, reason?, message, review, readAs, samples?, mistake?, evidence?, and
 * needsReview, accepted?, override? } ], unassigned?: [ { problem, target, line, note } ] } ],
 * references, configurationErrors?, summary? } (docs/grading.md).
 */
import { findingJson } from '../../problem/finding.js';
import { classSummary } from '../class/summary.js';
import { needsReview } from '../review.js';
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
    needsReview: needsReview(a),
    ...(a.accepted ? { accepted: true } : {}),
    ...(a.override ? { override: a.override } : {}),
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

/** The JSON document; with `summary`, the class report (src/grade/class/summary.ts) under `summary`. */
export function gradeJson(report: GradeReport, options: { summary?: boolean } = {}) {
  return {
    seed: report.seed,
    runs: report.runs,
    partial: report.partial,
    submissions: report.submissions.map(submissionJson),
    references: report.references,
    ...(report.configurationErrors.length > 0 ? { configurationErrors: report.configurationErrors } : {}),
    ...(options.summary ? { summary: classSummary(report) } : {}),
  };
}

/** JSON text; non-finite numbers (a NaN an answer produced) become null, as JSON has no NaN. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
