import { type Shape, type Tensor, viewOffsets } from '../tensor/tensor.js';
import { FdArgumentError } from './errors.js';
import { measureNoise } from './noise.js';
import type { SparseChange } from './sparse.js';
import { EPSILON } from './step.js';

/**
 * Rounding error of a loss or loss change, in units of ε·scale, where the scale is |f| for a full
 * evaluation and Σ|terms| for an incremental change. A sum of n terms is off by ≲ ε·log₂n·Σ|terms|
 * pairwise in the worst case, ≈ ε·√(log₂n)·Σ|terms| typically, ≲ 2ε·|Σ| compensated (Higham, Accuracy
 * and Stability of Numerical Algorithms, §4). 4 ulps leave a margin for terms that are themselves
 * rounded; with them the error bounds covered all of 41,000 measured entries (worst true/bound 0.21,
 * verdict.ts). Cancellation in a full evaluation is covered by the measured noise (noise.ts).
 */
export const CHANGE_ROUNDOFF_ULPS = 4;

/**
 * Multiple of the standard deviation of a change's noise in its round-off bound. A change
 * f(x + move) − f(x) is a difference of two evaluations, each with the measured noise σ (noise.ts), so
 * its standard deviation is √2·σ. Rounding noise is a sum of many small errors, near-Gaussian, and 6
 * measured standard deviations stay above 4 true ones (exceeded with probability ≈ 6e-5) even when the
 * pooled estimate of σ comes out a third low.
 */
export const NOISE_SIGMAS = 6;

/** Absolute round-off bound of f(x + move) − f(x) for full evaluations giving `value` and `base`, with measured noise σ. */
export function fullEvaluationRoundoff(value: number, base: number, noise: number): number {
  return CHANGE_ROUNDOFF_ULPS * EPSILON * Math.max(Math.abs(value), Math.abs(base)) + NOISE_SIGMAS * Math.SQRT2 * noise;
}

/** What one evaluation of a perturbed objective reports. Preallocated by the caller and overwritten. */
export interface LossChange {
  /** f(x + move) − f(x). */
  delta: number;
  /** Absolute bound on the rounding error of `delta`. */
  roundoff: number;
  /** A user-declared non-differentiable boundary (ReLU 0, max tie, ceil step) lies between x and x + move. */
  crossedKink: boolean;
}

/**
 * A scalar loss as a function of one tensor x (an input or an intermediate of the forward). The FD
 * engine asks only for changes of the loss under sparse moves of x; implementations either perturb x
 * in place, evaluate and restore it bit-exactly, or compute the change incrementally. On return x is
 * exactly as before.
 */
export interface ScalarObjective {
  /** Shape of x (the shape of the gradient). */
  readonly shape: Shape;
  readonly size: number;
  /** Current value of x at row-major flat position `flat`. */
  valueAt(flat: number): number;
  /** Loss change when x moves by `move` (flat positions of x, displacements). */
  change(move: SparseChange, out: LossChange): void;
  /**
   * Optional: the loss changes of `move` scaled by each of `out.scale` (powers of two), equal bit for
   * bit to `change` called once per scaled move, but sharing the work the lanes have in common (the
   * rungs of a ladder move the same entry by ±h₀·2^-k). Returns false, having written nothing, when
   * this objective cannot (the caller then calls `change` per lane). Only objectives that declare no
   * kinks offer it: a scaled move never crosses a declared boundary.
   */
  changeScaled?(move: SparseChange, out: ScaledLossChanges): boolean;
}

/**
 * Loss changes for one move taken at several scales: lane l is the move with every displacement and
 * round-off bound multiplied by `scale[l]`, a power of two (±1, ±½, ±¼, …: the rungs of one ladder).
 * Preallocated by the caller and overwritten.
 */
export interface ScaledLossChanges {
  /** Powers of two, set by the caller; the first `lanes` are used. */
  readonly scale: Float64Array;
  lanes: number;
  /** Per lane: f(x + scale·move) − f(x) and the absolute bound on its rounding error. */
  readonly delta: Float64Array;
  readonly roundoff: Float64Array;
}

