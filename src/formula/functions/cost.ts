import { Dim, symbolicSize } from '../dims.js';
import type { CostRule } from './row.js';

/**
 * Static cost rules for rows: work as a dimension expression in the operands' and result's sizes. They
 * estimate; the run-time budget (runtime.ts's charge) is what enforces limits.
 */

/** One visit per result element: elementwise functions, constructions, reshapes. */
export const resultSize: CostRule = ({ result }) => symbolicSize(result);

/** One visit per operand element: reductions. */
export const operandSize: CostRule = ({ operands }) => operands.reduce((acc, s) => acc.add(symbolicSize(s)), Dim.constant(0));

/** n³ for an n×n first operand: LU and Cholesky factorisations, inverses, solves. */
export const cubic: CostRule = ({ operands }) => {
  const n = operands[0]?.[0] ?? Dim.constant(1);
  return n.mul(n).mul(n);
};

/** Result size times the second operand's: convolutions (every output entry reads the whole kernel). */
export const resultTimesKernel: CostRule = ({ operands, result }) => symbolicSize(result).mul(symbolicSize(operands[1] ?? []));
