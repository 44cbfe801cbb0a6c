import { Graph, compensatedSum, conv2dIncremental, estimateGradient, halfSquaredErrorIncremental, innerProductIncremental, matmulIncremental } from '../src/fd/index.js';
import { Rng, Tensor, conv2d, matmul, sample } from '../src/tensor/index.js';
import { type Benchmark, formatTable, median, runPeer, timeMedian } from './harness.js';

/**
 * Full per-entry FD gradients, the ground truth of a check, timed and scored against exact gradients:
 *   dense  L(W) = ½‖XW − T‖², X 64×128, W 128×64, T 64×64 (8,192 entries), beside scipy's 3-point
 *          approx_derivative in the same run; bar (issue 18): ≥ 100× faster at equal or better accuracy.
 *   conv   L(X) = Σ G.*conv2d(X, K, padding 1), X N8 C16 32×32, K F16 3×3 (131,072 entries); bar ≤ 1 s.
 * Both use derivcheck's incremental evaluator (a perturbed W[i,j] touches column j of XW only; a
 * perturbed X[n,c,y,x] a 3×3 window of each output map) with central differences + Richardson.
 */

export const DENSE = { m: 64, k: 128, n: 64 } as const;
const CONV = { N: 8, C: 16, H: 32, W: 32, F: 16, k: 3, padding: 1 } as const;
const DENSE_SPEEDUP_BAR = 100;
const CONV_BAR_MS = 1_000;

interface Accuracy {
  /** max_i |g_i − exact_i| / |exact_i| */
  readonly maxRelError: number;
  /** ‖g − exact‖₂ / ‖exact‖₂ */
  readonly normRelError: number;
}

function accuracy(estimate: ArrayLike<number>, exact: Float64Array): Accuracy {
  let maxRel = 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = Math.abs(estimate[i]! - exact[i]!);
    maxRel = Math.max(maxRel, e / Math.abs(exact[i]!));
    num += e * e;
    den += exact[i]! ** 2;
  }
  return { maxRelError: maxRel, normRelError: Math.sqrt(num / den) };
}

/** Compensated dot product of a[aOff + i·aStride] and b[bOff + i·bStride], i < n: the reference side, accurate to ≈ ε·|result|. */
function accurateDot(a: Float64Array, aOff: number, aStride: number, b: Float64Array, bOff: number, bStride: number, n: number): number {
  const products = new Float64Array(n);
  for (let i = 0; i < n; i++) products[i] = a[aOff + i * aStride]! * b[bOff + i * bStride]!;
  return compensatedSum(products, n);
}

/** Exact (to ≈ ε) gradient Xᵀ(XW − T) with compensated sums. */
function denseExact(X: Tensor, W: Tensor, T: Tensor): Float64Array {
  const { m, k, n } = DENSE;
  const r = new Float64Array(m * n);
  for (let row = 0; row < m; row++) for (let c = 0; c < n; c++) r[row * n + c] = accurateDot(X.data, row * k, 1, W.data, c, n, k) - T.data[row * n + c]!;
  const g = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let c = 0; c < n; c++) g[i * n + c] = accurateDot(X.data, i, k, r, c, n, m);
  return g;
}

/** dX of Σ G.*conv2d(X, K, padding p): dX[n,c,y,x] = Σ_f Σ_dy Σ_dx G[n,f,y+p−dy,x+p−dx]·K[f,c,dy,dx]. */
function convExact(G: Tensor, K: Tensor): Float64Array {
  const { N, C, H, W, F, k, padding: p } = CONV;
  const dX = new Float64Array(N * C * H * W);
  const products = new Float64Array(F * k * k);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    let count = 0;
    for (let f = 0; f < F; f++) for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) {
      const oy = y + p - dy;
      const ox = x + p - dx;
      if (oy >= 0 && oy < H && ox >= 0 && ox < W) products[count++] = G.data[((n * F + f) * H + oy) * W + ox]! * K.data[((f * C + c) * k + dy) * k + dx]!;
    }
    dX[((n * C + c) * H + y) * W + x] = compensatedSum(products, count);
  }
  return dX;
}

const halfSquaredError = (y: Tensor, t: Tensor): Tensor => {
  const terms = y.data.map((v, i) => 0.5 * (v - t.data[i]!) ** 2);
  return Tensor.scalar(compensatedSum(terms, terms.length));
};
const innerProduct = (a: Tensor, b: Tensor): Tensor => {
  const terms = a.data.map((v, i) => v * b.data[i]!);
  return Tensor.scalar(compensatedSum(terms, terms.length));
};

interface ScipyPeer {
  readonly medianMs: number;
  readonly samplesMs: number[];
  readonly gradient: number[];
  readonly evaluations: number;
  readonly scipy: string;
}

const round = (x: number, digits = 3): number => Number(x.toPrecision(digits + 1));

/** The dense case, L(W) = ½‖XW − T‖² with seeded normal X, W, T (also what bench/fd-alloc.ts sweeps). */
export function denseLeastSquares() {
  const { m, k, n } = DENSE;
  const rng = new Rng(2025);
  const inputs = { X: sample.normal(rng, [m, k]), W: sample.normal(rng, [k, n]), T: sample.normal(rng, [m, n]) };
  const graph = new Graph({
    inputs: ['X', 'W', 'T'],
    nodes: [
      { name: 'Y', args: ['X', 'W'], op: (x, w) => matmul(x, w), incremental: matmulIncremental },
      { name: 'L', args: ['Y', 'T'], op: halfSquaredError, incremental: halfSquaredErrorIncremental },
    ],
    output: 'L',
  });
  return { graph, inputs };
}

