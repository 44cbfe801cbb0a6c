/**
 * A question file's text (YAML, or JSON, which YAML 1.2 reads too) compiled to a Problem: read and
 * validated by document.ts, then compiled. Every failure is a QuestionFileError that names the file,
 * the line and column, the field and what to write instead; a formula that does not parse or check is
 * pointed at character by character, with the formula's caret.
 */
import { type Document, type Node, isMap, isNode, isScalar } from 'yaml';
import type { Problem } from '../problem/types.js';
import { type CompileQuestionOptions, compileQuestion } from './compile.js';
import { readQuestionDocument } from './document.js';
import { QuestionFileError } from './errors.js';
import { type FieldPath, QuestionError, formatFieldPath } from './spec.js';
import { offsetOfPath } from '../io/yaml-document.js';

/** A question is a few kilobytes of formulas; 1 MiB is far beyond any honest one and bounds the parse. */
export const MAX_QUESTION_BYTES = 1024 * 1024;

/** A compiled question file, and where its id is written (for "defined twice" errors). */
export interface QuestionFile {
  readonly problem: Problem;
  readonly file: string;
  readonly idLine: number;
  readonly idColumn: number;
}

/** Validates and compiles the text of a question file (`file` names it in errors); throws QuestionFileError. */
export function parseQuestionFile(text: string, file: string, options: CompileQuestionOptions = {}): QuestionFile {
  const { spec, doc, positionOf, errorAt } = readQuestionDocument(text, file);
  try {
    const { line, column } = positionOf(offsetOfPath(doc, ['id']));
    return { problem: compileQuestion(spec, options), file, idLine: line, idColumn: column };
  } catch (err) {
    if (!(err instanceof QuestionError)) throw err;
    const node = valueNode(doc, err.path, err.formulaError !== undefined);
    let offset = node?.range?.[0] ?? offsetOfPath(doc, err.path);
    let detail = '';
    if (err.formulaError?.position && isScalar(node)) {
      offset = sourceOffset(text, node, String(node.value), err.formulaError.position.offset);
      detail = err.formulaError.describe().split('\n').slice(1).join('\n');
    }
    throw errorAt(offset, formatFieldPath(err.path), `${err.what}${err.hint ? `; ${err.hint}` : ''}`, detail);
  }
}

/** The error of a question whose id is a built-in problem's (the CLI's --questions and the playground refuse it alike). */
export function builtInIdError(q: QuestionFile): QuestionFileError {
  return new QuestionFileError(q.file, q.idLine, q.idColumn, 'id', `'${q.problem.id}' is also the id of a built-in problem; give the question an id of its own`);
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
