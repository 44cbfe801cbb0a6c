/**
 * How many worker threads verify and grade use when none are asked for: one policy for both, taken
 * from measurements on the 2-core machine of bench/README.md.
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
