import { EPSILON } from './step.js';

/**
 * A sparse change of one tensor: `count` distinct row-major flat positions and, for each, new value −
 * old value with an absolute bound on its rounding error. Perturbations (one entry, or a direction
 * restricted to a range) and the changes incremental rules propagate through a graph are both
 * SparseChanges, preallocated once and reused. Rules rely on the positions being distinct
 * (SparseAccumulator merges repeats).
 *
 * Round-off is propagated to first order, position by position: a rule that forms a change from
 * changes of its argument adds the argument's bounds times the local slopes to its own rounding. A
 * scalar loss change therefore carries a bound that includes everything upstream (the ε·|y| of
 * tanh(z + δ) − tanh(z), the accumulation of many contributions into one entry), not just ε·|ΔL|.
 */
export class SparseChange {
  readonly index: Int32Array;
  readonly delta: Float64Array;
  readonly roundoff: Float64Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.index = new Int32Array(capacity);
    this.delta = new Float64Array(capacity);
    this.roundoff = new Float64Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  push(index: number, delta: number, roundoff: number): void {
    this.index[this.count] = index;
    this.delta[this.count] = delta;
    this.roundoff[this.count] = roundoff;
    this.count++;
  }

  /** Sets this change to the single scalar change `delta` (position 0) with its round-off bound. */
  setScalar(delta: number, roundoff: number): void {
    this.count = 0;
    this.push(0, delta, roundoff);
  }
}

/**
 * Collects contributions to a tensor's change when several may land on the same entry (a matmul
 * rule fed a change of two entries of one column). Dense scratch plus a list of touched positions,
 * so clearing costs only what was touched. Each addition's rounding, ≤ ε·|partial sum|, is added to
 * the entry's bound beside the contribution's own.
 */
export class SparseAccumulator {
  private readonly sums: Float64Array;
  private readonly errors: Float64Array;
  private readonly touched: Uint8Array;
  private readonly order: Int32Array;
  private count = 0;

  constructor(size: number) {
    this.sums = new Float64Array(size);
    this.errors = new Float64Array(size);
    this.touched = new Uint8Array(size);
    this.order = new Int32Array(size);
  }

  add(index: number, delta: number, roundoff: number): void {
    if (this.touched[index] === 0) {
      this.touched[index] = 1;
      this.order[this.count++] = index;
      this.sums[index] = delta;
      this.errors[index] = roundoff;
      return;
    }
    const sum = this.sums[index]! + delta;
    this.sums[index] = sum;
    this.errors[index]! += roundoff + EPSILON * Math.abs(sum);
  }

  /** Writes the collected change into `out` (in first-touch order) and clears the accumulator. */
  flushInto(out: SparseChange): void {
    out.clear();
    for (let k = 0; k < this.count; k++) {
      const i = this.order[k]!;
      out.push(i, this.sums[i]!, this.errors[i]!);
      this.sums[i] = 0;
      this.errors[i] = 0;
      this.touched[i] = 0;
    }
    this.count = 0;
  }
}

/**
 * Compensated summation of values[0..count): each addition's rounding error is recovered exactly with
 * Knuth's branch-free TwoSum and accumulated separately (Ogita, Rump & Oishi 2005, "Sum2"). The result
 * is as if summed in twice the working precision, error ≲ ε·|Σ| + nε²·Σ|values|, instead of
 * (n−1)ε·Σ|values| for a plain loop — so a loss change summed from many terms is not swamped by
 * round-off. Plain locals, no allocation: this runs in the innermost loop of every incremental loss.
 */
export function compensatedSum(values: Float64Array, count: number): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < count; i++) {
    const term = values[i]!;
    const t = sum + term;
    const virtual = t - sum;
    compensation += sum - (t - virtual) + (term - virtual);
    sum = t;
  }
  return sum + compensation;
}
