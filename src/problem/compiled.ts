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

/** The `problems` a compiled registry module exports. */
export async function importRegistry(href: string): Promise<readonly Problem[]> {
  const registry = (await import(href)) as { problems?: readonly Problem[] };
  if (!Array.isArray(registry.problems)) throw new RegistryModuleError(href);
  return registry.problems;
}
