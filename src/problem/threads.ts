/**
 * How many worker threads verify and grade use when none are asked for, and the Node options their
 * process runs with: one policy for both, taken from measurements on the 2-core machine of
 * bench/README.md.
 */
import { availableParallelism } from 'node:os';

/**
 * Cores at or below which one thread does the work. There two threads get 1.21× the throughput of one
 * (they share memory bandwidth) and each worker pays its start-up and JIT warm-up: verify took 4.56 s in
 * two workers against 3.93 s in one thread (bench/README.md, verify), and grading 500 files of distinct
 * answers ran at 589 answers/s in two workers against 751/s in one (2,000 files: 1,004 against 1,055/s;
 * bench/README.md, grade).
 */
const CORES_FOR_ONE_THREAD = 2;

/**
 * Threads when none are asked for: one per core, or one on a machine of `CORES_FOR_ONE_THREAD` cores or
 * fewer. verify runs one in its own thread; grade runs it in a worker (for the time limit and crash
 * isolation).
 */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return cores <= CORES_FOR_ONE_THREAD ? 1 : cores;
}

/**
 * V8's background threads (Node starts 4: concurrent compilation and garbage collection) for a process
 * whose work is one thread, on a machine of `CORES_FOR_ONE_THREAD` cores or fewer: one. There the four
 * compete with the working thread for the two cores; with one, grading the 500-file bench took 0.82×
 * the time, verify 0.82× and check 0.92× (bench/README.md). Undefined: Node's default.
 */
export function backgroundThreadCount(cores: number = availableParallelism()): number | undefined {
  return cores <= CORES_FOR_ONE_THREAD ? 1 : undefined;
}

/**
 * V8's budget of bytecode inlined into one optimized function (V8's own default is 920 bytes), for a
 * process whose work is one thread on a machine of `CORES_FOR_ONE_THREAD` cores or fewer: 200. There
 * the optimizing compiler's one background thread shares the two cores with the working threads, and
 * grading 500 files spent ≈ 1.4 CPU-s compiling against ≈ 1.7 CPU-s grading: with the smaller budget each
 * optimized function costs less to compile and is ready sooner (grading 500 files 0.95× the time and
 * 0.86× the CPU, 2,000 files 0.94×, verify 0.92×, a class of 1,000 submissions of 10 answers 1.0×;
 * bench/README.md, verify). Undefined: V8's default.
 */
export function inliningBudget(cores: number = availableParallelism()): number | undefined {
  return cores <= CORES_FOR_ONE_THREAD ? 200 : undefined;
}

/** The Node options of a process that grades or verifies (the CLI restarts itself with them: src/cli/launch.ts); none above `CORES_FOR_ONE_THREAD` cores. */
export function longCommandNodeOptions(cores: number = availableParallelism()): string[] {
  const pool = backgroundThreadCount(cores);
  const budget = inliningBudget(cores);
  return [...(pool === undefined ? [] : [`--v8-pool-size=${pool}`]), ...(budget === undefined ? [] : [`--max-inlined-bytecode-size-cumulative=${budget}`])];
}
