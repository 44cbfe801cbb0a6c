import { ATOM, BINARY_LEVEL, POSTFIX, POWER, RELATIONAL, UNARY, levelOf } from './precedence.js';
import type { Expr, IndexEntry, Statement } from './tree.js';

/**
 * The canonical printer: the "read as" echo of every parse. It writes explicit operators (`2 * x` for
 * `2x`), `X'` for every transpose spelling, and only the parentheses mathjs's precedence needs, so that
 * parsing the output gives back the same tree.
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
    case 'negate':
      // A negation inside a negation or a power base is parenthesised: -(-x), (-x) ^ 2.
      return `-${wrap(printExpr(expr.arg), levelOf(expr.arg) <= UNARY)}`;
    case 'transpose':
      return `${wrap(printExpr(expr.arg), levelOf(expr.arg) < POSTFIX)}'`;
    case 'binary': {
      const level = BINARY_LEVEL[expr.op];
      const rightAssociative = level === POWER;
      const l = levelOf(expr.left);
      const r = levelOf(expr.right);
      const leftNeedsParens = l < level || (l === level && (rightAssociative || level === RELATIONAL));
      // A negated right operand is parenthesised for readability: a - (-b), X * (-W).
      const rightNeedsParens = r < level || (r === level && !rightAssociative) || r === UNARY;
      return `${wrap(printExpr(expr.left), leftNeedsParens)} ${expr.op} ${wrap(printExpr(expr.right), rightNeedsParens)}`;
    }
    case 'call':
      return `${expr.fn}(${expr.args.map(printExpr).join(', ')})`;
    case 'index':
      return `${expr.name}[${expr.entries.map(printEntry).join(', ')}]`;
    case 'slice':
      return `${wrap(printExpr(expr.object), levelOf(expr.object) < ATOM || expr.object.kind === 'number')}[${expr.entries.map(printEntry).join(', ')}]`;
    case 'list':
      return `[${expr.items.map(printExpr).join(', ')}]`;
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
