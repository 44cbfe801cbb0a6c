import { importRegistry } from '../problem/compiled.js';
import type { Problem } from '../problem/types.js';

/**
 * The built-in problem registry. The CLI runs as a bundle (scripts/build-cli.mjs) with the registry as
 * one of its entries, problems.js, beside its other files: `verify` and `grade` hand this URL to their
 * workers, and every thread imports the registry from it, so a thread holds one copy of the library.
 */
export const REGISTRY_URL = new URL('./problems.js', import.meta.url);

/** The built-in problems, in the order `derivcheck list` shows them. */
export function builtInProblems(): Promise<readonly Problem[]> {
  return importRegistry(REGISTRY_URL.href);
}
