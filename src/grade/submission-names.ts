/**
 * What a submission's parts are called before, or without, what its file says: kept apart from the
 * file reader (submission.ts, with the YAML parser and the schema) so that the batch runner, which
 * only hands files to its workers, does not load the reader.
 */
import path from 'node:path';

/** The default id: the file name without its extension. */
export function idFromFile(file: string): string {
  return path.basename(file).replace(/\.(ya?ml|json)$/i, '');
}

/** Stands for the problem or target of a malformed entry that does not name one. */
export const UNNAMED = '?';
