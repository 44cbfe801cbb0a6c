import { TruthCache, judgeText, sampleInputs, searchSamples } from '../src/problem/index.js';
import { adHocProblem } from '../src/question/index.js';
import { type Benchmark, formatTable, median } from './harness.js';

/**
 * `derivcheck check` of 4-D gradients with default draws, as the library runs it (the CLI adds its
 * start-up): the ad hoc problem of the loss, a search over DEFAULT draws (dims and inputs), and for
 * each draw the FD ground truth of every entry, by full evaluation of the loss formula (a formula node
 * has no incremental rule, so each FD evaluation re-runs the loss: O(entries) work per evaluation and
 * O(entries²) per draw). Bar (issue 18): ≤ 5 s each. The draw sizes come from the problem's dimension
 * arbitrary (src/problem/dims.ts), so this measures whatever default draws are in force.
 */

const RUNS = 100;
const FC_SEED = 1;
const SAMPLES = 3;
const BAR_S = 5;

interface Case {
  readonly name: string;
  readonly loss: string;
  readonly grad: string;
  readonly shapes: Readonly<Record<string, readonly (string | number)[]>>;
}

const CASES: readonly Case[] = [
  {
    name: 'max-pool',
    loss: 'sum(maxpool2(X) .* G)',
    grad: 'kron(G, ones(2, 2)) .* (X == kron(maxpool2(X), ones(2, 2)))',
    shapes: { X: ['N', 'C', '2*H', '2*W'], G: ['N', 'C', 'H', 'W'] },
  },
  {
    name: 'conv',
    loss: 'sum(corr2(X, K) .* G)',
    grad: "conv2(G, K, 'full')",
    shapes: { X: ['N', 'C', 'H+2', 'W+2'], K: [3, 3], G: ['N', 'C', 'H', 'W'] },
  },
];

function runCase(c: Case) {
  const { problem, target } = adHocProblem({ loss: c.loss, wrt: 'X', grad: c.grad, gradSyntax: 'formula', shapes: c.shapes });
  // Entries of X in each draw the search meets (its inputs, drawn as the search draws them).
  const entries = searchSamples(problem, RUNS, FC_SEED)
    .map(({ dims, seed }) => sampleInputs(problem, dims, seed).X!.size)
    .sort((a, b) => a - b);
  const samplesS: number[] = [];
  let status = '';
  let truths = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const cache = new TruthCache();
    const start = performance.now();
    const { finding } = judgeText(problem, target, c.grad, 'formula', { runs: RUNS, fcSeed: FC_SEED, truths: cache });
    samplesS.push((performance.now() - start) / 1000);
    status = finding.status;
    truths = cache.computed;
  }
  const round = (x: number) => Number(x.toFixed(2));
  return {
    case: c.name,
    loss: c.loss,
    runs: RUNS,
    status,
    truths,
    entriesOfX: { median: entries[entries.length >> 1]!, max: entries[entries.length - 1]!, total: entries.reduce((a, b) => a + b, 0) },
    medianS: round(median(samplesS)),
    samplesS: samplesS.map(round),
    bar: { requirement: `≤ ${BAR_S} s`, met: median(samplesS) <= BAR_S },
  };
}

function run(): unknown {
  const cases = CASES.map(runCase);
  console.log(
    formatTable(
      ['case', 'loss', 'verdict', 'draws', 'entries of X (median / max)', 'median s', 'samples s'],
      cases.map((c) => [c.case, c.loss, c.status, String(c.runs), `${c.entriesOfX.median} / ${c.entriesOfX.max}`, c.medianS.toFixed(2), c.samplesS.join(' ')]),
    ),
  );
  console.log(`\nbar (≤ ${BAR_S} s each): ${cases.every((c) => c.bar.met) ? 'met' : 'NOT met'}`);
  return { cases };
}

export const check4dBenchmark: Benchmark = {
  name: 'check4d',
  description: '4-D max-pool and conv gradient checks with default draws (library path of derivcheck check, FD truths by full evaluation)',
  run,
};
