/**
 * The "also accept" seam: a spelling a grader ruled right once (a question target's `accept` list, see
 * docs/questions.md) counts for everyone who hands it in, on every regrade. An answer matches when its
 * text, keyed as the grader keys answer texts (answerKey), is one of the target's accepted spellings.
 */
import type { Finding } from '../problem/finding.js';
import type { Target } from '../problem/types.js';
import type { AnswerSpec } from './types.js';

/**
 * An answer text as the grader keys it (its verdict cache, the accept list): the syntax, and the text
 * with its ends trimmed and each run of spaces and tabs made one space. Neither changes how a formula
 * or LaTeX reads; line breaks may (a formula's statements), so they stay.
 */
export function answerKey(syntax: 'formula' | 'latex', text: string): string {
  return `${syntax}\u0000${text.trim().replace(/[ \t]+/g, ' ')}`;
}

/** Whether `spec` is one of the spellings `target` accepts. */
export function isAcceptedSpelling(target: Target, spec: AnswerSpec): boolean {
  const key = answerKey(spec.syntax, spec.text);
  return target.closedForms.some((cf) => cf.accepted === true && answerKey(cf.syntax ?? 'formula', cf.formula) === key);
}

/** The Finding of an answer that is an accepted spelling: correct, on the grader's ruling. */
export function acceptedFinding(spec: AnswerSpec): Finding {
  return {
    status: 'correct',
    message: `accepted spelling: a grader ruled this spelling of ${spec.problem}/${spec.target} right (the question's accept list), so it counts for everyone who writes it.`,
    review: false,
  };
}
