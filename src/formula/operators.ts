import { type Operand, type Tensor, add, div, eq, ge, gt, le, lt, mul, ne, pow, sub } from '../tensor/index.js';
import type { BinaryOp } from './tree.js';

/**
 * The binary operators, in one table for both compilers: the function on numbers (the tensor evaluator
 * applies it when both operands are numbers), the same as JS source (generated loops), the tensor-core
 * kernel (broadcasting; `*` of two tensors is the matrix product, which evaluate.ts calls itself), and
 * whether the operator is a step (comparisons: 0/1 masks with a jump where a = b, which kink detection
 * must know). The number and source forms match the kernels element for element
 * (test/formula/generated-code.test.ts holds them to it).
 */

export interface Operator {
  readonly apply: (a: number, b: number) => number;
  readonly code: (a: string, b: string) => string;
  readonly tensor: (a: Operand, b: Operand) => Tensor;
  readonly piecewise: boolean;
}

const arithmetic = (apply: Operator['apply'], code: Operator['code'], tensor: Operator['tensor']): Operator => ({ apply, code, tensor, piecewise: false });
const comparison = (apply: Operator['apply'], code: Operator['code'], tensor: Operator['tensor']): Operator => ({ apply, code, tensor, piecewise: true });

export const OPERATORS: Readonly<Record<BinaryOp, Operator>> = {
  '+': arithmetic((a, b) => a + b, (a, b) => `(${a} + ${b})`, add),
  '-': arithmetic((a, b) => a - b, (a, b) => `(${a} - ${b})`, sub),
  '*': arithmetic((a, b) => a * b, (a, b) => `(${a} * ${b})`, mul),
  '.*': arithmetic((a, b) => a * b, (a, b) => `(${a} * ${b})`, mul),
  '/': arithmetic((a, b) => a / b, (a, b) => `(${a} / ${b})`, div),
  './': arithmetic((a, b) => a / b, (a, b) => `(${a} / ${b})`, div),
  '^': arithmetic((a, b) => a ** b, (a, b) => `(${a} ** ${b})`, pow),
  '.^': arithmetic((a, b) => a ** b, (a, b) => `(${a} ** ${b})`, pow),
  '<': comparison((a, b) => (a < b ? 1 : 0), (a, b) => `(${a} < ${b} ? 1 : 0)`, lt),
  '>': comparison((a, b) => (a > b ? 1 : 0), (a, b) => `(${a} > ${b} ? 1 : 0)`, gt),
  '<=': comparison((a, b) => (a <= b ? 1 : 0), (a, b) => `(${a} <= ${b} ? 1 : 0)`, le),
  '>=': comparison((a, b) => (a >= b ? 1 : 0), (a, b) => `(${a} >= ${b} ? 1 : 0)`, ge),
  '==': comparison((a, b) => (a === b ? 1 : 0), (a, b) => `(${a} === ${b} ? 1 : 0)`, eq),
  '!=': comparison((a, b) => (a !== b ? 1 : 0), (a, b) => `(${a} !== ${b} ? 1 : 0)`, ne),
};
