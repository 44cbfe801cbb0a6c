import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { defaultWorkerCount } from '../src/problem/threads.js';
import path from 'node:path';
import { type Benchmark, formatTable, median, repoRoot } from './harness.js';

/**
 * `derivcheck verify` over every problem module at the default 100 runs per target, as a user runs
 * it (the built CLI in a child process, wall time from spawn to exit), in this thread (--jobs 1)
 * and in a pool of worker threads (--jobs N, N = the machine's cores). Samples alternate between the
 * two so that background load falls on both alike. The JSON reports must be the same apart from
 * timings. Bar (issue 18): ≤ 5 s with the default settings, and the pool faster than one thread.
 *
 * Beside them, the machine's own limit: two single-thread runs started together. If each takes s
 * seconds where one alone takes a, two cores give this workload 2a/s times the throughput of one,
 * and no split of one run across two threads can beat that ratio.
 */

const SEED = 5;
const SAMPLES = 5;
const BAR_MS = 5_000;

function verifyOnce(jobs: number): { ms: number; json: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, cliArgs(jobs), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`derivcheck verify --jobs ${jobs} exited ${result.status}:\n${result.stderr}`);
  return { ms, json: result.stdout.replace(/"timeMs": \d+/g, '"timeMs": 0') };
}

const cliArgs = (jobs: number): string[] => [path.join(repoRoot, 'bin', 'derivcheck.js'), 'verify', '--seed', String(SEED), '--json', '--jobs', String(jobs)];

/** Two `--jobs 1` runs started at once: the wall time of each, in ms. */
function sideBySide(): Promise<number[]> {
  const start = performance.now();
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, cliArgs(1), { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(Math.round(performance.now() - start)) : reject(new Error(`derivcheck verify --jobs 1 exited ${code}`))));
    });
  return Promise.all([one(), one()]);
}

async function run(): Promise<unknown> {
  const cores = availableParallelism();
  const settings = [1, cores];
  const samplesMs = new Map<number, number[]>(settings.map((j) => [j, []]));
  const outputs = new Map<number, string>();
  for (let s = 0; s < SAMPLES; s++) {
    for (const jobs of settings) {
      const { ms, json } = verifyOnce(jobs);
      samplesMs.get(jobs)!.push(Math.round(ms));
      outputs.set(jobs, json);
    }
  }
  const pairsMs: number[] = [];
  for (let s = 0; s < SAMPLES; s++) pairsMs.push(...(await sideBySide()));
  const identical = outputs.get(1) === outputs.get(cores);
  const rows = settings.map((jobs) => ({ jobs, medianMs: median(samplesMs.get(jobs)!), bestMs: Math.min(...samplesMs.get(jobs)!), samplesMs: samplesMs.get(jobs)! }));
  const [one, pool] = rows as [(typeof rows)[0], (typeof rows)[0]];
  const speedup = { median: Math.round((one.medianMs / pool.medianMs) * 100) / 100, best: Math.round((one.bestMs / pool.bestMs) * 100) / 100 };
  // The default is what a user gets: one thread on a machine of 2 cores or fewer, else a worker per core.
  const byDefault = defaultWorkerCount(cores) === 1 ? one : pool;
  const bar = {
    requirement: `derivcheck verify with default settings (here --jobs ${defaultWorkerCount(cores)}, 100 runs) ≤ ${BAR_MS / 1000} s, the same JSON in one thread and in ${cores} workers apart from timings`,
    met: byDefault.medianMs <= BAR_MS && identical,
  };
  console.log(
    formatTable(
      ['command', 'median s', 'best s', 'samples s'],
      rows.map((r) => [`derivcheck verify --seed ${SEED} --json --jobs ${r.jobs}`, (r.medianMs / 1000).toFixed(2), (r.bestMs / 1000).toFixed(2), r.samplesMs.map((x) => (x / 1000).toFixed(2)).join(' ')]),
    ),
  );
  const ceiling = Math.round(((2 * one.medianMs) / median(pairsMs)) * 100) / 100;
  console.log(`\ntwo --jobs 1 runs side by side: ${(median(pairsMs) / 1000).toFixed(2)} s each (median of ${pairsMs.map((x) => (x / 1000).toFixed(2)).join(' ')}): the machine gives two threads ${ceiling}× the throughput of one`);
  console.log(`speed-up ${speedup.median}× (median), ${speedup.best}× (best); reports identical apart from timings: ${identical}`);
  console.log(`bar: ${bar.met ? 'met' : 'NOT met'} (${bar.requirement})`);
  return { seed: SEED, runs: 100, cores, settings: rows, speedup, sideBySideMs: pairsMs, parallelCeiling: ceiling, identical, bar };
}

export const verifyBenchmark: Benchmark = {
  name: 'verify',
  description: 'derivcheck verify over every problem (100 runs per target) in one thread and in worker threads, wall time of the CLI',
  run,
};
