import { FUNCTION_NAMES, functionRow } from './functions/table.js';
import type { BinaryOp } from './tree.js';

/**
 * THE allow-list of the formula language: every mathjs node type, operator, function and constant a
 * formula may contain is named here, and nothing else is accepted. The parser consults it before it builds
 * a tree node, the checker and compilers only ever see nodes it let through. User text is never evaluated:
 * mathjs is used for its parser alone.
 */

/** mathjs node types accepted by the reader, with the only contexts they may appear in. */
export const ALLOWED_NODE_TYPES: ReadonlyMap<string, string> = new Map([
  ['ConstantNode', 'a number, or a quoted mode such as \'full\''],
  ['SymbolNode', 'a declared name, dimension, index or pi'],
  ['OperatorNode', 'an operator listed in BINARY_OPERATORS, unary minus/plus or transpose'],
  ['ParenthesisNode', 'grouping'],
  ['FunctionNode', 'a call of a function of the function table (src/formula/functions)'],
  ['AccessorNode', 'indexing a named tensor or a value: A[i, j], A[n, f, :, :], (X * W)[:, 1:H]'],
  ['IndexNode', 'the brackets of an index'],
  ['RangeNode', 'a `:` or `lo:hi` inside an index'],
  ['ArrayNode', 'a concatenation [A, B] or [A; B], a size list reshape(X, [m, n]), or the [] of max(X, [], dim)'],
  ['AssignmentNode', 'the one top-level answer: dW = ..., dS[i, j] = ...'],
]);

/** Why each refused mathjs node type is refused, said so that a user knows what to write instead. */
export const REFUSED_NODE_TYPES: ReadonlyMap<string, string> = new Map([
  ['ObjectNode', 'object literals {...} are not allowed'],
  ['FunctionAssignmentNode', 'function definitions f(x) = ... are not allowed; write the expression itself'],
  ['BlockNode', 'a formula is one expression (or one assignment), not several statements'],
  ['ConditionalNode', 'the conditional a ? b : c is not allowed; use a comparison as a 0/1 mask: (X > 0) .* dY'],
  ['RelationalNode', 'chained comparisons a < b < c are not allowed; write (a < b) .* (b < c)'],
]);

/** mathjs binary operator token → the tree's operator. Comparisons give 0/1 values (masks). */
export const BINARY_OPERATORS: ReadonlyMap<string, BinaryOp> = new Map<string, BinaryOp>([
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['.*', '.*'],
  ['./', './'],
  ['^', '^'],
  ['.^', '.^'],
  ['<', '<'],
  ['>', '>'],
  ['<=', '<='],
  ['>=', '>='],
  ['==', '=='],
  ['!=', '!='],
]);

/** mathjs operators the language refuses, with what to write instead. */
export const REFUSED_OPERATORS: ReadonlyMap<string, string> = new Map([
  ['mod', 'write mod(a, b)'],
  ['!', 'factorial and logical not are not supported'],
  ['not', 'logical operators are not supported; use comparisons as 0/1 masks'],
  ['and', 'logical operators are not supported; multiply 0/1 masks: (a > 0) .* (b > 0)'],
  ['or', 'logical operators are not supported; use max of 0/1 masks'],
  ['xor', 'logical operators are not supported'],
  ['to', 'unit conversion is not supported'],
  ['in', 'unit conversion is not supported'],
]);

/** Reserved numeric constants (a declared name of the same spelling takes precedence). */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([['pi', Math.PI]]);

/** Quoted modes accepted as the last argument of conv2/corr2, norm and chol. */
export const MODE_STRINGS: ReadonlySet<string> = new Set(['full', 'valid', 'same', 'fro', 'lower', 'upper']);

/**
 * Every callable name (functions and their aliases): the function table's (src/formula/functions), so
 * that a function added there is allowed here.
 */
export { FUNCTION_NAMES };

export function isFunctionName(name: string): boolean {
  return functionRow(name) !== undefined;
}

/** Identifiers: ASCII letters, digits and underscores, not starting with a digit (mathjs allows more; we do not). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words mathjs reads as operators or literals, which therefore cannot name anything. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['mod', 'to', 'in', 'and', 'or', 'xor', 'not', 'true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'end']);
