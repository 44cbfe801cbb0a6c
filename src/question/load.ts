/**
 * Question files from paths (files, or folders searched for .yaml, .yml and .json), compiled, with
 * every error of every file reported at once and each id defined once, also against the built-in
 * problems: a grader learns of every broken file before anything is graded.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../problem/types.js';
import { QuestionFileError, QuestionLoadError } from './errors.js';
import { type QuestionFile, readQuestionFile } from './file.js';

/** Extensions a folder is searched for; a file named as a path is read whatever its name. */
const QUESTION_EXTENSIONS = /\.(ya?ml|json)$/i;

/** The question files among `paths`: files as given, folders searched recursively, in sorted order. */
export function questionFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, named: boolean): void => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(p).isDirectory();
    } catch (err) {
      throw new QuestionLoadError([new QuestionFileError(p, 0, 0, '', `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)]);
    }
    if (isDirectory) for (const entry of readdirSync(p).sort()) visit(path.join(p, entry), false);
    else if (named || QUESTION_EXTENSIONS.test(p)) files.push(p);
  };
  for (const p of paths) visit(p, true);
  return files;
}

/**
 * Compiles the question files among `paths`; throws QuestionLoadError with every file's error, or
 * for an id that two files (or a file and a built-in problem) define.
 */
export function loadQuestionFiles(paths: readonly string[], builtIn: readonly Problem[] = []): QuestionFile[] {
  const errors: QuestionFileError[] = [];
  const loaded: QuestionFile[] = [];
  for (const file of questionFiles(paths)) {
    try {
      loaded.push(readQuestionFile(file));
    } catch (err) {
      if (!(err instanceof QuestionFileError)) throw err;
      errors.push(err);
    }
  }
  const builtInIds = new Set(builtIn.map((p) => p.id));
  const first = new Map<string, QuestionFile>();
  for (const q of loaded) {
    const id = q.problem.id;
    const earlier = first.get(id);
    if (builtInIds.has(id)) errors.push(new QuestionFileError(q.file, q.idLine, q.idColumn, 'id', `'${id}' is also the id of a built-in problem; give the question an id of its own`));
    else if (earlier) errors.push(new QuestionFileError(q.file, q.idLine, q.idColumn, 'id', `'${id}' is defined twice, here and in ${earlier.file}:${earlier.idLine}; give each question an id of its own`));
    else first.set(id, q);
  }
  if (errors.length > 0) throw new QuestionLoadError(errors);
  return loaded;
}
