/**
 * Question files dropped on the page: read (the browser's part of what src/io/read-file.ts does for the
 * CLI: a size cap before reading, UTF-8 text only) and compiled by the library's own parseQuestionFile,
 * the function `derivcheck grade --questions` compiles them with. The compiled questions join the
 * built-in problems, each id once: a question dropped again (edited, say) replaces the one of its id.
 */
import { problems as builtInProblems } from '../../problems/index.js';
import { type ProblemSummary, problemSummary } from '../../src/problem/summary.js';
import type { Problem } from '../../src/problem/types.js';
import { QuestionFileError } from '../../src/question/errors.js';
import { MAX_QUESTION_BYTES, builtInIdError, parseQuestionFile } from '../../src/question/file.js';

/** A question file as the page hands it over: a dropped or chosen file, or text (pasted, or a file read before). */
export interface QuestionSource {
  readonly name: string;
  readonly content: Blob | string;
}

/** A question file that compiled: its text (so that a fresh worker can compile it again), its problem, and its LaTeX aliases. */
export interface LoadedQuestion {
  readonly file: string;
  readonly text: string;
  readonly summary: ProblemSummary;
  /** The question's `notation.aliases`: LaTeX spellings an answer may use, and the names they stand for. */
  readonly aliases: readonly (readonly [string, string])[];
}

/** A question file that cannot be used, as QuestionFileError says it (plain data: it crosses postMessage). */
export interface QuestionFileProblem {
  readonly file: string;
  /** 1-based; 0 when the error is about the file as a whole (too large, not text). */
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly reason: string;
  /** A formula's line with a caret under the fault, when a formula is at fault. */
  readonly detail: string;
  /** The message without the detail: `file:line:column: field: reason`, as the CLI prints it. */
  readonly message: string;
}

export interface QuestionsLoaded {
  readonly loaded: readonly LoadedQuestion[];
  readonly errors: readonly QuestionFileProblem[];
}

function problemOf(err: QuestionFileError): QuestionFileProblem {
  const { file, line, column, field, reason, detail } = err;
  return { file, line, column, field, reason, detail, message: detail === '' ? err.message : err.message.slice(0, -(detail.length + 1)) };
}

/** Line and column (1-based) of character `offset` of `text`. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Binary data is not a question file: it would reach the YAML reader as noise and be quoted back at length. */
function checkIsText(name: string, text: string, undecodable: boolean): void {
  const at = undecodable ? text.indexOf('\uFFFD') : text.indexOf('\u0000');
  if (!undecodable && at < 0) return;
  const { line, column } = at >= 0 ? positionIn(text, at) : { line: 0, column: 0 };
  throw new QuestionFileError(name, line, column, '', `the file holds ${undecodable ? 'bytes that are not UTF-8 text' : 'a NUL byte'}: it is not a question file (YAML or JSON text)`);
}

function tooLarge(name: string, bytes: number): QuestionFileError {
  return new QuestionFileError(name, 0, 0, '', `the file is ${bytes} bytes; a question file is at most ${MAX_QUESTION_BYTES} bytes`);
}

/** Bytes as UTF-8 text, and whether some of them are not UTF-8 (they read as U+FFFD). */
function decode(bytes: ArrayBuffer): { text: string; undecodable: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), undecodable: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), undecodable: true };
  }
}

/** The text of a source: at most MAX_QUESTION_BYTES (a file's size is looked at before it is read), UTF-8 text only; throws QuestionFileError. */
export async function questionText(source: QuestionSource): Promise<string> {
  const { name, content } = source;
  if (typeof content === 'string') {
    const bytes = new TextEncoder().encode(content).length;
    if (bytes > MAX_QUESTION_BYTES) throw tooLarge(name, bytes);
    checkIsText(name, content, false);
    return content;
  }
  if (content.size > MAX_QUESTION_BYTES) throw tooLarge(name, content.size);
  let bytes: ArrayBuffer;
  try {
    bytes = await content.arrayBuffer();
  } catch (err) {
    throw new QuestionFileError(name, 0, 0, '', `cannot read the file (${(err as Error).message})`);
  }
  // A file that grew between the size check and the read.
  if (bytes.byteLength > MAX_QUESTION_BYTES) throw tooLarge(name, bytes.byteLength);
  const { text, undecodable } = decode(bytes);
  checkIsText(name, text, undecodable);
  return text;
}

/** The questions dropped on the page so far, by id. */
export class DroppedQuestions {
  private readonly byId = new Map<string, Problem>();

  /** The built-in problems, then the dropped questions. */
  problems(): Problem[] {
    return [...builtInProblems, ...this.byId.values()];
  }

  /** The dropped questions (whose own points and grading settings `grade --questions` uses). */
  questions(): Problem[] {
    return [...this.byId.values()];
  }

  /**
   * Reads and compiles `sources`; each one that compiles joins the questions, in place of an earlier
   * one of its id (a file dropped again after an edit). As `grade --questions`, a question may not
   * take a built-in problem's id.
   */
  async add(sources: readonly QuestionSource[]): Promise<QuestionsLoaded> {
    const builtInIds = new Set(builtInProblems.map((p) => p.id));
    const loaded: LoadedQuestion[] = [];
    const errors: QuestionFileProblem[] = [];
    for (const source of sources) {
      try {
        const text = await questionText(source);
        const file = parseQuestionFile(text, source.name);
        if (builtInIds.has(file.problem.id)) throw builtInIdError(file);
        this.byId.set(file.problem.id, file.problem);
        loaded.push({ file: file.file, text, summary: problemSummary(file.problem), aliases: [...(file.problem.notation?.aliases ?? [])] });
      } catch (err) {
        if (!(err instanceof QuestionFileError)) throw err;
        errors.push(problemOf(err));
      }
    }
    return { loaded, errors };
  }
}
