/**
 * Submission files: YAML or JSON (JSON is YAML 1.2, so one parser reads both and gives positions for
 * both), one student each:
 *
 *   id: alice                # optional; defaults to the file name
 *   answers:
 *     - problem: dense-batch
 *       target: dW
 *       formula: "X' * dY"   # or latex: "X^T \\frac{\\partial L}{\\partial Y}"
 *
 * Everything a file may hold is said once, in the zod schema below (the one allow-list). A file that
 * breaks it is reported with the reason and its line and column, and never throws.
 */
import path from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import type { AnswerSpec, FileProblem } from './types.js';

/** A submission is a few kilobytes of formulas; 1 MiB is far beyond any honest one and bounds the parse. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

/** Answers per file: an assignment has tens of targets; 500 leaves room and bounds the work of one file. */
export const MAX_ANSWERS = 500;

/** YAML aliases expand into copies; 100 is the yaml package's own default and stops "billion laughs" files. */
const MAX_ALIAS_COUNT = 100;

const answerSchema = z
  .strictObject({
    problem: z.string().min(1, 'the problem id is empty'),
    target: z.string().min(1, 'the target name is empty'),
    formula: z.string().optional(),
    latex: z.string().optional(),
  })
  .refine((a) => (a.formula === undefined) !== (a.latex === undefined), { message: 'give exactly one of formula or latex' });

const submissionSchema = z.object({
  // Student numbers are often written bare (id: 20231234): accept them as text.
  id: z.union([z.string().min(1, 'the id is empty').max(200, 'the id is longer than 200 characters'), z.number().transform(String)]).optional(),
  answers: z.array(answerSchema).min(1, 'the answers list is empty').max(MAX_ANSWERS, `more than ${MAX_ANSWERS} answers`),
});

export interface Submission {
  readonly id: string;
  readonly file: string;
  readonly answers: readonly AnswerSpec[];
}

export type SubmissionReading = { readonly ok: true; readonly submission: Submission } | { readonly ok: false; readonly id: string; readonly file: string; readonly error: FileProblem };

/** The default id: the file name without its extension. */
export function idFromFile(file: string): string {
  return path.basename(file).replace(/\.(ya?ml|json)$/i, '');
}

/** Reads and validates one submission file (a regular file, bounded); every failure is a reading with ok: false. */
export function readSubmission(file: string): SubmissionReading {
  const id = idFromFile(file);
  const fail = (reason: string, line = 0, column = 0): SubmissionReading => ({ ok: false, id, file, error: { reason, line, column } });
  let text: string;
  try {
    text = readRegularFile(file, MAX_SUBMISSION_BYTES, 'a submission');
  } catch (err) {
    if (err instanceof FileReadError) return fail(err.reason);
    throw err;
  }
  return parseSubmission(text, file);
}

/** Validates the text of a submission file (`file` names it in the result and gives the default id). */
export function parseSubmission(text: string, file: string): SubmissionReading {
  const id = idFromFile(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const { line, col } = at(yamlError.pos[0]);
    return { ok: false, id, file, error: { reason: `not valid YAML or JSON: ${yamlError.message.split('\n')[0]}`, line, column: col } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    return { ok: false, id, file, error: { reason: `cannot read the document: ${(err as Error).message}`, line: 1, column: 1 } };
  }
  const parsed = submissionSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = positionOfPath(doc, issue.path as readonly PropertyKey[]);
    const { line, col } = at(where);
    const field = issue.path.length > 0 ? `${formatPath(issue.path as readonly PropertyKey[])}: ` : '';
    return { ok: false, id, file, error: { reason: `${field}${describeIssue(issue)}`, line, column: col } };
  }
  const answers = parsed.data.answers.map((a, i): AnswerSpec => {
    const line = at(positionOfPath(doc, ['answers', i])).line;
    return a.latex !== undefined
      ? { problem: a.problem, target: a.target, text: a.latex, syntax: 'latex', line }
      : { problem: a.problem, target: a.target, text: a.formula!, syntax: 'formula', line };
  });
  return { ok: true, submission: { id: parsed.data.id ?? id, file, answers } };
}

/** Offset of the deepest node on `path` that exists (a missing key points at the map that lacks it). */
function positionOfPath(doc: ReturnType<typeof parseDocument>, keyPath: readonly PropertyKey[]): number {
  for (let n = keyPath.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keyPath.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function formatPath(keyPath: readonly PropertyKey[]): string {
  return keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** zod's messages, said in the file's terms. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `expected text or a number, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; an answer has problem, target and formula or latex`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
