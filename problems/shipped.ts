/**
 * The built-in problems that are question files (problems/<id>.yaml, shipped with the package). Each
 * is read and compiled when first used, so that a command that needs one problem (or none, beyond the
 * ids) does not pay for all of them.
 */
import type { Problem, Property } from '../src/problem/types.js';
import { compileQuestion } from '../src/question/compile.js';
import { shippedQuestionFile, shippedQuestionSpec } from './shipped-spec.js';

/** Every field of a Problem but its id and file; the check below fails to compile when the interface gains one. */
const FIELDS = ['title', 'statement', 'dims', 'inputs', 'intermediates', 'classAxis', 'forward', 'forwardCost', 'admissible', 'targets', 'properties', 'examples', 'notation', 'grading'] as const;
type Unlisted = Exclude<keyof Problem, 'id' | 'file' | (typeof FIELDS)[number]>;
const EVERY_FIELD_LISTED: Unlisted extends never ? true : Unlisted = true;

/** What a shipped question's module adds in code to its file: properties data cannot say. */
export interface QuestionCode {
  /** Properties of the compiled question (they may use its forward), after those of its examples. */
  readonly properties?: (question: Problem) => readonly Property[];
}

/**
 * The problem of problems/<id>.yaml, with what `code` adds, compiled on first access of any field but
 * the id and file. Its fields are own enumerable getters, so that `{ ...problem }` copies them as
 * values. The test suite verifies the shipped files in full, so their formulas are read when used
 * rather than checked at load.
 */
export function shippedQuestion(id: string, code: QuestionCode = {}): Problem {
  let problem: Problem | undefined;
  const load = (): Problem => {
    if (problem) return problem;
    const question = compileQuestion(shippedQuestionSpec(id), { checkFormulas: false });
    if (question.id !== id) throw new Error(`problems/${id}.yaml declares the id ${question.id}; a shipped question's file is named after its id`);
    problem = code.properties ? { ...question, properties: [...question.properties, ...code.properties(question)] } : question;
    return problem;
  };
  const file = shippedQuestionFile(id);
  return Object.defineProperties({ id, ...(file !== undefined ? { file } : {}) } as Problem, Object.fromEntries(FIELDS.map((field) => [field, { get: () => load()[field], enumerable: true }])));
}
