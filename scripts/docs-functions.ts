/**
 * Writes the function table of docs/formulas.md from the function table (src/formula/functions):
 * `npm run docs:functions` after adding or changing a row. Run from the repository's root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withFunctionTable } from '../src/formula/functions/docs.js';

const PAGE = 'docs/formulas.md';
writeFileSync(PAGE, withFunctionTable(readFileSync(PAGE, 'utf8')));
process.stdout.write(`${PAGE}: function table written\n`);
