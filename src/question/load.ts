/**
 * Question files from paths (files, or folders searched for .yaml, .yml and .json), compiled, with
 * every error of every file reported at once and each id defined once, also against the built-in
 * problems: a grader learns of every broken file before anything is graded.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { MissingPathError, collectSubmissionFiles } from '../grade/collect-files.js';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import type { Problem } from '../problem/types.js';
import type { CompileQuestionOptions } from './compile.js';
import { QuestionFileError, QuestionLoadError } from './errors.js';
import { MAX_QUESTION_BYTES, type QuestionFile, builtInIdError, parseQuestionFile } from './file.js';

/** Reads and compiles one question file; throws QuestionFileError. */
export function readQuestionFile(file: string, options: CompileQuestionOptions = {}): QuestionFile {
  let text: string;
  try {
    text = readRegularFile(file, MAX_QUESTION_BYTES, 'a question file');
  } catch (err) {
    if (err instanceof FileReadError) throw new QuestionFileError(file, 0, 0, '', err.reason);
    throw err;
  }
  return parseQuestionFile(text, file, options);
}

/**
 * The question files among `paths`: files as given, folders searched recursively (sorted), by the
 * grader's folder walk (src/grade/collect-files.ts): a link loop or a folder that cannot be listed is
 * an error of its own instead of a hang. Links are followed: question folders are the grader's own.
 */
export function questionFiles(paths: readonly string[]): { files: string[]; errors: QuestionFileError[] } {
  let found;
  try {
    found = collectSubmissionFiles(paths, { followLinks: true });
  } catch (err) {
    if (err instanceof MissingPathError) throw new QuestionLoadError([new QuestionFileError(err.file, 0, 0, '', `cannot read it (${err.code})`)]);
    throw err;
  }
  const files = found.filter((f) => f.refused === undefined).map((f) => f.file);
  const errors = found.filter((f) => f.refused !== undefined).map((f) => new QuestionFileError(f.file, 0, 0, '', f.refused!));
  return { files, errors };
}

/** The real path of a file (links resolved), or the path itself when it cannot be resolved. */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** A question file among the paths: compiled from the file, or a built-in problem's own file. */
export interface LoadedQuestion extends QuestionFile {
  /** The file is the one a built-in problem is compiled from (problems/dense-batch.yaml): `problem` is that built-in. */
  readonly builtIn: boolean;
}

/**
 * Compiles the question files among `paths`; throws QuestionLoadError with every file's error, or
 * for an id that two files (or a file and a built-in problem) define. A file named twice is read once,
 * and a built-in problem's own file (problem.file) is that problem, not a second definition of its id.
 */
export function loadQuestionFiles(paths: readonly string[], builtIn: readonly Problem[] = []): LoadedQuestion[] {
  const { files, errors } = questionFiles(paths);
  const ownFiles = new Map(builtIn.flatMap((p) => (p.file !== undefined ? [[realPath(p.file), p] as const] : [])));
  const seen = new Set<string>();
  const loaded: LoadedQuestion[] = [];
  for (const file of files) {
    const real = realPath(file);
    if (seen.has(real)) continue;
    seen.add(real);
    const own = ownFiles.get(real);
    if (own) {
      loaded.push({ problem: own, file, idLine: 0, idColumn: 0, builtIn: true });
      continue;
    }
    try {
      loaded.push({ ...readQuestionFile(file), builtIn: false });
    } catch (err) {
      if (!(err instanceof QuestionFileError)) throw err;
      errors.push(err);
    }
  }
  const builtInIds = new Set(builtIn.map((p) => p.id));
  const first = new Map<string, QuestionFile>();
  for (const q of loaded.filter((l) => !l.builtIn)) {
    const id = q.problem.id;
    const earlier = first.get(id);
    if (builtInIds.has(id)) errors.push(builtInIdError(q));
    else if (earlier) errors.push(new QuestionFileError(q.file, q.idLine, q.idColumn, 'id', `'${id}' is defined twice, here and in ${earlier.file}:${earlier.idLine}; give each question an id of its own`));
    else first.set(id, q);
  }
  if (errors.length > 0) throw new QuestionLoadError(errors);
  return loaded;
}
