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
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isNode, isScalar, parseDocument } from 'yaml';
import { z } from 'zod';
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

/** Reads and validates one submission file; every failure is a reading with ok: false. */
export function readSubmission(file: string): SubmissionReading {
  const id = idFromFile(file);
  const fail = (reason: string, line = 0, column = 0): SubmissionReading => ({ ok: false, id, file, error: { reason, line, column } });
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_SUBMISSION_BYTES) return fail(`the file is ${size} bytes; a submission is at most ${MAX_SUBMISSION_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
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
    const hint = yamlError.code === 'BAD_DQ_ESCAPE' ? `; ${BACKSLASH_HINT}` : '';
    return { ok: false, id, file, error: { reason: `not valid YAML or JSON: ${yamlError.message.split('\n')[0]}${hint}`, line, column: col } };
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
  const escaped = escapedAnswer(doc, parsed.data.answers);
  if (escaped) {
    const { line, col } = at(escaped.offset);
    return { ok: false, id, file, error: { reason: `${escaped.field}: the text holds a control character (${escaped.what}): ${BACKSLASH_HINT}`, line, column: col } };
  }
  const answers = parsed.data.answers.map((a, i): AnswerSpec => {
    const line = at(positionOfPath(doc, ['answers', i])).line;
    return a.latex !== undefined
      ? { problem: a.problem, target: a.target, text: a.latex, syntax: 'latex', line }
      : { problem: a.problem, target: a.target, text: a.formula!, syntax: 'formula', line };
  });
  return { ok: true, submission: { id: parsed.data.id ?? id, file, answers } };
}

/**
 * In double quotes, YAML and JSON read a backslash as an escape: "\nabla" becomes a line break and
 * "abla", "\frac" a form feed and "rac", "\theta" a tab and "heta". A formula never holds such characters.
 */
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;
const BACKSLASH_HINT = "in double quotes a backslash starts an escape (\\n, \\t, \\f, \\b, \\r), so LaTeX loses its commands: write it in single quotes ('\\nabla_W L'), as a block scalar (latex: | on its own line, the LaTeX below), or with every backslash doubled";

const CONTROL_NAMES: Readonly<Record<string, string>> = { '\n': 'a line break: was it \\n…, as in \\nabla?', '\t': 'a tab: was it \\t…, as in \\top or \\theta?', '\f': 'a form feed: was it \\f…, as in \\frac?', '\b': 'a backspace: was it \\b…, as in \\beta or \\bm?', '\r': 'a carriage return: was it \\r…, as in \\right?', '\u0007': 'a bell: was it \\a…, as in \\alpha?', '\v': 'a vertical tab: was it \\v…, as in \\vec?', '\u001b': 'an escape: was it \\e…, as in \\exp?' };

/** The first answer text in double quotes that holds a control character: where it is and what it likely was. */
function escapedAnswer(doc: ReturnType<typeof parseDocument>, answers: readonly { formula?: string | undefined; latex?: string | undefined }[]): { field: string; offset: number; what: string } | undefined {
  for (let i = 0; i < answers.length; i++) {
    for (const key of ['latex', 'formula'] as const) {
      const value = answers[i]![key];
      const control = value === undefined ? null : CONTROL.exec(value);
      if (!control) continue;
      const node = doc.getIn(['answers', i, key], true);
      // A block scalar may hold line breaks of its own; a double-quoted one only gets them from escapes.
      if (isScalar(node) && node.type !== 'QUOTE_DOUBLE' && (control[0] === '\n' || control[0] === '\t')) continue;
      return { field: formatPath(['answers', i, key]), offset: positionOfPath(doc, ['answers', i, key]), what: CONTROL_NAMES[control[0]] ?? `U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}` };
    }
  }
  return undefined;
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
