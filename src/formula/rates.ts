/**
 * The rates the cost model assumes (cost.ts turns a formula's work into seconds with them). Measured by
 * `npm run bench -- cost-model` (bench/cost-model.ts) on the reference machine, one core of an AMD EPYC
 * (Zen 4, KVM guest, 2 vCPUs), Node 20 (V8 11.3), with the machine otherwise quiet; bench/README.md has
 * the run. Each rate is the slower end of what the bench saw for its kind of work, so that an
 * estimate errs towards refusing a little early rather than running long.
 */

export interface MachineRates {
  /**
   * Scalar operations per second: one entry of an elementwise add, one iteration of a generated loop
   * with one operation in its body, one step of a JS factorisation (cost rules weigh the rest in
   * these units: an exp counts as functions/cost.ts's TRANSCENDENTAL operations).
   */
  readonly operationsPerSecond: number;
  /** Multiply-adds per second of the WebAssembly SIMD kernels (matrix products). */
  readonly multiplyAddsPerSecond: number;
  /** Entries of fresh tensor storage per second (zeroing and first touch of new memory pages). */
  readonly allocatedPerSecond: number;
  /** Seconds of fixed cost per node evaluation (a closure call, a Tensor object, argument checks). */
  readonly secondsPerCall: number;
  /** Seconds of fixed cost per evaluation of a formula (its dimensions and inputs checked, the answer made contiguous). */
  readonly secondsPerEvaluation: number;
  /** Seconds per piece code a traced evaluation records (src/formula/compile.ts's pieces: a code kept in a JS array, later compared). */
  readonly secondsPerPieceCode: number;
}

export const REFERENCE_RATES: MachineRates = {
  operationsPerSecond: 5e8,
  multiplyAddsPerSecond: 5e9,
  allocatedPerSecond: 1.5e8,
  secondsPerCall: 3e-7,
  secondsPerEvaluation: 3e-6,
  secondsPerPieceCode: 3e-8,
};
