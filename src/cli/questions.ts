/**
 * Question files on the command line: positional arguments that are paths rather than problem ids
 * (`derivcheck verify hw/q1.yaml dense-batch`), and --questions paths, loaded beside the built-in
 * problems with every error reported before any work starts.
 */
import { statSync } from 'node:fs';
import type { QuestionSource } from '../problem/compiled.js';
import type { Problem } from '../problem/types.js';
import { UsageError } from './exit.js';

/** Extensions that make an argument a question file rather than a problem id. */
const QUESTION_FILE = /\.(ya?ml|json)$/i;

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Splits arguments into built-in problem ids and question paths: a path ends in .yaml, .yml or .json,
 * holds a '/', or is a folder that is not also a problem's id.
 */
export function splitIdsAndPaths(args: readonly string[], builtIn: readonly Problem[]): { ids: string[]; paths: string[] } {
  const ids: string[] = [];
  const paths: string[] = [];
  const known = new Set(builtIn.map((p) => p.id));
  for (const arg of args) {
    if (QUESTION_FILE.test(arg) || arg.includes('/') || (!known.has(arg) && isFolder(arg))) paths.push(arg);
    else ids.push(arg);
  }
  return { ids, paths };
}

/** The built-in problems followed by the questions of `paths`, and how workers load the same questions. */
export async function withQuestions(builtIn: readonly Problem[], paths: readonly string[]): Promise<{ problems: readonly Problem[]; questions: readonly Problem[]; source: QuestionSource | undefined }> {
  if (paths.length === 0) return { problems: builtIn, questions: [], source: undefined };
  const [{ loadQuestionFiles }, { questionSource }] = await Promise.all([import('../question/load.js'), import('../question/question-loader.js')]);
  const loaded = loadQuestionFiles(paths, builtIn);
  if (loaded.length === 0) throw new UsageError('questions', `no .yaml, .yml or .json file in ${paths.join(' ')}`, 'question files or folders holding them', 'hw/questions/');
  // A built-in problem's own file (problems/dense-batch.yaml) is that problem: the workers have it already.
  const added = loaded.filter((q) => !q.builtIn);
  return {
    problems: [...builtIn, ...added.map((q) => q.problem)],
    questions: loaded.map((q) => q.problem),
    source: added.length > 0 ? questionSource(added.map((q) => q.file)) : undefined,
  };
}
