/**
 * Reading a question file (YAML, or JSON, which YAML 1.2 reads too): parse with positions, validate
 * with the schema, compile to a Problem. Every failure is a QuestionFileError that names the file,
 * the line and column, the field and what to write instead; a formula that does not parse or check is
 * pointed at character by character, with the formula's caret.
 */
import { readFileSync, statSync } from 'node:fs';
import { type Document, LineCounter, type Node, isMap, isNode, isScalar, parseDocument } from 'yaml';
import type { Problem } from '../problem/types.js';
import { type CompileQuestionOptions, compileQuestion } from './compile.js';
import { questionSchema } from './schema.js';
import { QuestionFileError } from './errors.js';
import { type FieldPath, QuestionError, formatFieldPath } from './spec.js';
import { offsetOfPath, reportedIssue } from './yaml-position.js';

/** A question is a few kilobytes of formulas; 1 MiB is far beyond any honest one and bounds the parse. */
export const MAX_QUESTION_BYTES = 1024 * 1024;

/** YAML aliases expand into copies; 100 is the yaml package's own default and stops "billion laughs" files. */
const MAX_ALIAS_COUNT = 100;

/** A compiled question file, and where its id is written (for "defined twice" errors). */
export interface QuestionFile {
  readonly problem: Problem;
  readonly file: string;
  readonly idLine: number;
  readonly idColumn: number;
}

/** Reads and compiles one question file; throws QuestionFileError. */
export function readQuestionFile(file: string, options: CompileQuestionOptions = {}): QuestionFile {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_QUESTION_BYTES) throw new QuestionFileError(file, 0, 0, '', `the file is ${size} bytes; a question file is at most ${MAX_QUESTION_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof QuestionFileError) throw err;
    throw new QuestionFileError(file, 0, 0, '', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseQuestionFile(text, file, options);
}

/** Validates and compiles the text of a question file (`file` names it in errors). */
export function parseQuestionFile(text: string, file: string, options: CompileQuestionOptions = {}): QuestionFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (offset: number, field: string, reason: string, detail = ''): QuestionFileError => {
    const { line, col } = lineCounter.linePos(offset);
    return new QuestionFileError(file, line, col, field, reason, detail);
  };
  const yamlError = doc.errors[0];
  if (yamlError) throw fail(yamlError.pos[0], '', `not valid YAML or JSON: ${yamlError.message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw fail(0, '', `cannot read the document: ${(err as Error).message}`);
  }
  const parsed = questionSchema.safeParse(data);
  if (!parsed.success) {
    const { path, message, offset } = reportedIssue(doc, parsed.error.issues);
    throw fail(offset, path.length > 0 ? formatFieldPath(path) : '', message);
  }
  try {
    const { line, col } = lineCounter.linePos(offsetOfPath(doc, ['id']));
    return { problem: compileQuestion(parsed.data, options), file, idLine: line, idColumn: col };
  } catch (err) {
    if (!(err instanceof QuestionError)) throw err;
    const node = valueNode(doc, err.path, err.formulaError !== undefined);
    let offset = node?.range?.[0] ?? offsetOfPath(doc, err.path);
    let detail = '';
    if (err.formulaError?.position && isScalar(node)) {
      offset = sourceOffset(text, node, String(node.value), err.formulaError.position.offset);
      detail = err.formulaError.describe().split('\n').slice(1).join('\n');
    }
    throw fail(offset, formatFieldPath(err.path), `${err.what}${err.hint ? `; ${err.hint}` : ''}`, detail);
  }
}

/** The node at `path`: for a formula error, the formula inside `{ formula: ... }` / `{ latex: ... }`. */
function valueNode(doc: Document, path: FieldPath, formula: boolean): Node | undefined {
  const node = doc.getIn(path as unknown[], true);
  if (!isNode(node)) return undefined;
  if (formula && isMap(node)) {
    const inner = node.get('formula', true) ?? node.get('latex', true);
    if (isNode(inner)) return inner;
  }
  return node;
}

/**
 * Where character `at` of a scalar's value sits in the file. The value is the source with quotes,
 * escapes and indentation taken out (and line breaks folded to spaces), so its characters appear in
 * the source in order: each is matched at or after the previous one. Exact for plain and quoted
 * one-line values, the common case; close for block scalars.
 */
function sourceOffset(source: string, node: Node, value: string, at: number): number {
  const [start, end] = node.range!;
  let i = start;
  for (let j = 0; j < at && j < value.length; j++) {
    const ch = value[j]!;
    let found = i;
    while (found < end && source[found] !== ch && !(ch === ' ' && source[found] === '\n')) found++;
    if (found >= end) return start;
    i = found + 1;
  }
  // The character itself: skip the quoting and layout between it and the previous one.
  const ch = value[at];
  if (ch === undefined) return i;
  while (i < end && source[i] !== ch) i++;
  return i < end ? i : start;
}
