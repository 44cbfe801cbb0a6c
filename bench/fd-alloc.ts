import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import { estimateGradient } from '../src/fd/index.js';
import { DENSE, denseLeastSquares } from './fd.js';
import { type Benchmark, formatTable } from './harness.js';

/**
 * Allocation in the FD inner loop. The incremental dense full gradient (L(W) = ½‖XW − T‖², X 64×128,
 * W 128×64: 8,192 entries, 49,152 evaluations per sweep) must allocate nothing per evaluation: every
 * buffer (moves, changes, tableaux, rule scratch) is allocated once per objective or estimator, and no
 * double crosses a call boundary that V8 might not inline (a boxed HeapNumber each time; see
 * src/fd/estimate.ts, Displacement). Measured over SWEEPS sweeps of one prebuilt objective, after a
 * warm-up that lets V8 optimise them:
 *   - bytes allocated per sweep, read as the growth of the young generation (V8 allocates every new
 *     object there) across each sweep that no GC interrupted: no profiler attached, so this is the bar;
 *   - bytes allocated on the V8 heap, collected or not (V8's sampling heap profiler, through the
 *     inspector, with objects collected by minor and major GCs included), with the top allocation sites
 *     (a profiler attached at a 32-byte interval can change what V8 compiles, hence the figure above);
 *   - garbage collections (PerformanceObserver 'gc' entries: the events `node --trace-gc` prints);
 *   - growth of the retained heap (heapUsed after a full GC, before and after).
 * A sweep's results are O(entries) and allocated once per sweep: indices, values and error bounds are
 * typed arrays (their contents live outside the V8 heap), the statuses a JS array of 8 B per entry.
 * For contrast, full evaluation of the same objective (incremental: false) on a few entries: it runs
 * the user's ops (matmul, the loss), which return new tensors every evaluation; that is expected.
 */

const SWEEPS = 20;
const WARMUP_SWEEPS = 30;
/** Entries estimated by full evaluation (each evaluation is a 64×128·128×64 matmul). */
const FULL_EVALUATION_ENTRIES = 64;
/** Mean bytes between samples of the heap profiler: small, so that the per-evaluation figure is resolved to a byte. */
const SAMPLING_INTERVAL_BYTES = 32;
/** The bar: allocation per evaluation of the incremental sweep, beyond its per-sweep result arrays. */
const BAR_BYTES_PER_EVALUATION = 1;

interface AllocationSite {
  readonly site: string;
  readonly bytes: number;
}

interface HeapProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

/** Bytes in the young generation (new space and its large-object space): where V8 allocates new objects. */
function youngGenerationBytes(): number {
  return v8
    .getHeapSpaceStatistics()
    .filter((space) => space.space_name === 'new_space' || space.space_name === 'new_large_object_space')
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

/** The growth of the young generation across each sweep, for the sweeps that no GC interrupted (its size only grows between GCs). */
function youngGrowthPerSweep(sweep: () => void): number[] {
  const growth: number[] = [];
  for (let s = 0; s < SWEEPS; s++) {
    const before = youngGenerationBytes();
    sweep();
    const after = youngGenerationBytes();
    if (after >= before) growth.push(after - before);
  }
  return growth;
}

/** Bytes allocated while `work` runs (sampled, collected objects included), and the sites that allocated most. */
async function allocationsOf(session: Session, work: () => void): Promise<{ bytes: number; sites: AllocationSite[] }> {
  await session.post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapProfileNode } };
  const bySite = new Map<string, number>();
  let bytes = 0;
  const visit = (node: HeapProfileNode) => {
    if (node.selfSize > 0) {
      const { functionName, url, lineNumber } = node.callFrame;
      const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      bytes += node.selfSize;
    }
    node.children.forEach(visit);
  };
  visit(profile.head);
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([site, b]) => ({ site, bytes: b }));
  return { bytes, sites };
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

/** Garbage collections while `work` runs, by kind. */
async function collectionsDuring(work: () => void): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  work();
  // Entries are delivered asynchronously: let the observer see the last ones.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return counts;
}

declare const gc: (() => void) | undefined;

function retainedHeap(): number {
  if (typeof gc === 'function') gc();
  return process.memoryUsage().heapUsed;
}

