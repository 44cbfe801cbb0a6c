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
  ['FunctionNode', 'a call of a function listed in FUNCTIONS'],
  ['AccessorNode', 'indexing a named tensor: A[i, j], A[n, f, :, :]'],
  ['IndexNode', 'the brackets of an index'],
  ['RangeNode', 'a `:` or `lo:hi` inside an index'],
  ['ArrayNode', 'a size list reshape(X, [m, n]) or the [] of max(X, [], dim)'],
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

/** Quoted modes accepted as the last argument of conv2/corr2 and norm. */
export const MODE_STRINGS: ReadonlySet<string> = new Set(['full', 'valid', 'same', 'fro']);

export interface FunctionSpec {
  /** Fewest and most arguments. */
  readonly arity: readonly [number, number];
  /** How it is called, as shown in errors and docs (dims are 1-based, MATLAB-style). */
  readonly usage: string;
}

const MANY = 16;

/** Every callable function. `transpose(X)` is read as X' by the parser and so never reaches the checker. */
export const FUNCTIONS = {
  exp: { arity: [1, 1], usage: 'exp(X)' },
  log: { arity: [1, 1], usage: 'log(X)' },
  sqrt: { arity: [1, 1], usage: 'sqrt(X)' },
  abs: { arity: [1, 1], usage: 'abs(X)' },
  tanh: { arity: [1, 1], usage: 'tanh(X)' },
  sigmoid: { arity: [1, 1], usage: 'sigmoid(X)' },
  relu: { arity: [1, 1], usage: 'relu(X)' },
  ceil: { arity: [1, 1], usage: 'ceil(x)' },
  floor: { arity: [1, 1], usage: 'floor(x)' },
  delta: { arity: [2, 2], usage: 'delta(i, j)' },
  mod: { arity: [2, 2], usage: 'mod(a, b)' },
  max: { arity: [1, 3], usage: 'max(X) | max(A, B) | max(X, [], dim)' },
  min: { arity: [1, 3], usage: 'min(X) | min(A, B) | min(X, [], dim)' },
  sum: { arity: [1, MANY], usage: 'sum(X) | sum(X, dim) | sum(expr, i, j, ...) | sum(expr, i, lo, hi)' },
  mean: { arity: [1, 2], usage: 'mean(X) | mean(X, dim)' },
  prod: { arity: [1, 2], usage: 'prod(X) | prod(X, dim)' },
  norm: { arity: [1, 2], usage: "norm(X) | norm(X, 'fro') | norm(X, 2)" },
  softmax: { arity: [1, 2], usage: 'softmax(X, dim)' },
  logsumexp: { arity: [1, 2], usage: 'logsumexp(X) | logsumexp(X, dim)' },
  ones: { arity: [0, MANY], usage: 'ones(m, n, ...) | ones(n) (n×n)' },
  zeros: { arity: [0, MANY], usage: 'zeros(m, n, ...) | zeros(n) (n×n)' },
  eye: { arity: [1, 2], usage: 'eye(n) | eye(m, n)' },
  onehot: { arity: [2, 2], usage: 'onehot(c, K)' },
  diag: { arity: [1, 1], usage: 'diag(v) | diag(M)' },
  kron: { arity: [2, 2], usage: 'kron(A, B)' },
  reshape: { arity: [2, MANY], usage: 'reshape(X, m, n, ...) | reshape(X, [m, n, ...])' },
  transpose: { arity: [1, 1], usage: 'transpose(X)' },
  rot90: { arity: [1, 2], usage: 'rot90(X) | rot90(X, k)' },
  flip: { arity: [1, 2], usage: 'flip(X) | flip(X, dim)' },
  pad: { arity: [2, 2], usage: 'pad(X, p)' },
  conv2: { arity: [2, 3], usage: "conv2(A, B) | conv2(A, B, 'full' | 'valid' | 'same')" },
  corr2: { arity: [2, 3], usage: "corr2(A, B) | corr2(A, B, 'valid' | 'full' | 'same')" },
  avgpool2: { arity: [1, 1], usage: 'avgpool2(X)' },
  maxpool2: { arity: [1, 1], usage: 'maxpool2(X)' },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

const FUNCTION_TABLE: ReadonlyMap<string, FunctionSpec> = new Map(Object.entries(FUNCTIONS));

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTION_TABLE.get(name);
}

export function isFunctionName(name: string): name is FunctionName {
  return FUNCTION_TABLE.has(name);
}

export const FUNCTION_NAMES: readonly string[] = [...FUNCTION_TABLE.keys()];

/** Identifiers: ASCII letters, digits and underscores, not starting with a digit (mathjs allows more; we do not). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words mathjs reads as operators or literals, which therefore cannot name anything. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(['mod', 'to', 'in', 'and', 'or', 'xor', 'not', 'true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'end']);
