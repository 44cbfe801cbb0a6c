import type { CostRule } from './row.js';

/**
 * Cost rules of the function table's rows: the work of one call from its sizes (row.ts's CallWork). The
 * weights are in "operations", the cost of one entry of an elementwise add (src/formula/rates.ts gives
 * the rate, bench/cost-model.ts measures it and the weights below).
 */

/** Entries of a shape. */
export function entries(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Operations one entry of a transcendental function (exp, log, tanh, sigmoid, erf) counts for: 5-15 ns
 * an entry in bench/cost-model.ts, against 1.3-2 ns for an add.
 */
export const TRANSCENDENTAL = 8;

/** Operations of a power `x ^ y` per entry (Math.pow: about 40 ns); a square is an add's cost (V8 multiplies). */
export const POWER = 16;

/** `weight` operations per result entry: elementwise functions (1 for cheap ones, TRANSCENDENTAL for exp), constructions, copies. */
export function perResultEntry(weight: number): CostRule {
  return ({ result }) => ({ operations: weight * entries(result) });
}

/** One operation per result entry: cheap elementwise functions, constructions, reshapes and copies. */
export const resultSize: CostRule = perResultEntry(1);

/** `weight` operations per entry of the operands: reductions (a sum adds each entry once; softmax takes an exp and two passes). */
export function perOperandEntry(weight: number): CostRule {
  return ({ operands }) => ({ operations: weight * operands.reduce((total, shape) => total + entries(shape), 0) });
}

/** One operation per operand entry: sums, means, products, extremes, the Frobenius norm. */
export const operandSize: CostRule = perOperandEntry(1);

/** The side n of an n×n first operand (1 for a number). */
function side(shapes: Parameters<CostRule>[0]): number {
  return shapes.operands[0]?.[0] ?? 1;
}

/*
 * The factorisations run in plain JS loops (src/tensor/linalg.ts), not in the SIMD kernels: a
 * multiply-add of their inner loops counts as one operation (about 1.1 ns in bench/cost-model.ts).
 */

/** LU with partial pivoting (det, logdet): n³/3 multiply-adds. */
export const luFactor: CostRule = (shapes) => {
  const n = side(shapes);
  return { operations: (n * n * n) / 3 };
};

/**
 * The inverse (inv) and solve(A, B): LU (n³/3), the inverse from it (n³, which solve computes too, to
 * refuse a numerically singular A) and a condition estimate, and B's substitution (n² per column of B);
 * bench/cost-model.ts measured 1.7 n³ for inv and 3 n³ for an n×n B.
 */
export const inverse: CostRule = (shapes) => {
  const n = side(shapes);
  const columns = shapes.operands[1] ? entries(shapes.operands[1]) / Math.max(n, 1) : 0;
  return { operations: 2 * n * n * n + n * n * columns };
};

/** Cholesky: n³/6 multiply-adds. */
export const choleskyFactor: CostRule = (shapes) => {
  const n = side(shapes);
  return { operations: (n * n * n) / 6 };
};

/**
 * The spectral norm of an m×n matrix by one-sided Jacobi: each sweep rotates min(m,n)²/2 column pairs,
 * each pair three dot products and a rotation over max(m,n) entries; bench/cost-model.ts measured about
 * 12 min(m,n)²·max(m,n) for random draws (the kernel stops at 60 sweeps).
 */
export const jacobiSweeps: CostRule = ({ operands }) => {
  const shape = operands[0] ?? [];
  const rows = shape[0] ?? 1;
  const cols = shape.length > 1 ? shape[1]! : 1;
  const small = Math.min(rows, cols);
  return { operations: 16 * small * small * Math.max(rows, cols) };
};

/** conv2 and corr2: every result entry reads the whole kernel, one multiply-add in a JS loop per tap. */
export const resultTimesKernel: CostRule = ({ operands, result }) => ({ operations: entries(result) * entries(operands[1] ?? []) });
