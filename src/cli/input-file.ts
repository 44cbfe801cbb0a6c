import { FileReadError, readRegularFile } from '../io/read-file.js';
import type { ConcreteInput } from '../problem/evaluate.js';
import { UsageError } from './exit.js';

/** Input files are small JSON documents; a larger one is a mistake (or hostile). */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads `{ "dims"?: {...}, "inputs": {...} }`; structure is validated by evaluateProblem. */
export function readInputFile(path: string): ConcreteInput {
  let text: string;
  try {
    text = readRegularFile(path, MAX_INPUT_BYTES, 'an input file');
  } catch (err) {
    if (err instanceof FileReadError) throw new UsageError('--input', `${path}: ${err.reason}`, 'a readable JSON file', '--input example.json');
    throw err;
  }
  try {
    return JSON.parse(text) as ConcreteInput;
  } catch (err) {
    throw new UsageError('--input', `${path} is not valid JSON (${(err as Error).message})`, '{ "inputs": { "X": [[1, 2], [3, 4]], ... } }', '--input example.json');
  }
}
