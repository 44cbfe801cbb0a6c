import { type Declarations, compileFormula, parseFormula } from '../src/formula/index.js';
import { Tensor, add, conv2, conv2d, div, exp, flip, kron, log, matmul, mul, ones, rot90, softmax, sub, sumAll } from '../src/tensor/index.js';
import { type Benchmark, formatTable, median } from './harness.js';

/**
 * The formula language's cost, from the issue's bars:
 * - index notation: the conv input gradient dX[n,c,i,j] = Σ_{f,m,t} K[f,c,m,t]·dY[n,f,i−m+1,j−t+1] at
 *   N8 C16 32×32 F16 K3 within 3× of the tensor-core kernel doing the same work (conv2d of dY with the
 *   flipped, channel-swapped K and padding kh − 1, im2col + gemm);
 * - whole-tensor formulas: < 10% over calling the same kernels directly.
 * Formula and direct samples alternate; ratios are medians of paired ratios (see pairedRatio).
 */

const CONV = { N: 8, C: 16, F: 16, H: 32, W: 32, kh: 3, kw: 3 } as const;
const INDEX_BAR_RATIO = 3;
const OVERHEAD_BAR = 0.1;
/** Paired samples per ratio, and the shortest sample: long enough that timer resolution is negligible. */
const PAIRED_SAMPLES = 25;
const MIN_SAMPLE_MS = 40;

/** Deterministic inputs: entry i is sin(0.37·i + phase), as bench/tensor.ts builds them. */
function wave(shape: readonly number[], phase: number): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = Math.sin(0.37 * i + phase);
  return t;
}

/**
 * time(a) / time(b) from interleaved samples, each long enough to be measured well: the median over
 * pairs of the ratio of a sample of a to the sample of b taken right after it, so that drifting load
 * from other processes affects both sides of each ratio alike. The sides' fastest samples are reported
 * too (garbage collection and load only ever add time).
 */
function pairedRatio(a: () => unknown, b: () => unknown): { ratio: number; fastestRatio: number; aMs: number; bMs: number } {
  const calls = (fn: () => unknown): number => {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < MIN_SAMPLE_MS / 4 || n < 1) {
      fn();
      n++;
    }
    return Math.max(1, Math.ceil((n * MIN_SAMPLE_MS) / Math.max(performance.now() - start, 1e-3)));
  };
  const na = calls(a);
  const nb = calls(b);
  const sample = (fn: () => unknown, n: number): number => {
    const start = performance.now();
    for (let k = 0; k < n; k++) fn();
    return (performance.now() - start) / n;
  };
  const as: number[] = [];
  const bs: number[] = [];
  for (let s = 0; s < PAIRED_SAMPLES; s++) {
    as.push(sample(a, na));
    bs.push(sample(b, nb));
  }
  const aMs = Math.min(...as);
  const bMs = Math.min(...bs);
  return { ratio: median(as.map((x, i) => x / bs[i]!)), fastestRatio: aMs / bMs, aMs: median(as), bMs: median(bs) };
}

const round = (x: number, digits = 4): number => Number(x.toPrecision(digits));

interface Case {
  readonly name: string;
  readonly formula: string;
  readonly declarations: Declarations;
  readonly dims: Record<string, number>;
  readonly values: Record<string, Tensor>;
  readonly targetShape?: (string | number)[];
  /** The same computation by direct tensor-core calls. */
  readonly direct: () => Tensor;
}

