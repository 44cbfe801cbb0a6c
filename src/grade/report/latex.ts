/**
 * The formula tree as LaTeX, for rendering answers written in formula syntax (the HTML report).
 * A display printer: it follows print.ts's precedence so that the rendering groups as the formula
 * reads, and spells operators as course notes do (Xᵀ, ⊙, \frac, Σ over an index).
 */
import { functionRow } from '../../formula/functions/table.js';
import { parseFormula } from '../../formula/parse.js';
import { ADDITIVE, ATOM, BINARY_LEVEL, RELATIONAL, UNARY, levelOf as formulaLevelOf } from '../../formula/precedence.js';
import type { BinaryOp, Expr, IndexEntry, Statement } from '../../formula/tree.js';

const OPERATOR: Partial<Record<BinaryOp, string>> = {
  '<': '<',
  '>': '>',
  '<=': '\\le',
  '>=': '\\ge',
  '==': '=',
  '!=': '\\ne',
  '+': '+',
  '-': '-',
  '*': '\\,',
  '.*': '\\odot',
  './': '\\oslash',
};

/** A function's first LaTeX spelling in the function table (\\tanh, \\sigma, \\log\\det), else its name set upright. */
function functionHead(fn: string): string {
  return functionRow(fn)?.latex[0] ?? `\\operatorname{${name(fn)}}`;
}

/** precedence.ts's levelOf, except that a fraction is its own group: \frac never needs parentheses as an operand. */
function levelOf(expr: Expr): number {
  return expr.kind === 'binary' && expr.op === '/' ? ATOM : formulaLevelOf(expr);
}

const wrap = (text: string, needed: boolean) => (needed ? `\\left(${text}\\right)` : text);

/** Names are set as written; multi-letter ones upright-free, underscores escaped. */
function name(text: string): string {
  return text.replace(/_/g, '\\_');
}

function isIndexName(e: Expr | undefined): boolean {
  return e?.kind === 'symbol';
}

/** sum(body, i, lo, hi) → Σ_{i=lo}^{hi} body; sum(body, i, j) → Σ_{i,j} body; sum(X, dim) → sum(X, dim). */
function sumLatex(args: readonly Expr[]): string | undefined {
  const [body, ...rest] = args;
  if (!body || rest.length === 0 || !isIndexName(rest[0])) return undefined;
  const operand = wrap(exprLatex(body), levelOf(body) <= ADDITIVE);
  if (rest.length === 3 && !isIndexName(rest[1])) {
    return `\\sum_{${exprLatex(rest[0]!)}=${exprLatex(rest[1]!)}}^{${exprLatex(rest[2]!)}} ${operand}`;
  }
  if (rest.every(isIndexName)) return `\\sum_{${rest.map(exprLatex).join(',')}} ${operand}`;
  return undefined;
}

function callLatex(fn: string, args: readonly Expr[]): string {
  if (fn === 'sum') {
    const sigma = sumLatex(args);
    if (sigma) return sigma;
  }
  if (fn === 'sqrt' && args.length === 1) return `\\sqrt{${exprLatex(args[0]!)}}`;
  if (fn === 'abs' && args.length === 1) return `\\left|${exprLatex(args[0]!)}\\right|`;
  if (fn === 'delta' && args.length === 2) return `\\delta_{${exprLatex(args[0]!)}${exprLatex(args[1]!)}}`;
  const head = functionHead(fn);
  return `${head}\\left(${args.map(exprLatex).join(', ')}\\right)`;
}

function entryLatex(entry: IndexEntry): string {
  if (entry.kind === 'colon') return ':';
  if (entry.kind === 'range') return `${exprLatex(entry.start)}:${exprLatex(entry.end)}`;
  return exprLatex(entry);
}

export function exprLatex(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return String(expr.value);
    case 'string':
      return `\\text{'${expr.value}'}`;
    case 'symbol':
      return expr.name === 'pi' ? '\\pi' : name(expr.name);
    case 'negate':
      return `-${wrap(exprLatex(expr.arg), levelOf(expr.arg) <= UNARY)}`;
    case 'transpose':
      return `{${wrap(exprLatex(expr.arg), levelOf(expr.arg) < ATOM)}}^{\\top}`;
    case 'binary': {
      if (expr.op === '/') return `\\frac{${exprLatex(expr.left)}}{${exprLatex(expr.right)}}`;
      const level = BINARY_LEVEL[expr.op];
      const l = levelOf(expr.left);
      const r = levelOf(expr.right);
      if (expr.op === '^' || expr.op === '.^') {
        const base = wrap(exprLatex(expr.left), l < ATOM);
        return `{${base}}^{${expr.op === '.^' ? '\\circ ' : ''}${exprLatex(expr.right)}}`;
      }
      const left = wrap(exprLatex(expr.left), l < level);
      const right = wrap(exprLatex(expr.right), r < level || (r === level && (expr.op === '-' || level === RELATIONAL)) || r === UNARY);
      return `${left} ${OPERATOR[expr.op]} ${right}`;
    }
    case 'call':
      return callLatex(expr.fn, expr.args);
    case 'index':
      return `${name(expr.name)}_{${expr.entries.map(entryLatex).join(',')}}`;
    case 'slice':
      return `{${wrap(exprLatex(expr.object), levelOf(expr.object) < ATOM)}}_{${expr.entries.map(entryLatex).join(',')}}`;
    case 'list':
      return `\\left[${expr.items.map(exprLatex).join(', ')}\\right]`;
    case 'matrix':
      return `\\begin{bmatrix} ${expr.rows.map((row) => row.items.map(exprLatex).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
  }
}

export function statementLatex(statement: Statement): string {
  if (statement.kind === 'expression') return exprLatex(statement.expr);
  const lhs = statement.indices === null ? name(statement.target) : `${name(statement.target)}_{${statement.indices.map((e) => (e.kind === 'colon' ? ':' : e.name)).join(',')}}`;
  return `${lhs} = ${exprLatex(statement.value)}`;
}

/** LaTeX of a formula-syntax text (the canonical `readAs` of an answer); undefined when it does not parse. */
export function formulaLatex(text: string): string | undefined {
  try {
    return statementLatex(parseFormula(text).statement);
  } catch {
    return undefined;
  }
}