function denseCase() {
  const { m, k, n } = DENSE;
  const { graph, inputs } = denseLeastSquares();
  const exact = denseExact(inputs.X, inputs.W, inputs.T);
  // Objective construction (one forward) is inside the timing, as scipy's f(x0) is inside its. Our
  // samples are taken before and after the peer runs, so that a burst of background load on a shared
  // machine does not land on one side only.
  const fullGradient = () => estimateGradient(graph.objective('W', inputs));
  const before = timeMedian(fullGradient, { samples: 5, minSampleMs: 200 });
  const peer = runPeer('scipy_fd.py', {
    X: Array.from(inputs.X.data),
    W: Array.from(inputs.W.data),
    T: Array.from(inputs.T.data),
    shapes: { X: [m, k], W: [k, n], T: [m, n] },
    samples: 7,
  }) as ScipyPeer | undefined;
  const after = timeMedian(fullGradient, { samples: 5, minSampleMs: 200 });
  const samplesMs = [...before.samplesMs, ...after.samplesMs];
  const estimate = fullGradient();
  const ours = {
    medianMs: round(median(samplesMs), 4),
    bestMs: round(Math.min(...samplesMs), 4),
    samplesMs: samplesMs.map((x) => round(x, 4)),
    ...accuracy(estimate.value, exact),
    evaluations: estimate.evaluations,
    evaluationsPerEntry: round(estimate.evaluations / estimate.value.length),
  };
  const scipy = peer && {
    medianMs: round(peer.medianMs, 4),
    bestMs: round(Math.min(...peer.samplesMs), 4),
    samplesMs: peer.samplesMs.map((x) => round(x, 4)),
    ...accuracy(peer.gradient, exact),
    evaluations: peer.evaluations,
    version: peer.scipy,
  };
  const speedup = scipy ? { median: round(scipy.medianMs / ours.medianMs), best: round(scipy.bestMs / ours.bestMs) } : null;
  const bar = {
    requirement: `≥ ${DENSE_SPEEDUP_BAR}× faster than scipy 3-point (median and best sample) at equal or better accuracy`,
    met: scipy && speedup ? speedup.median >= DENSE_SPEEDUP_BAR && speedup.best >= DENSE_SPEEDUP_BAR && ours.maxRelError <= scipy.maxRelError : null,
  };
  return { case: `dense ½‖XW − T‖², X ${m}×${k}, W ${k}×${n}`, entries: k * n, derivcheck: ours, scipy: scipy ?? null, speedup, bar };
}

function convCase() {
  const { N, C, H, W, F, k, padding } = CONV;
  const rng = new Rng(2026);
  const inputs = { X: sample.normal(rng, [N, C, H, W]), K: sample.normal(rng, [F, C, k, k]), G: sample.normal(rng, [N, F, H, W]) };
  const graph = new Graph({
    inputs: ['X', 'K', 'G'],
    nodes: [
      { name: 'Y', args: ['X', 'K'], op: (x, kk) => conv2d(x, kk, { padding }), incremental: conv2dIncremental({ padding }) },
      { name: 'L', args: ['Y', 'G'], op: innerProduct, incremental: innerProductIncremental },
    ],
    output: 'L',
  });
  const fullGradient = () => estimateGradient(graph.objective('X', inputs));
  const timing = timeMedian(fullGradient, { samples: 3, minSampleMs: 0, warmupMs: 0 });
  const estimate = fullGradient();
  const ours = { medianMs: round(timing.medianMs, 4), samplesMs: timing.samplesMs.map((x) => round(x, 4)), ...accuracy(estimate.value, convExact(inputs.G, inputs.K)), evaluations: estimate.evaluations, evaluationsPerEntry: round(estimate.evaluations / estimate.value.length) };
  const bar = { requirement: `≤ ${CONV_BAR_MS / 1000} s`, met: ours.medianMs <= CONV_BAR_MS };
  return { case: `conv2d dX, X N${N} C${C} ${H}×${W}, K F${F} ${k}×${k}, padding ${padding}`, entries: N * C * H * W, derivcheck: ours, bar };
}

function run(): unknown {
  const dense = denseCase();
  const conv = convCase();
  const fmt = (x: number) => x.toExponential(2);
  const ms = (x: number) => x.toFixed(1);
  console.log(
    formatTable(
      ['case', 'entries', 'derivcheck ms (median/best)', 'max rel err', 'evals/entry', 'scipy ms (median/best)', 'scipy max rel err', 'speedup (median/best)'],
      [
        [
          dense.case,
          String(dense.entries),
          `${ms(dense.derivcheck.medianMs)} / ${ms(dense.derivcheck.bestMs)}`,
          fmt(dense.derivcheck.maxRelError),
          String(dense.derivcheck.evaluationsPerEntry),
          dense.scipy ? `${ms(dense.scipy.medianMs)} / ${ms(dense.scipy.bestMs)}` : '—',
          dense.scipy ? fmt(dense.scipy.maxRelError) : '—',
          dense.speedup ? `${dense.speedup.median}× / ${dense.speedup.best}×` : '—',
        ],
        [conv.case, String(conv.entries), ms(conv.derivcheck.medianMs), fmt(conv.derivcheck.maxRelError), String(conv.derivcheck.evaluationsPerEntry), '—', '—', '—'],
      ],
    ),
  );
  console.log(`\nbars: dense ${dense.bar.met === null ? 'not measured (no python3)' : dense.bar.met ? 'met' : 'NOT met'} (${dense.bar.requirement}); conv ${conv.bar.met ? 'met' : 'NOT met'} (${conv.bar.requirement})`);
  return { cases: [dense, conv] };
}

export const fdBenchmark: Benchmark = {
  name: 'fd',
  description: 'full per-entry FD gradients (central + Richardson, incremental): dense 64×128·128×64 beside scipy approx_derivative, conv2d dX N8 C16 32×32 F16 K3',
  run,
};
