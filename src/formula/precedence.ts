import type { BinaryOp, Expr } from './tree.js';

/** Binding strength, loosest first, as mathjs parses: comparisons < + - < * / .* ./ < unary - < ^ .^ < ' < atoms. */
export const RELATIONAL = 1;
export const ADDITIVE = 2;
export const MULTIPLICATIVE = 3;
export const UNARY = 4;
export const POWER = 5;
export const POSTFIX = 6;
export const ATOM = 7;

export const BINARY_LEVEL: Record<BinaryOp, number> = {
  '<': RELATIONAL,
  '>': RELATIONAL,
  '<=': RELATIONAL,
  '>=': RELATIONAL,
  '==': RELATIONAL,
  '!=': RELATIONAL,
  '+': ADDITIVE,
  '-': ADDITIVE,
  '*': MULTIPLICATIVE,
  '/': MULTIPLICATIVE,
  '.*': MULTIPLICATIVE,
  './': MULTIPLICATIVE,
  '^': POWER,
  '.^': POWER,
};


/** How tightly `expr` binds as an operand, as mathjs parses it: print.ts parenthesises by it. */
export function levelOf(expr: Expr): number {
  switch (expr.kind) {
    case 'binary':
      return BINARY_LEVEL[expr.op];
    case 'negate':
      return UNARY;
    case 'transpose':
      return POSTFIX;
    default:
      return ATOM;
  }
}
