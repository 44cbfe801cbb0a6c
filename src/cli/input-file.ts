import { readFileSync } from 'node:fs';
import type { ConcreteInput } from '../problem/evaluate.js';
import { UsageError } from './exit.js';

/** Input files are small JSON documents; a larger one is a mistake (or hostile). */
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads `{ "dims"?: {...}, "inputs": {...} }`; structure is validated by evaluateProblem. */
export function readInputFile(path: string): ConcreteInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError('--input', `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 'a readable JSON file', '--input example.json');
  }
  if (text.length > MAX_INPUT_BYTES) throw new UsageError('--input', `${path} is larger than ${MAX_INPUT_BYTES} bytes`, 'a small JSON file', '--input example.json');
  try {
    return JSON.parse(text) as ConcreteInput;
  } catch (err) {
    throw new UsageError('--input', `${path} is not valid JSON (${(err as Error).message})`, '{ "inputs": { "X": [[1, 2], [3, 4]], ... } }', '--input example.json');
  }
}
