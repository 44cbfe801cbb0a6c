import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { functionTableMarkdown, withFunctionTable } from '../../src/formula/functions/docs.js';
import { FUNCTION_NAMES, FUNCTION_ROWS, LATEX_SPELLINGS, functionRow, parseFormula } from '../../src/formula/index.js';

/** The function table is the one definition of every function: the docs, the reader and the LaTeX reader follow it. */
describe('the function table', () => {
  test("docs/formulas.md's function table is the one generated from the rows (run npm run docs:functions)", () => {
    const page = readFileSync(new URL('../../docs/formulas.md', import.meta.url), 'utf8');
    expect(withFunctionTable(page)).toBe(page);
  });

  test('the generated table lists every row', () => {
    const markdown = functionTableMarkdown();
    for (const row of FUNCTION_ROWS) expect(markdown).toContain(`\`${row.usage.split(' | ')[0]}\``);
  });

  test('names and aliases are unique, and each alias reads as its function', () => {
    expect(new Set(FUNCTION_NAMES).size).toBe(FUNCTION_NAMES.length);
    for (const row of FUNCTION_ROWS) {
      for (const alias of row.aliases) {
        expect(functionRow(alias)).toBe(row);
        const args = Array.from({ length: row.arity[0] }, () => 'x').join(', ');
        const parsed = parseFormula(`${alias}(${args})`);
        expect(parsed.readAs.startsWith(`${row.name}(`)).toBe(true);
      }
    }
  });

  test('rows are frozen', () => {
    expect(Object.isFrozen(FUNCTION_ROWS)).toBe(true);
    for (const row of FUNCTION_ROWS) expect(Object.isFrozen(row)).toBe(true);
  });

  test('LaTeX spellings are unique and tried longest first', () => {
    const keys = LATEX_SPELLINGS.map((s) => JSON.stringify(s.commands));
    expect(new Set(keys).size).toBe(keys.length);
    for (let k = 1; k < LATEX_SPELLINGS.length; k++) expect(LATEX_SPELLINGS[k - 1]!.commands.length).toBeGreaterThanOrEqual(LATEX_SPELLINGS[k]!.commands.length);
  });
});
