/**
 * Locating compiled code for worker threads. A worker runs plain JavaScript, so both its script and
 * the problem registry it loads come from dist/, also when the library itself is imported from its
 * TypeScript source (vitest). Shared by the verification pool (verify-all.ts) and the grader
 * (src/grade/batch.ts).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Problem } from './types.js';

/** A worker script that has not been compiled: the library runs from source and dist/ is missing or stale. */
export class WorkerNotBuiltError extends Error {
  override readonly name = 'WorkerNotBuiltError';
  constructor(
    readonly what: string,
    readonly file: string,
  ) {
    super(`the ${what} worker ${file} is missing: run \`npm run build\` first`);
  }
}

/** A module given as a problem registry that does not export `problems: Problem[]`. */
export class RegistryModuleError extends Error {
  override readonly name = 'RegistryModuleError';
  constructor(readonly href: string) {
    super(`${href} exports no 'problems' array: pass a compiled module that exports \`problems: readonly Problem[]\` (e.g. dist/problems/index.js)`);
  }
}

/**
 * The compiled worker script `file`, which sits beside the module at `callerUrl` (its import.meta.url):
 * the sibling itself when the caller runs from dist/, and the same path under dist/ when the caller is
 * a .ts source (…/src/problem/x.ts → …/dist/src/problem/file). The last `/src/` of the path is the
 * repository's.
 */
export function compiledWorkerFile(callerUrl: string, file: string): URL {
  const sibling = new URL(file, callerUrl);
  if (!callerUrl.endsWith('.ts')) return sibling;
  const at = sibling.pathname.lastIndexOf('/src/');
  sibling.pathname = `${sibling.pathname.slice(0, at)}/dist${sibling.pathname.slice(at)}`;
  return sibling;
}

/** Throws WorkerNotBuiltError unless the worker script exists. */
export function assertWorkerBuilt(script: URL, what: string): void {
  try {
    statSync(fileURLToPath(script));
  } catch {
    throw new WorkerNotBuiltError(what, fileURLToPath(script));
  }
}

/** A module path (relative to the working directory) or URL as the href `import()` takes in any thread. */
export function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return /^[a-z]+:/i.test(module) ? module : pathToFileURL(path.resolve(module)).href;
}

/**
 * Question files as a worker thread loads them: the compiled loader module (src/question/question-loader.ts,
 * which exports `loadQuestionProblems(files, builtIn)`) and the files. Question files are data, read
 * at run time: nothing is built for them.
 */
export interface QuestionSource {
  /** URL of the compiled loader module. */
  readonly loader: string;
  /** Absolute paths of the question files. */
  readonly files: readonly string[];
}

/** The problems of a compiled registry module (if any) followed by those of question files (if any). */
export async function importProblems(registry: string | undefined, questions: QuestionSource | undefined): Promise<readonly Problem[]> {
  const builtIn = registry === undefined ? [] : await importRegistry(registry);
  if (questions === undefined) return builtIn;
  const loader = (await import(questions.loader)) as { loadQuestionProblems?: (files: readonly string[], builtIn: readonly Problem[]) => Problem[] };
  if (typeof loader.loadQuestionProblems !== 'function') throw new RegistryModuleError(questions.loader);
  return [...builtIn, ...loader.loadQuestionProblems(questions.files, builtIn)];
}

/** The `problems` a compiled registry module exports. */
export async function importRegistry(href: string): Promise<readonly Problem[]> {
  const registry = (await import(href)) as { problems?: readonly Problem[] };
  if (!Array.isArray(registry.problems)) throw new RegistryModuleError(href);
  return registry.problems;
}
