import { CONCATENATION } from './concat.js';
import { CONSTRUCTION } from './construction.js';
import { CONVOLUTION } from './convolution.js';
import { ELEMENTWISE } from './elementwise.js';
import { INTEGER } from './integer.js';
import { LINEAR_ALGEBRA } from './linalg.js';
import { REDUCTIONS } from './reductions.js';
import type { FunctionRow } from './row.js';
import { SHAPE } from './shape.js';

/**
 * THE function table: every function of the formula language, one row each (row.ts says what a row
 * holds), assembled from the family files beside this one and frozen. A function added later is one
 * row in one family file; the allow-list, the checker, the compilers, the LaTeX reader and the docs all
 * read it from here.
 */

export const FUNCTION_ROWS: readonly FunctionRow[] = Object.freeze(
  [...ELEMENTWISE, ...INTEGER, ...REDUCTIONS, ...CONSTRUCTION, ...SHAPE, ...CONCATENATION, ...CONVOLUTION, ...LINEAR_ALGEBRA].map((row) => Object.freeze(row)),
);

/** Rows by name and by alias. */
const BY_NAME: ReadonlyMap<string, FunctionRow> = (() => {
  const map = new Map<string, FunctionRow>();
  for (const row of FUNCTION_ROWS) {
    for (const name of [row.name, ...row.aliases]) {
      if (map.has(name)) throw new Error(`internal: the function name ${name} is in the table twice`);
      map.set(name, row);
    }
  }
  return map;
})();

/** The row of a function name or alias. */
export function functionRow(name: string): FunctionRow | undefined {
  return BY_NAME.get(name);
}

/** Every callable name: names and aliases. */
export const FUNCTION_NAMES: readonly string[] = Object.freeze([...BY_NAME.keys()]);

/** One command of a LaTeX spelling: `\det`, or `\operatorname{tr}` (a command with one plain word). */
export interface LatexCommand {
  readonly name: string;
  readonly arg?: string;
}

/** A LaTeX spelling of a function's name: the commands in order, and the function they name. */
export interface LatexSpelling {
  readonly fn: string;
  readonly commands: readonly LatexCommand[];
}

const COMMAND = /\\([A-Za-z]+)(?:\{([A-Za-z_]+)\})?/y;

function parseSpelling(fn: string, spelling: string): LatexSpelling {
  const commands: LatexCommand[] = [];
  COMMAND.lastIndex = 0;
  while (COMMAND.lastIndex < spelling.length) {
    const at = COMMAND.lastIndex;
    const m = COMMAND.exec(spelling);
    if (!m) throw new Error(`internal: the LaTeX spelling ${spelling} of ${fn} is not a run of commands (at ${at})`);
    commands.push(m[2] === undefined ? { name: m[1]! } : { name: m[1]!, arg: m[2] });
  }
  return { fn, commands };
}

/** Every LaTeX spelling of every function, longest first (so that `\log\det` is tried before `\log`). */
export const LATEX_SPELLINGS: readonly LatexSpelling[] = Object.freeze(
  FUNCTION_ROWS.flatMap((row) => row.latex.map((spelling) => parseSpelling(row.name, spelling))).sort((a, b) => b.commands.length - a.commands.length),
);
