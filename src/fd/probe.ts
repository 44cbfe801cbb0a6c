/**
 * Probes: one-parameter slices of an objective that the FD ladder displaces, and the record of one
 * displacement. EntryProbe moves one coordinate; screen.ts's LineProbe moves along a direction.
 */
import { type LossChange, type ScalarObjective, newLossChange } from './objective.js';
import { SparseChange } from './sparse.js';
import { EPSILON } from './step.js';

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
}

