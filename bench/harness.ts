import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What every benchmark shares: the registry entry type, timing by median of repeated samples, the
 * python3 peers (run single-threaded), and the results files. A benchmark is one file bench/<name>.ts
 * exporting a `Benchmark`, listed in bench/run.ts.
 */
export interface Benchmark {
  /** Short name: what the `npm run bench -- <filter>` argument matches, and the results file bench/results/<name>.json. */
  readonly name: string;
  readonly description: string;
  /** Runs every case, prints a summary table, and returns JSON-serialisable results. */
  run(): Promise<unknown> | unknown;
}

/** The repository root, from dist/bench/harness.js or bench/harness.ts alike. */
export const repoRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
})();

export interface Timing {
  /** Median wall time of one call, in milliseconds. */
  readonly medianMs: number;
  /** One entry per sample: the mean time of one call within that sample. */
  readonly samplesMs: number[];
  readonly callsPerSample: number;
}

declare const gc: (() => void) | undefined;

/**
 * Times `fn` as the median of `samples` samples. Each sample runs `fn` enough times to last at least
 * `minSampleMs` (so that timer resolution and call overhead do not matter for small cases), after a
 * warm-up that lets V8 optimise the kernels; with --expose-gc a collection runs before each sample so
 * that garbage from one sample is not charged to the next, followed by REWARM_MS of untimed calls: a
 * full collection discards optimised code that embeds objects it frees (`--trace-deopt`: "marking
 * dependent code … reason: weak objects"), and the first call after it re-optimises (measured on the fd
 * bench's dense case: 15 ms for the first calls after a collection, 4.7 ms before and after), which
 * would be charged to whichever sample follows the collection.
 */
export function timeMedian(fn: () => unknown, { samples = 7, minSampleMs = 100, warmupMs = 500 } = {}): Timing {
  const warmEnd = performance.now() + warmupMs;
  let calls = 0;
  while (performance.now() < warmEnd || calls < 2) {
    fn();
    calls++;
  }
  const perCall = warmupMs / calls;
  const callsPerSample = Math.max(1, Math.ceil(minSampleMs / Math.max(perCall, 1e-3)));
  const samplesMs: number[] = [];
  for (let s = 0; s < samples; s++) {
    if (typeof gc === 'function') {
      gc();
      // A case timed without warm-up (one long call per sample) is not re-warmed either.
      const rewarmEnd = performance.now() + REWARM_MS;
      if (warmupMs > 0) {
        do fn();
        while (performance.now() < rewarmEnd);
      }
    }
    const start = performance.now();
    for (let c = 0; c < callsPerSample; c++) fn();
    samplesMs.push((performance.now() - start) / callsPerSample);
  }
  return { medianMs: median(samplesMs), samplesMs, callsPerSample };
}

/** Untimed calls after each collection (see timeMedian). */
const REWARM_MS = 50;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Environment for the python peers: one BLAS/OpenMP thread, as the JS kernels use one core. */
export const SINGLE_THREAD_ENV = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } as const;

/**
 * Runs bench/peers/<script> with python3, JSON in on stdin and out on stdout. Returns undefined (and
 * says so) when python3 is missing, so that a benchmark still reports its own numbers.
 */
export function runPeer(script: string, input: unknown): unknown {
  const file = path.join(repoRoot, 'bench', 'peers', script);
  const result = spawnSync('python3', [file], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { ...process.env, ...SINGLE_THREAD_ENV },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.warn(`python3 not found: skipping the peer ${script}`);
    return undefined;
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`peer ${script} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The machine a result was measured on, recorded beside the numbers. */
export function machine(): Record<string, unknown> {
  const python = spawnSync('python3', ['-c', 'import numpy, sys; print(sys.version.split()[0], numpy.__version__)'], { encoding: 'utf8' });
  const [pythonVersion, numpyVersion] = python.status === 0 ? python.stdout.trim().split(' ') : [undefined, undefined];
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    v8: process.versions.v8,
    python: pythonVersion,
    numpy: numpyVersion,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResults(name: string, data: unknown): string {
  const dir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

/** A fixed-width text table for the console summary. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
