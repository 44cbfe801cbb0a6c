import { type Declarations, compileFormula, parseFormula } from '../src/formula/index.js';
import { REFERENCE_RATES } from '../src/formula/rates.js';
import { TRANSCENDENTAL } from '../src/formula/functions/cost.js';
import { Tensor } from '../src/tensor/index.js';
import { type Benchmark, formatTable, timeMedian } from './harness.js';

/**
 * The cost model's rates (src/formula/rates.ts) and how well its estimates track real evaluations.
 * Each rate is measured on a formula whose work is nearly all of one kind, as the cost model counts it:
 *   operations     a generated loop, sum(x[i] * y[i], i): 4 operations per iteration (the trip, two
 *                  reads, the product), on inputs that fit in cache;
 *   transcendental exp(X) against X + Y on cached inputs (the weight TRANSCENDENTAL);
 *   allocation     X + Y at 1e7 entries, less its operations at the measured rate (fresh pages);
 *   multiply-adds  X * Y at n = 512 (the SIMD matmul);
 *   calls          a chain of 64 additions of numbers (one node evaluation each).
 * Then every formula of a wider set is estimated at the rates in rates.ts and timed: the ratio
 * estimate / time says how far the estimate is from the run (above 1: the estimate errs towards
 * refusing). Inputs are the same sine wave as bench/tensor.ts's.
 */

const DECLARATIONS: Declarations = {
  dims: ['N', 'M', 'K'],
  symbols: [
    { name: 'X', shape: ['N', 'M'] },
    { name: 'Y', shape: ['N', 'M'] },
    { name: 'A', shape: ['N', 'N'] },
    { name: 'B', shape: ['N', 'N'] },
    { name: 'x', shape: ['N'] },
    { name: 'y', shape: ['N'] },
    { name: 'K3', shape: ['K', 'K'] },
    { name: 's', shape: [] },
  ],
};

function wave(shape: readonly number[], phase: number): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = Math.sin(0.37 * i + phase);
  return t;
}

/** The inputs a formula reads at N×M, K×K (A and B are N×N, A diagonally dominant for inv and solve). */
function inputs(names: readonly string[], N: number, M: number, K: number): Record<string, Tensor> {
  const make: Record<string, () => Tensor> = {
    X: () => wave([N, M], 0.1),
    Y: () => wave([N, M], 0.2),
    A: () => {
      const A = wave([N, N], 0.3);
      for (let i = 0; i < N; i++) A.data[i * N + i] = A.data[i * N + i]! + N;
      return A;
    },
    B: () => wave([N, N], 0.4),
    x: () => wave([N], 0.5),
    y: () => wave([N], 0.6),
    K3: () => wave([K, K], 0.7),
    s: () => Tensor.scalar(0.8),
  };
  return Object.fromEntries(names.map((name) => [name, make[name]!()]));
}

interface Measured {
  readonly formula: string;
  readonly sizes: string;
  readonly estimateMs: number;
  readonly measuredMs: number;
  readonly cost: ReturnType<ReturnType<typeof compileFormula>['price']>;
}

function measure(formula: string, N: number, M: number, K = 3): Measured {
  const compiled = compileFormula(parseFormula(formula, { declarations: DECLARATIONS }), DECLARATIONS, { limits: { maxSeconds: 60, maxIterations: 1e12, maxLiveBytes: 2 ** 32, timeLimitMs: 600_000 } });
  const dims = { N, M, K };
  const values = inputs(compiled.inputs, N, M, K);
  const cost = compiled.price(dims);
  const timing = timeMedian(() => compiled(values, dims), { samples: 5, minSampleMs: 200, warmupMs: 300 });
  return { formula, sizes: `N=${N} M=${M}`, estimateMs: cost.seconds * 1e3, measuredMs: timing.medianMs, cost };
}

/** The rates measured on the single-kind formulas. */
function rates(): Record<string, number> {
  const loop = measure('sum(x[i] * y[i], i)', 1e6, 1);
  const operationsPerSecond = loop.cost.operations / (loop.measuredMs / 1e3);
  const add = measure('X + Y', 100, 100);
  const exp = measure('exp(X)', 100, 100);
  const transcendental = exp.measuredMs / add.measuredMs;
  const big = measure('X + Y', 1000, 10_000);
  const allocatedPerSecond = big.cost.allocated / (big.measuredMs / 1e3 - big.cost.operations / operationsPerSecond);
  const matmul = measure('A * B', 512, 1);
  const multiplyAddsPerSecond = matmul.cost.multiplyAdds / (matmul.measuredMs / 1e3);
  const chain = measure(Array.from({ length: 64 }, () => 's').join(' + '), 1, 1);
  const secondsPerCall = chain.measuredMs / 1e3 / chain.cost.calls;
  return { operationsPerSecond, transcendental, allocatedPerSecond, multiplyAddsPerSecond, secondsPerCall };
}