async function run(): Promise<unknown> {
  const { graph, inputs } = denseLeastSquares();
  const objective = graph.objective('W', inputs);
  const entries = objective.size;
  let evaluations = 0;
  const sweeps = () => {
    for (let s = 0; s < SWEEPS; s++) evaluations += estimateGradient(objective).evaluations;
  };
  for (let s = 0; s < WARMUP_SWEEPS; s++) estimateGradient(objective);

  // Steady state first: the young generation's growth, GCs, then one profiled pass. Stopping the heap
  // profiler and forcing a full GC (retainedHeap) may both discard optimised code, and sweeps right
  // after them run partly in the interpreter, where every double is boxed: those measurements come last.
  const young = youngGrowthPerSweep(() => estimateGradient(objective));
  const collections = await collectionsDuring(sweeps);
  const session = new Session();
  session.connect();
  evaluations = 0;
  const incremental = await allocationsOf(session, sweeps);
  const evaluationsPerSweep = evaluations / SWEEPS;
  const before = retainedHeap();
  sweeps();
  const retainedGrowth = retainedHeap() - before;
  // The sweep's one on-heap result array: statuses, 8 B per entry (pointer-size elements).
  const resultArrayBytes = 8 * entries;
  const bytesPerSweep = incremental.bytes / SWEEPS;
  const sampledPerEvaluation = Math.max(0, bytesPerSweep - resultArrayBytes) / evaluationsPerSweep;
  const youngPerSweep = young.reduce((a, b) => a + b, 0) / young.length;
  const perEvaluation = Math.max(0, youngPerSweep - resultArrayBytes) / evaluationsPerSweep;

  const full = graph.objective('W', inputs, { incremental: false });
  const fullIndices = Int32Array.from({ length: FULL_EVALUATION_ENTRIES }, (_, i) => i);
  estimateGradient(full, fullIndices);
  let fullEvaluations = 0;
  const fullAllocations = await allocationsOf(session, () => {
    fullEvaluations = estimateGradient(full, fullIndices).evaluations;
  });
  session.disconnect();

  const round = (x: number) => Math.round(x * 10) / 10;
  const result = {
    case: `incremental dense full FD gradient, X ${DENSE.m}×${DENSE.k}, W ${DENSE.k}×${DENSE.n}`,
    entries,
    sweeps: SWEEPS,
    evaluationsPerSweep,
    incremental: {
      youngGenerationBytesPerSweep: young,
      resultArrayBytesPerSweep: resultArrayBytes,
      bytesPerEvaluationBeyondResults: round(perEvaluation),
      sampledHeapBytesPerSweep: Math.round(bytesPerSweep),
      sampledBytesPerEvaluationBeyondResults: round(sampledPerEvaluation),
      garbageCollections: collections,
      retainedHeapGrowthBytes: retainedGrowth,
      topSites: incremental.sites,
    },
    fullEvaluation: {
      entries: FULL_EVALUATION_ENTRIES,
      evaluations: fullEvaluations,
      bytesPerEvaluation: Math.round(fullAllocations.bytes / fullEvaluations),
      topSites: fullAllocations.sites,
    },
    bar: {
      requirement: `incremental sweep: ≤ ${BAR_BYTES_PER_EVALUATION} B allocated per evaluation beyond the per-sweep result arrays`,
      met: perEvaluation <= BAR_BYTES_PER_EVALUATION,
    },
  };
  const gcText = Object.entries(collections).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  console.log(
    formatTable(
      ['path', 'evaluations', 'bytes allocated', 'per evaluation', 'GCs during the sweeps'],
      [
        [`incremental, young generation, ${young.length} sweeps without a GC`, String(evaluationsPerSweep * young.length), String(young.reduce((a, b) => a + b, 0)), `${round(perEvaluation)} B (beyond ${resultArrayBytes} B of results per sweep)`, '—'],
        [`incremental, heap profiler, ${SWEEPS} sweeps`, String(evaluationsPerSweep * SWEEPS), String(incremental.bytes), `${round(sampledPerEvaluation)} B (beyond ${resultArrayBytes} B of results per sweep)`, gcText],
        [`full evaluation, ${FULL_EVALUATION_ENTRIES} entries`, String(fullEvaluations), String(fullAllocations.bytes), `${result.fullEvaluation.bytesPerEvaluation} B`, '—'],
      ],
    ),
  );
  console.log(`\nretained heap growth over the incremental sweeps: ${retainedGrowth} B`);
  console.log(`top allocation sites (incremental): ${incremental.sites.map((s) => `${s.site} ${s.bytes} B`).join('; ')}`);
  console.log(`\nbar: ${result.bar.met ? 'met' : 'NOT met'} (${result.bar.requirement})`);
  return result;
}

export const fdAllocBenchmark: Benchmark = {
  name: 'fd-alloc',
  description: 'heap allocation and GCs of the incremental dense full FD gradient (X 64×128, W 128×64) per evaluation, beside full evaluation',
  run,
};
