/**
 * Probes: one-parameter slices of an objective that the FD ladder displaces, and the record of one
 * displacement. EntryProbe moves one coordinate; screen.ts's LineProbe moves along a direction.
 */
import { type LossChange, type ScalarObjective, type ScaledLossChanges, newLossChange, newScaledLossChanges } from './objective.js';
import { SparseChange } from './sparse.js';
import { EPSILON, MAX_RUNGS } from './step.js';

/**
 * One evaluation of a probe: the displacement asked for and the one taken, and the loss changes with
 * their absolute round-off bounds per output component (one for a scalar loss). Preallocated and
 * overwritten. Numbers travel in this record rather than as an argument and a return value: V8 boxes
 * a double passed to or returned from a call it does not inline (a heap allocation), and `displace`
 * runs twice per rung of every entry.
 */
export interface Displacement {
  /** The displacement t asked for (set by the caller). */
  step: number;
  /** The displacement actually taken: t up to the rounding of x + t (set by the probe). */
  taken: number;
  readonly delta: Float64Array;
  readonly roundoff: Float64Array;
  crossedKink: boolean;
}

/**
 * A one-parameter slice of the objective, φ(t) = f(x + t·v) around t = 0: v is one coordinate
 * (EntryProbe) or a direction (LineProbe in screen.ts). `displace(out)` evaluates φ(t) − φ(0) for
 * t = out.step (x is restored on return) and records the displacement actually taken, which may differ
 * from t by rounding.
 */
export interface Probe {
  readonly components: number;
  /** Scale of the parameter, for the step rule (max(1, |x_i|) for a coordinate; 1 for a scaled direction). */
  readonly scale: number;
  displace(out: Displacement): void;
  /**
   * Optional: rungs first..first+count−1 of a ladder in one call. The caller has set rungs.step[k] = h_k,
   * h_k = h_first·2^-(k−first); the probe fills rung k's displacements to +h_k and −h_k exactly as two
   * calls of `displace` would, bit for bit, sharing the work the rungs have in common. Returns false,
   * having filled nothing, when it cannot; the caller then displaces one by one.
   */
  displaceRungs?(rungs: RungEvaluations, first: number, count: number): boolean;
}

/**
 * The evaluations of a ladder, a row per rung k: the step h_k asked for (+h_k, then −h_k), the
 * displacements actually taken, and per output component c the loss changes and their round-off
 * bounds at [k·components + c]. Typed arrays, allocated once per estimator: the rows of a batch are
 * written by one call (Probe.displaceRungs) and read without a pointer chase per rung.
 */
export class RungEvaluations {
  readonly step: Float64Array;
  readonly up: Float64Array;
  readonly down: Float64Array;
  readonly plus: Float64Array;
  readonly minus: Float64Array;
  readonly plusRoundoff: Float64Array;
  readonly minusRoundoff: Float64Array;
  /** A declared kink lies within rung k's step on either side. */
  readonly crossedKink: Uint8Array;

  constructor(readonly components: number) {
    this.step = new Float64Array(MAX_RUNGS);
    this.up = new Float64Array(MAX_RUNGS);
    this.down = new Float64Array(MAX_RUNGS);
    this.plus = new Float64Array(MAX_RUNGS * components);
    this.minus = new Float64Array(MAX_RUNGS * components);
    this.plusRoundoff = new Float64Array(MAX_RUNGS * components);
    this.minusRoundoff = new Float64Array(MAX_RUNGS * components);
    this.crossedKink = new Uint8Array(MAX_RUNGS);
  }

  /** Rung k from two displacements (+h_k, −h_k) taken one by one. */
  record(k: number, plus: Displacement, minus: Displacement): void {
    const m = this.components;
    this.up[k] = plus.taken;
    this.down[k] = minus.taken;
    for (let c = 0; c < m; c++) {
      this.plus[k * m + c] = plus.delta[c]!;
      this.minus[k * m + c] = minus.delta[c]!;
      this.plusRoundoff[k * m + c] = plus.roundoff[c]!;
      this.minusRoundoff[k * m + c] = minus.roundoff[c]!;
    }
    this.crossedKink[k] = plus.crossedKink || minus.crossedKink ? 1 : 0;
  }
}

export function newDisplacement(components: number): Displacement {
  // NaN, not 0: the fields hold doubles from the start, so V8 never changes their representation.
  return { step: Number.NaN, taken: Number.NaN, delta: new Float64Array(components), roundoff: new Float64Array(components), crossedKink: false };
}

/** Probe along one coordinate of a scalar objective; reused across entries via `select`. */
export class EntryProbe implements Probe {
  readonly components = 1;
  scale = 1;
  private entry = 0;
  /** x at the selected entry (the objective restores it exactly after every change). */
  private x = Number.NaN;
  private readonly move = new SparseChange(1);
  private readonly change: LossChange = newLossChange();
  /** The lanes of displaceRungs: +h_k, −h_k for each rung, as multiples of the first rung's step. */
  private readonly lanes: ScaledLossChanges = newScaledLossChanges(2 * MAX_RUNGS);

  constructor(private readonly objective: ScalarObjective) {}

  select(flat: number): void {
    this.entry = flat;
    this.x = this.objective.valueAt(flat);
    this.scale = Math.max(1, Math.abs(this.x));
  }

  displace(out: Displacement): void {
    const x = this.x;
    // The displacement actually representable: x + step rounds, and the difference is what moved.
    const actual = x + out.step - x;
    const move = this.move;
    move.index[0] = this.entry;
    move.delta[0] = actual;
    // ε·|δ|: x + δ may round where x + t did not (|x| ≪ t), so the move is exact only to that.
    move.roundoff[0] = EPSILON * Math.abs(actual);
    move.count = 1;
    this.objective.change(move, this.change);
    out.taken = actual;
    out.delta[0] = this.change.delta;
    out.roundoff[0] = this.change.roundoff;
    out.crossedKink = this.change.crossedKink;
  }

  /**
   * The rungs as one move of the first step h taken at scales ±2^-j (the objective's changeScaled),
   * when every x ± h_k is exact, so that `displace` would have moved x by exactly ±h_k: the moves are
   * then the same bits, and so are the loss changes (ScalarObjective.changeScaled). A rung whose
   * x ± h_k rounds (a binade crossing) goes the per-displacement way.
   */
  displaceRungs(rungs: RungEvaluations, first: number, count: number): boolean {
    if (this.objective.changeScaled === undefined || count > MAX_RUNGS) return false;
    const x = this.x;
    const h = rungs.step[first]!;
    const lanes = this.lanes;
    for (let j = 0; j < count; j++) {
      const step = rungs.step[first + j]!;
      if (x + step - x !== step || x - step - x !== -step) return false;
      lanes.scale[2 * j] = step / h;
      lanes.scale[2 * j + 1] = -step / h;
    }
    lanes.lanes = 2 * count;
    const move = this.move;
    move.index[0] = this.entry;
    move.delta[0] = h;
    move.roundoff[0] = EPSILON * h;
    move.count = 1;
    if (!this.objective.changeScaled(move, lanes)) return false;
    for (let j = 0; j < count; j++) {
      const k = first + j;
      rungs.up[k] = rungs.step[k]!;
      rungs.down[k] = -rungs.step[k]!;
      rungs.plus[k] = lanes.delta[2 * j]!;
      rungs.minus[k] = lanes.delta[2 * j + 1]!;
      rungs.plusRoundoff[k] = lanes.roundoff[2 * j]!;
      rungs.minusRoundoff[k] = lanes.roundoff[2 * j + 1]!;
      rungs.crossedKink[k] = 0;
    }
    return true;
  }
}

