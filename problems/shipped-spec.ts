/**
 * The shipped question files (problems/<id>.yaml) read into QuestionSpecs: from beside this module
 * when it runs from source, from the package's problems/ folder when it runs from dist/problems/ or
 * from the CLI's bundle in dist/cli/. The browser playground's build puts a twin in its place that
 * holds the specs, read at build time (web/build.js), so that the page carries neither the files nor
 * their YAML reader and schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readQuestionDocument } from '../src/question/document.js';
import type { QuestionSpec } from '../src/question/spec.js';

const here = new URL('.', import.meta.url);
// Compiled, this module is in dist/problems/ (tsc) or in a chunk of the CLI's bundle in dist/cli/.
const folder = here.pathname.endsWith('/dist/problems/') || here.pathname.endsWith('/dist/cli/') ? new URL('../../problems/', here) : here;

/** The path of problems/<id>.yaml (undefined where there are no files: the browser). */
export function shippedQuestionFile(id: string): string | undefined {
  return fileURLToPath(new URL(`${id}.yaml`, folder));
}

/** The spec of problems/<id>.yaml: a file of this package, not a user's, so read as it is. */
export function shippedQuestionSpec(id: string): QuestionSpec {
  return readQuestionDocument(readFileSync(shippedQuestionFile(id)!, 'utf8'), `problems/${id}.yaml`).spec;
}