export function newScaledLossChanges(capacity: number): ScaledLossChanges {
  return { scale: new Float64Array(capacity), lanes: 0, delta: new Float64Array(capacity), roundoff: new Float64Array(capacity) };
}

export function newLossChange(): LossChange {
  return { delta: 0, roundoff: 0, crossedKink: false };
}

/** Storage offsets of a (possibly strided) tensor's entries in row-major order, so FD can address views in place. */
export function storageOffsets(t: Tensor): Int32Array {
  return viewOffsets(t.shape, t.strides, t.offset);
}

/**
 * Applies sparse moves to a tensor's storage in place and undoes them bit-exactly: the old values are
 * saved and written back in reverse order (so a position moved twice is restored too), also when the
 * evaluation throws. No copy of the tensor is made; the save buffer grows to the largest move seen.
 */
export class InPlaceMover {
  private saved = new Float64Array(1);

  constructor(
    private readonly data: Float64Array,
    private readonly offsets: Int32Array,
  ) {}

  /** The value at row-major flat position `flat`. */
  valueAt(flat: number): number {
    return this.data[this.offsets[flat]!]!;
  }

  /** Runs `evaluate` with the tensor moved by `move`, then restores it. */
  run<T>(move: SparseChange, evaluate: () => T): T {
    const n = move.count;
    if (n > this.saved.length) this.saved = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const off = this.offsets[move.index[k]!]!;
      this.saved[k] = this.data[off]!;
      this.data[off] = this.saved[k]! + move.delta[k]!;
    }
    try {
      return evaluate();
    } finally {
      for (let k = n - 1; k >= 0; k--) this.data[this.offsets[move.index[k]!]!] = this.saved[k]!;
    }
  }
}

/** Rejects tensors FD must not perturb: integer labels (dtype 'index') are not differentiable. */
export function assertPerturbable(x: Tensor, what: string): void {
  if (x.dtype === 'index') {
    throw new FdArgumentError(what, 'holds integer labels (dtype index), which have no derivative', 'differentiate with respect to a float64 tensor');
  }
}

export interface FunctionObjectiveOptions {
  /**
   * User-declared kink test: true when a non-differentiable boundary of f (a ReLU at 0, a max tie, a
   * ceil step) lies within `step` of entry `flat` of x at its current value. FD then reports the entry
   * as a non-differentiable sample instead of comparing numbers.
   */
  kinkWithin?: (x: Tensor, flat: number, step: number) => boolean;
}

/**
 * The objective of a plain function f(x): each change perturbs x in place, evaluates f and restores
 * the old values bit-exactly (also when f throws). f(x) at the unperturbed x is computed once, here,
 * and f's noise level at the first change (noise.ts); x must not be modified by anyone else while the
 * objective is in use.
 */
export function functionObjective(f: (x: Tensor) => number, x: Tensor, options: FunctionObjectiveOptions = {}): ScalarObjective {
  assertPerturbable(x, 'the tensor to differentiate');
  const mover = new InPlaceMover(x.data, storageOffsets(x));
  const base = f(x);
  const kinkWithin = options.kinkWithin;
  const valueAt = (flat: number) => mover.valueAt(flat);
  const evaluateMoved = (move: SparseChange): number => mover.run(move, () => f(x));
  let noise = -1;
  return {
    shape: x.shape,
    size: x.size,
    valueAt,
    change(move, out) {
      if (noise < 0) noise = measureNoise(x.size, valueAt, (m) => [evaluateMoved(m)])[0]!;
      const value = evaluateMoved(move);
      out.delta = value - base;
      out.roundoff = fullEvaluationRoundoff(value, base, noise);
      out.crossedKink = kinkWithin !== undefined && move.count === 1 && kinkWithin(x, move.index[0]!, Math.abs(move.delta[0]!));
    },
  };
}
