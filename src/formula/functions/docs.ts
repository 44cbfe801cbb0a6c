import { FAMILIES, type Family, type FunctionRow } from './row.js';
import { FUNCTION_ROWS } from './table.js';

/**
 * The function table of docs/formulas.md, rendered from the rows: `npm run docs:functions` writes it
 * between the markers, and test/formula/function-table.test.ts fails when the committed page and the
 * table disagree.
 */

export const DOCS_BEGIN = '<!-- function table: generated from src/formula/functions by `npm run docs:functions`; edit the rows, not this table -->';
export const DOCS_END = '<!-- end of function table -->';

const FAMILY_TITLES: Readonly<Record<Family, string>> = {
  elementwise: 'Elementwise (the same shape out as in)',
  integer: 'On numbers, typically indices',
  reduction: 'Reductions and softmax',
  construction: 'Construction',
  shape: 'Rearranging entries',
  convolution: 'Convolution and pooling (the last two axes; leading axes are a batch)',
  'linear algebra': 'Linear algebra (square matrices; a scalar counts as 1×1)',
};

/** A table cell: `|` escaped so that it does not end the cell. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

function rowLine(row: FunctionRow): string {
  const forms = row.usage.split(' | ').map((form) => `\`${form}\``);
  const aliases = row.aliases.length > 0 ? ` (also ${row.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
  const latex = row.latex.map((spelling) => `\`${spelling}\``).join(' ');
  const kinks = row.kind === 'computed' && row.smoothness !== 'smooth' ? 'yes' : '';
  return `| ${cell(forms.join(', '))}${aliases} | ${cell(row.doc)} | ${cell(latex)} | ${kinks} |`;
}

/** The markdown between the markers (markers included). */
export function functionTableMarkdown(rows: readonly FunctionRow[] = FUNCTION_ROWS): string {
  const sections = FAMILIES.flatMap((family) => {
    const members = rows.filter((row) => row.family === family);
    if (members.length === 0) return [];
    return [`#### ${FAMILY_TITLES[family]}`, '', '| function | meaning | LaTeX | kinks |', '|---|---|---|---|', ...members.map(rowLine), ''];
  });
  return [DOCS_BEGIN, '', ...sections, DOCS_END].join('\n');
}

/** `page` with its function table replaced by `table`; an error when the markers are missing. */
export function withFunctionTable(page: string, table: string = functionTableMarkdown()): string {
  const begin = page.indexOf(DOCS_BEGIN);
  const end = page.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error('the page has no function table markers');
  return page.slice(0, begin) + table + page.slice(end + DOCS_END.length);
}
