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
import { isScalar } from 'yaml';
import { z } from 'zod';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import { type YamlDocument, describeIssue, formatPath, leadingIssue, offsetOfPath, parseYaml } from '../io/yaml-document.js';
import { UNNAMED, idFromFile } from './submission-names.js';
import type { AnswerSpec, FileProblem } from './types.js';

/** A submission is a few kilobytes of formulas; 1 MiB is far beyond any honest one and bounds the parse. */
export const MAX_SUBMISSION_BYTES = 1024 * 1024;

/** Answers per file: an assignment has tens of targets; 500 leaves room and bounds the work of one file. */
export const MAX_ANSWERS = 500;

/** What an answer may hold, for the message about a field it may not. */
const ANSWER_FIELDS = 'an answer has problem, target and formula or latex';

const answerSchema = z
  .strictObject({
    problem: z.string().min(1, 'the problem id is empty'),
    target: z.string().min(1, 'the target name is empty'),
    formula: z.string().optional(),
    latex: z.string().optional(),
  })
  .refine((a) => (a.formula === undefined) !== (a.latex === undefined), { message: 'give exactly one of formula or latex' });

/**
 * The file's frame. Answers are checked one by one (answerSchema): an entry that breaks the format (a
 * misspelled key, a null latex) is one invalid answer, and the file's other answers are graded.
 */
const submissionSchema = z.object({
  // Student numbers are often written bare (id: 20231234): accept them as text.
  id: z.union([z.string().min(1, 'the id is empty').max(200, 'the id is longer than 200 characters'), z.number().transform(String)]).optional(),
  answers: z.array(z.unknown()).min(1, 'the answers list is empty').max(MAX_ANSWERS, `more than ${MAX_ANSWERS} answers`),
});

export interface Submission {
  readonly id: string;
  readonly file: string;
  readonly answers: readonly AnswerSpec[];
}

export type SubmissionReading = { readonly ok: true; readonly submission: Submission } | { readonly ok: false; readonly id: string; readonly file: string; readonly error: FileProblem };

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
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    const hint = parsed.code === 'BAD_DQ_ESCAPE' ? `; ${BACKSLASH_HINT}` : '';
    return { ok: false, id, file, error: { reason: `${parsed.reason}${hint}`, ...parsed.position } };
  }
  const { doc, at } = parsed;
  const checked = submissionSchema.safeParse(parsed.data, { reportInput: true });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return { ok: false, id, file, error: { reason: describeIssue(issue, ANSWER_FIELDS), ...at(offsetOfPath(doc, issue.path as readonly PropertyKey[])) } };
  }
  const answers = checked.data.answers.map((entry, i): AnswerSpec => {
    const { line } = at(offsetOfPath(doc, ['answers', i]));
    const answer = answerSchema.safeParse(entry, { reportInput: true });
    if (answer.success) {
      const a = answer.data;
      const escaped = escapedText(doc, i, a);
      if (escaped) return malformedAnswer(entry, line, { reason: `${escaped.field}: the text holds a control character (${escaped.what}): ${BACKSLASH_HINT}`, ...at(escaped.offset) });
      return a.latex !== undefined
        ? { problem: a.problem, target: a.target, text: a.latex, syntax: 'latex', line }
        : { problem: a.problem, target: a.target, text: a.formula!, syntax: 'formula', line };
    }
    const issue = leadingIssue(answer.error.issues);
    const keyPath = ['answers', i, ...(issue.path as readonly PropertyKey[])];
    return malformedAnswer(entry, line, { reason: describeIssue(issue, ANSWER_FIELDS, keyPath), ...at(offsetOfPath(doc, keyPath)) });
  });
  return { ok: true, submission: { id: checked.data.id ?? id, file, answers } };
}

/** An entry that breaks the format, with what can be read of it (its problem, target and text when they are text). */
function malformedAnswer(entry: unknown, line: number, problem: FileProblem): AnswerSpec {
  const field = (key: string): string | undefined => {
    if (typeof entry !== 'object' || entry === null || !Object.hasOwn(entry, key)) return undefined;
    const value = (entry as Record<string, unknown>)[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const latex = field('latex');
  return { problem: field('problem') ?? UNNAMED, target: field('target') ?? UNNAMED, text: latex ?? field('formula') ?? '', syntax: latex !== undefined ? 'latex' : 'formula', line, malformed: problem };
}

/**
 * In double quotes, YAML and JSON read a backslash as an escape: "\nabla" becomes a line break and
 * "abla", "\frac" a form feed and "rac", "\theta" a tab and "heta". A formula never holds such characters.
 */
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;
const BACKSLASH_HINT = "in double quotes a backslash starts an escape (\\n, \\t, \\f, \\b, \\r), so LaTeX loses its commands: write it in single quotes ('\\nabla_W L'), as a block scalar (latex: | on its own line, the LaTeX below), or with every backslash doubled";

const CONTROL_NAMES: Readonly<Record<string, string>> = { '\n': 'a line break: was it \\n…, as in \\nabla?', '\t': 'a tab: was it \\t…, as in \\top or \\theta?', '\f': 'a form feed: was it \\f…, as in \\frac?', '\b': 'a backspace: was it \\b…, as in \\beta or \\bm?', '\r': 'a carriage return: was it \\r…, as in \\right?', '\u0007': 'a bell: was it \\a…, as in \\alpha?', '\v': 'a vertical tab: was it \\v…, as in \\vec?', '\u001b': 'an escape: was it \\e…, as in \\exp?' };

/** The answer's text when it holds a control character (a double-quoted escape): where it is and what it likely was. */
function escapedText(doc: YamlDocument, i: number, answer: { readonly formula?: string | undefined; readonly latex?: string | undefined }): { field: string; offset: number; what: string } | undefined {
  for (const key of ['latex', 'formula'] as const) {
    const value = answer[key];
    const control = value === undefined ? null : CONTROL.exec(value);
    if (!control) continue;
    const node = doc.getIn(['answers', i, key], true);
    // A block scalar may hold line breaks of its own; a double-quoted one only gets them from escapes.
    if (isScalar(node) && node.type !== 'QUOTE_DOUBLE' && (control[0] === '\n' || control[0] === '\t')) continue;
    return { field: formatPath(['answers', i, key]), offset: offsetOfPath(doc, ['answers', i, key]), what: CONTROL_NAMES[control[0]] ?? `U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}` };
  }
  return undefined;
}
