/**
 * Question files for worker threads: a worker imports this module (compiled) and loads the files
 * itself, as the main thread did, so that problems made of data cross no thread boundary.
 */
import path from 'node:path';
import { compiledWorkerFile, type QuestionSource } from '../problem/compiled.js';
import type { Problem } from '../problem/types.js';
import { loadQuestionFiles } from './load.js';

/** The problems of the question files among `paths` (ids checked against `builtIn`); throws QuestionLoadError. */
export function loadQuestionProblems(paths: readonly string[], builtIn: readonly Problem[] = []): Problem[] {
  return loadQuestionFiles(paths, builtIn)
    .filter((q) => !q.builtIn)
    .map((q) => q.problem);
}

/** How a worker loads these question files: this module, compiled, and the files by absolute path. */
export function questionSource(files: readonly string[]): QuestionSource {
  return { loader: compiledWorkerFile(import.meta.url, './question-loader.js').href, files: files.map((f) => path.resolve(f)) };
}