function convCases(): Case[] {
  const { N, C, F, H, W, kh, kw } = CONV;
  const declarations: Declarations = {
    dims: ['N', 'C', 'F', 'H', 'W', 'kh', 'kw'],
    symbols: [
      { name: 'K', shape: ['F', 'C', 'kh', 'kw'] },
      { name: 'dY', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'] },
    ],
  };
  const values = { K: wave([F, C, kh, kw], 1), dY: wave([N, F, H - kh + 1, W - kw + 1], 2) };
  const direct = (): Tensor => conv2d(values.dY, flip(values.K, [2, 3]).transpose([1, 0, 2, 3]).contiguous(), { padding: [kh - 1, kw - 1] });
  const common = { declarations, dims: { ...CONV }, values, targetShape: ['N', 'C', 'H', 'W'], direct };
  return [
    { name: 'conv dX, index notation', formula: 'dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m+1,j-t+1], f, m, t)', ...common },
    { name: 'conv dX, slices + conv2', formula: "dX[n,c,:,:] = sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)", ...common },
  ];
}

function wholeTensorCases(): Case[] {
  // Operands and results stay below V8's large-object size (128 KiB), whose allocation cost is erratic.
  const dims = { N: 128, D: 96, M: 64, K: 64, n: 48, H: 64, W: 64, kh: 5, kw: 5 };
  const declarations: Declarations = {
    dims: Object.keys(dims),
    symbols: [
      { name: 'X', shape: ['N', 'D'] },
      { name: 'Wm', shape: ['D', 'M'] },
      { name: 'dY', shape: ['N', 'M'] },
      { name: 'w', shape: ['D'] },
      { name: 'z', shape: ['N', 'K'] },
      { name: 'p', shape: ['N', 'K'] },
      { name: 's', shape: ['N', 'D'] },
      { name: 'G', shape: ['n', 'n'] },
      { name: 'Img', shape: ['H', 'W'] },
      { name: 'Ker', shape: ['kh', 'kw'] },
    ],
  };
  const v = {
    X: wave([128, 96], 0),
    Wm: wave([96, 64], 1),
    dY: wave([128, 64], 2),
    w: wave([96], 3),
    z: wave([128, 64], 4),
    p: wave([128, 64], 5),
    s: wave([128, 96], 6),
    G: wave([48, 48], 7),
    Img: wave([64, 64], 8),
    Ker: wave([5, 5], 9),
  };
  const base = { declarations, dims, values: v };
  return [
    { name: "X' * dY", formula: "X' * dY", ...base, direct: () => matmul(v.X, v.dY, { transA: true }) },
    { name: "dY * Wm'", formula: "dY * Wm'", ...base, direct: () => matmul(v.dY, v.Wm, { transB: true }) },
    { name: 'softmax(z, 2) - p', formula: 'softmax(z, 2) - p', ...base, direct: () => sub(softmax(v.z, 1), v.p) },
    { name: 's .* (1 - s)', formula: 's .* (1 - s)', ...base, direct: () => mul(v.s, sub(1, v.s)) },
    { name: 'kron(G, ones(2, 2)) / 4', formula: 'kron(G, ones(2, 2)) / 4', ...base, direct: () => div(kron(v.G, ones([2, 2])), 4) },
    { name: "conv2(Img, rot90(Ker, 2), 'full')", formula: "conv2(Img, rot90(Ker, 2), 'full')", ...base, direct: () => conv2(v.Img, rot90(v.Ker, 2), 'full') },
    { name: 'sum(log(1 + exp(X * w)))', formula: 'sum(log(1 + exp(X * w)))', ...base, direct: () => Tensor.scalar(sumAll(log(add(1, exp(matmul(v.X, v.w)))))) },
  ];
}

function maxAbsDifference(a: Tensor, b: Tensor): number {
  const x = a.toArray();
  const y = b.toArray();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

function measure(c: Case): { case: string; formula: string; formulaMs: number; directMs: number; ratio: number; fastestRatio: number; firstCallMs: number; maxAbsDifference: number } {
  const started = performance.now();
  const run = compileFormula(parseFormula(c.formula, { declarations: c.declarations }), c.declarations, c.targetShape ? { targetShape: c.targetShape } : {});
  const evaluate = (): Tensor => run(c.values, c.dims);
  const first = evaluate();
  // Parse, check, compile and the first (cold, unoptimised) evaluation: what a one-off check pays.
  const firstCallMs = performance.now() - started;
  const difference = maxAbsDifference(first, c.direct());
  const paired = pairedRatio(evaluate, c.direct);
  return {
    case: c.name,
    formula: c.formula,
    formulaMs: round(paired.aMs),
    directMs: round(paired.bMs),
    ratio: round(paired.ratio),
    fastestRatio: round(paired.fastestRatio),
    firstCallMs: round(firstCallMs),
    maxAbsDifference: difference,
  };
}

/**
 * The fixed cost a formula adds to each evaluation (checking inputs against the declarations, the
 * runtime record, one closure per node), measured on 1×1 operands where the kernel itself costs little.
 */
function fixedCostMicroseconds(): number {
  const declarations: Declarations = { dims: ['N', 'D', 'M'], symbols: [{ name: 'X', shape: ['N', 'D'] }, { name: 'dY', shape: ['N', 'M'] }] };
  const X = wave([1, 1], 0);
  const dY = wave([1, 1], 1);
  const run = compileFormula(parseFormula("X' * dY", { declarations }), declarations);
  const dims = { N: 1, D: 1, M: 1 };
  const paired = pairedRatio(() => run({ X, dY }, dims), () => matmul(X, dY, { transA: true }));
  return round((paired.aMs - paired.bMs) * 1000, 3);
}

function run(): unknown {
  const index = convCases().map(measure);
  const whole = wholeTensorCases().map(measure);
  const fixedUs = fixedCostMicroseconds();
  const table = (rows: ReturnType<typeof measure>[], ratioLabel: string, ratio: (x: number) => string): string =>
    formatTable(
      ['case', 'formula ms', 'direct kernels ms', ratioLabel, '(fastest samples)', 'first call ms', 'max |diff|'],
      rows.map((r) => [r.case, r.formulaMs.toFixed(3), r.directMs.toFixed(3), ratio(r.ratio), ratio(r.fastestRatio), r.firstCallMs.toFixed(1), r.maxAbsDifference.toExponential(1)]),
    );
  console.log(table(index, 'formula/kernel time', (x) => x.toFixed(2)));
  console.log();
  console.log(table(whole, 'overhead', (x) => `${((x - 1) * 100).toFixed(1)}%`));
  const indexRatio = index[0]!.ratio;
  const worstOverhead = Math.max(...whole.map((r) => r.ratio - 1));
  const bars = {
    indexNotation: { requirement: `conv dX index formula within ${INDEX_BAR_RATIO}× of conv2d`, measured: indexRatio, met: indexRatio <= INDEX_BAR_RATIO },
    wholeTensor: { requirement: `< ${OVERHEAD_BAR * 100}% over direct kernel calls`, measured: round(worstOverhead), met: worstOverhead < OVERHEAD_BAR },
  };
  console.log(`\nfixed cost per evaluation: ${fixedUs} µs (1×1 operands), i.e. ${whole.map((r) => `${((fixedUs / 1000 / r.directMs) * 100).toFixed(1)}%`).join(', ')} of the cases above`);
  console.log(`\nbars: index notation ${bars.indexNotation.met ? 'met' : 'NOT met'} (${indexRatio}×); whole-tensor ${bars.wholeTensor.met ? 'met' : 'NOT met'} (worst ${(worstOverhead * 100).toFixed(1)}%)`);
  return { conv: CONV, indexNotation: index, wholeTensor: whole, fixedCostMicroseconds: fixedUs, bars };
}

export const formulaBenchmark: Benchmark = {
  name: 'formula',
  description: 'formula evaluation vs direct tensor-core calls: conv dX index notation (N8 C16 32×32 F16 K3) and whole-tensor forms',
  run,
};
