import type { BinaryOp } from './tree.js';

/**
 * Scalar semantics, in one place for both compilers: the tensor evaluator applies these functions when
 * every operand is a number, and generated loops call the same functions (passed in, never written as
 * source) or the same JS operators. Each matches its tensor-core kernel element for element
 * (src/tensor/elementwise.ts, broadcast.ts); test/formula/scalar.test.ts holds them to it.
 */

export type ScalarFunction = (...args: number[]) => number;

/** 1 / (1 + e^−x), in the branch that cannot overflow (as tensor-core's sigmoid). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** MATLAB's mod: the result has the sign of the divisor, and mod(a, 0) = a. */
function mod(a: number, b: number): number {
  return b === 0 ? a : a - Math.floor(a / b) * b;
}

/** Scalar functions by formula name. */
export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['exp', Math.exp],
  ['log', Math.log],
  ['sqrt', Math.sqrt],
  ['abs', Math.abs],
  ['tanh', Math.tanh],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['sigmoid', sigmoid],
  ['relu', (x) => (x < 0 ? 0 : x)],
  ['delta', (a, b) => (a === b ? 1 : 0)],
  ['mod', mod],
  ['max', (a, b) => Math.max(a!, b!)],
  ['min', (a, b) => Math.min(a!, b!)],
]);

/** Binary operators on numbers, as functions (tensor evaluator) and as JS source (generated loops). */
export const SCALAR_OPERATORS: Readonly<Record<BinaryOp, { readonly apply: (a: number, b: number) => number; readonly code: (a: string, b: string) => string }>> = {
  '+': { apply: (a, b) => a + b, code: (a, b) => `(${a} + ${b})` },
  '-': { apply: (a, b) => a - b, code: (a, b) => `(${a} - ${b})` },
  '*': { apply: (a, b) => a * b, code: (a, b) => `(${a} * ${b})` },
  '.*': { apply: (a, b) => a * b, code: (a, b) => `(${a} * ${b})` },
  '/': { apply: (a, b) => a / b, code: (a, b) => `(${a} / ${b})` },
  './': { apply: (a, b) => a / b, code: (a, b) => `(${a} / ${b})` },
  '^': { apply: (a, b) => a ** b, code: (a, b) => `(${a} ** ${b})` },
  '.^': { apply: (a, b) => a ** b, code: (a, b) => `(${a} ** ${b})` },
  '<': { apply: (a, b) => (a < b ? 1 : 0), code: (a, b) => `(${a} < ${b} ? 1 : 0)` },
  '>': { apply: (a, b) => (a > b ? 1 : 0), code: (a, b) => `(${a} > ${b} ? 1 : 0)` },
  '<=': { apply: (a, b) => (a <= b ? 1 : 0), code: (a, b) => `(${a} <= ${b} ? 1 : 0)` },
  '>=': { apply: (a, b) => (a >= b ? 1 : 0), code: (a, b) => `(${a} >= ${b} ? 1 : 0)` },
  '==': { apply: (a, b) => (a === b ? 1 : 0), code: (a, b) => `(${a} === ${b} ? 1 : 0)` },
  '!=': { apply: (a, b) => (a !== b ? 1 : 0), code: (a, b) => `(${a} !== ${b} ? 1 : 0)` },
};
