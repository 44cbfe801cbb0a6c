import { ATOM, BINARY_LEVEL, POSTFIX, POWER, RELATIONAL, UNARY, levelOf } from './precedence.js';
import type { Expr, IndexEntry, Statement } from './tree.js';

/**
 * The canonical printer: the "read as" echo of every parse. It writes explicit operators (`2 * x` for
 * `2x`), `X'` for every transpose spelling, and only the parentheses mathjs's precedence needs, so that
 * parsing the output gives back the same tree. Only those: a parenthesis added for looks (`a - (-b)`)
 * nests, and a hundred leading minus signs printed as -(-(-(...))) went past the reader's nesting
 * bound, so that the reading no longer parsed. Negations are written `a - -b`, `- -x`, `X ^ -Y`.
 */

function wrap(text: string, needed: boolean): string {
  return needed ? `(${text})` : text;
}

function printNumber(value: number): string {
  return String(value);
}

function printString(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'number':
      return printNumber(expr.value);
    case 'string':
      return printString(expr.value);
    case 'symbol':
      return expr.name;
    case 'negate': {
      // mathjs reads -a * b as (-a) * b, and -a ^ b as -(a ^ b): only looser operands need parentheses.
      const arg = wrap(printExpr(expr.arg), levelOf(expr.arg) < UNARY);
      // A space keeps two minus signs two tokens that read as one: - -x.
      return arg.startsWith('-') ? `- ${arg}` : `-${arg}`;
    }
    case 'transpose':
      return `${wrap(printExpr(expr.arg), levelOf(expr.arg) < POSTFIX)}'`;
    case 'binary': {
      const level = BINARY_LEVEL[expr.op];
      const rightAssociative = level === POWER;
      const l = levelOf(expr.left);
      const r = levelOf(expr.right);
      const leftNeedsParens = l < level || (l === level && (rightAssociative || level === RELATIONAL));
      // mathjs reads a right operand that starts with a sign as a whole (a ^ -b ^ c is a ^ (-(b ^ c))),
      // so a negation never needs parentheses there; a negated power base does: (-x) ^ 2.
      const rightNeedsParens = expr.right.kind !== 'negate' && (r < level || (r === level && !rightAssociative));
      return `${wrap(printExpr(expr.left), leftNeedsParens)} ${expr.op} ${wrap(printExpr(expr.right), rightNeedsParens)}`;
    }
    case 'call':
      return `${expr.fn}(${expr.args.map(printExpr).join(', ')})`;
    case 'index':
      return `${expr.name}[${expr.entries.map(printEntry).join(', ')}]`;
    case 'slice':
      return `${wrap(printExpr(expr.object), levelOf(expr.object) < ATOM || expr.object.kind === 'number')}[${expr.entries.map(printEntry).join(', ')}]`;
    case 'list':
      // A list directly inside a list would read as a matrix literal, which the reader refuses.
      return `[${expr.items.map((item) => wrap(printExpr(item), item.kind === 'list')).join(', ')}]`;
    case 'matrix':
      return `[${expr.rows.map((row) => row.items.map(printExpr).join(', ')).join('; ')}]`;
  }
}

function printEntry(entry: IndexEntry): string {
  switch (entry.kind) {
    case 'colon':
      return ':';
    case 'range':
      return `${wrap(printExpr(entry.start), levelOf(entry.start) === RELATIONAL)}:${wrap(printExpr(entry.end), levelOf(entry.end) === RELATIONAL)}`;
    default:
      return printExpr(entry);
  }
}

export function printStatement(statement: Statement): string {
  if (statement.kind === 'expression') return printExpr(statement.expr);
  const lhs = statement.indices === null ? statement.target : `${statement.target}[${statement.indices.map((e) => (e.kind === 'colon' ? ':' : e.name)).join(', ')}]`;
  return `${lhs} = ${printExpr(statement.value)}`;
}