/** Formulas of every kind the cost model prices, at sizes where they take from microseconds to a second. */
const CASES: readonly [string, number, number, number?][] = [
  ['X + Y', 100, 100],
  ['X + Y', 3000, 3000],
  ['X .* Y - 2 * X', 1000, 1000],
  ['exp(X) + log(abs(Y))', 1000, 1000],
  ['tanh(X) .* sigmoid(Y)', 300, 300],
  ['X .^ 3', 1000, 1000],
  ['sum(X, 2)', 1000, 1000],
  ['sum(sum(X))', 3000, 3000],
  ['softmax(X, 2)', 1000, 1000],
  ['logsumexp(X, 2)', 1000, 1000],
  ["X' * Y", 300, 300],
  ['A * B', 1000, 1],
  ['A * B', 64, 1],
  ['inv(A)', 300, 1],
  ['det(A)', 300, 1],
  ['solve(A, B)', 200, 1],
  ['norm(A)', 100, 1],
  ['conv2(X, K3)', 500, 500, 5],
  ['corr2(X, K3)', 500, 500, 9],
  ['maxpool2(X)', 1000, 1000],
  ['sum(x[i] * y[i], i)', 1e6, 1],
  ['sum(exp(x[i]) * y[i], i)', 1e6, 1],
  ['sum(sum(X[i, j] * Y[i, j], i), j)', 1000, 1000],
  ['sum(sum(x[i] * x[j], i), j)', 2000, 1],
  ['sum(sum(x[m], m, 1, j), j, 1, N)', 2000, 1],
  ['sum(X[i, :] .* Y[i, :], i)', 1000, 100],
  ['2*X + (2*X + (2*X + (2*X + 2*X)))', 1000, 1000],
  ['sum(x) + sum(y) + s', 10, 1],
  ['s * s + s / 2 - exp(s)', 1, 1],
];

export const costModelBenchmark: Benchmark = {
  name: 'cost-model',
  description: "the cost model's rates (src/formula/rates.ts) measured, and its estimates against timed evaluations",
  run() {
    const measuredRates = rates();
    console.log(
      formatTable(
        ['rate', 'measured', 'assumed (rates.ts)'],
        [
          ['operations / s', measuredRates.operationsPerSecond!.toExponential(2), REFERENCE_RATES.operationsPerSecond.toExponential(2)],
          ['exp ÷ add (TRANSCENDENTAL)', measuredRates.transcendental!.toFixed(1), String(TRANSCENDENTAL)],
          ['allocated entries / s', measuredRates.allocatedPerSecond!.toExponential(2), REFERENCE_RATES.allocatedPerSecond.toExponential(2)],
          ['SIMD multiply-adds / s', measuredRates.multiplyAddsPerSecond!.toExponential(2), REFERENCE_RATES.multiplyAddsPerSecond.toExponential(2)],
          ['s per node evaluation', measuredRates.secondsPerCall!.toExponential(2), REFERENCE_RATES.secondsPerCall.toExponential(2)],
        ],
      ),
    );
    const rows = CASES.map(([formula, N, M, K]) => measure(formula, N, M, K));
    console.log(
      formatTable(
        ['formula', 'sizes', 'estimate ms', 'measured ms', 'estimate / measured'],
        rows.map((r) => [r.formula.length > 40 ? `${r.formula.slice(0, 37)}...` : r.formula, r.sizes, r.estimateMs.toPrecision(3), r.measuredMs.toPrecision(3), (r.estimateMs / r.measuredMs).toFixed(2)]),
      ),
    );
    return { rates: measuredRates, assumed: { ...REFERENCE_RATES, transcendental: TRANSCENDENTAL }, cases: rows.map(({ cost, ...r }) => ({ ...r, seconds: cost.seconds, operations: cost.operations, multiplyAdds: cost.multiplyAdds, allocated: cost.allocated, calls: cost.calls, peakBytes: cost.peakBytes })) };
  },
};
