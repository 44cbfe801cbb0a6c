/**
 * Starting grading workers (src/grade/worker.ts). A worker loads the library first (≈ 0.15–0.2 s of a
 * 500-file batch's 1.7–2 s on 2 cores) and waits for its setup as its first message, so the CLI can start
 * one before it has read its own options (src/cli/launch.ts): loading the worker and loading the CLI
 * then overlap, and the batch runner (src/grade/batch.ts) takes that worker as its first.
 */
import { Worker } from 'node:worker_threads';
import { assertWorkerBuilt, compiledWorkerFile } from '../problem/compiled.js';

/**
 * Heap of one worker: its JS objects (samples, findings, fast-check's state), which grading the example
 * class keeps under 96 MB. Tensor storage lives outside the heap, and this limit does not bound it; what
 * does is the price of every evaluation (src/formula/limits.ts: at most 256 MiB of live tensors, refused
 * before it runs, and a claim's evaluations at most 0.5 s in all, src/problem/budget.ts) and the truth
 * cache's 128 MiB (src/problem/truth-cache.ts). Two workers with answers at the tensor limit measured
 * 465 MB for the whole process (test/hostile/cost-model.test.ts).
 */
export const WORKER_HEAP_MB = 256;

/** A worker started ahead of the batch, not yet taken by it, and whether it has failed meanwhile. */
let early: { readonly worker: Worker; readonly fail: () => void; failed: boolean } | undefined;

function newWorker(): Worker {
  const script = compiledWorkerFile(import.meta.url, './worker.js');
  assertWorkerBuilt(script, 'grading');
  return new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
}

/**
 * Starts a grading worker now, for the next startGradingWorker to take. It does not keep the process
 * alive (a command that ends before grading, on an error in its options, exits as before), and a
 * failure before it is taken is kept for whoever takes it: that one starts a fresh worker, which
 * reports the failure to its own listeners. Returns the worker (the CLI does not need it; tests do).
 */
export function startGradingWorkerEarly(): Worker {
  const worker = newWorker();
  worker.unref();
  const started = {
    worker,
    failed: false,
    fail: () => {
      started.failed = true;
    },
  };
  worker.once('error', started.fail).once('exit', started.fail);
  early = started;
  return worker;
}

/** A grading worker loading its code: the early one if there is one in good health, else a new one. Post its WorkerSetup first. */
export function startGradingWorker(): Worker {
  const taken = early;
  early = undefined;
  if (taken === undefined) return newWorker();
  taken.worker.off('error', taken.fail).off('exit', taken.fail);
  if (taken.failed) return newWorker();
  taken.worker.ref();
  return taken.worker;
}
