import { type Rng } from '../tensor/rng.js';
import { FdArgumentError } from './errors.js';
import { type LossChange, type ScalarObjective, newLossChange } from './objective.js';
import { RichardsonTableau, newRung } from './richardson.js';
import { SparseChange } from './sparse.js';
import { CONTRACTION, EPSILON, firstStepExponent } from './step.js';

/**
 * The ladder goes on until the estimate has settled (see `settled`) or f's scale is resolved: twelve
 * rungs end at h₀/2048 ≈ ε^(1/3)/3·max(1,|x|). Smooth f settle within 3–4 rungs; more are needed only
 * when f varies on a scale far below max(1,|x|) (σ(1000·w) with |w| ≪ 1: the first rungs are
 * pre-asymptotic and their differences meaningless), and below h₀/2048 round-off (∝ 1/h) outgrows any
 * truncation error a finer step could remove.
 */
export const MAX_RUNGS = 12;

/**
 * An estimate has settled when its tableau error is below its round-off (finer rungs only add noise)
 * or below 2^-40 ≈ 9e-13 of its value: the verdict's budget (4× the bound, verdict.ts) then still
 * resolves relative errors of 1e-11, far below the 1e-6 a check must catch.
 */
export const SETTLED_RELATIVE_ERROR = 2 ** -40;

/** Three rungs at least: the first entry with an error estimate is T[2, 1] (see richardson.ts). */
export const MIN_RUNGS = 3;

/**
 * Kink test: the forward and backward one-sided estimates (each Richardson-extrapolated, power 1)
 * must agree within this many times the sum of their error bounds. On a smooth function they differ
 * by O(f'''·h²) while each bound is ≥ |f''|·h/2 or round-off; a kink within the step makes them differ
 * by the jump in slope, far outside.
 */
export const KINK_SEPARATION = 4;

/** Why an estimate is (not) a plain derivative. */
export type EstimateStatus =
  /** One-sided estimates agree: the function is smooth on the ladder. */
  | 'smooth'
  /** Forward and backward estimates disagree beyond their error bars: a kink lies within the step. */
  | 'kink'
  /** A user-declared non-differentiable boundary lies within the step. */
  | 'declared-kink'
  /** f was not finite at some perturbed point. */
  | 'non-finite';

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

/**
 * Central differences on the ladder h_k = h₀·2^-k, Richardson-extrapolated (power 2), with forward
 * and backward differences extrapolated beside them (power 1) for the kink test. Stops once every
 * component's estimate has settled (with at least MIN_RUNGS usable rungs), or at MAX_RUNGS.
 *
 * A rung is unusable when f is not finite there (log of a negative number at a coarse step) or when
 * a declared kink lies within its step: the tableaux restart at the next, finer rung, so a boundary
 * between the finest and the coarsest step costs accuracy only on the rungs that cross it. If fewer
 * than MIN_RUNGS usable rungs remain, the entry is 'declared-kink' or 'non-finite'.
 * All buffers are allocated once per estimator.
 */
export class DerivativeEstimator {
  readonly value: Float64Array;
  /** Error bound per component: tableau error + propagated round-off (see richardson.ts). */
  readonly error: Float64Array;
  readonly status: EstimateStatus[];
  /** Evaluations of the objective in the last `estimate`. */
  evaluations = 0;
  private readonly central: RichardsonTableau[];
  private readonly forward: RichardsonTableau[];
  private readonly backward: RichardsonTableau[];
  private readonly plus: Displacement;
  private readonly minus: Displacement;
  /** The rung being pushed to a tableau (see Rung). */
  private readonly rung = newRung();
  /** Usable rungs in a row per component (since the last non-finite or kinked rung). */
  private readonly usable: Int32Array;

  constructor(readonly components: number) {
    const tableaux = (power: number) => Array.from({ length: components }, () => new RichardsonTableau(power, CONTRACTION, MAX_RUNGS));
    this.central = tableaux(2);
    this.forward = tableaux(1);
    this.backward = tableaux(1);
    this.value = new Float64Array(components);
    this.error = new Float64Array(components);
    this.status = new Array<EstimateStatus>(components).fill('smooth');
    this.plus = newDisplacement(components);
    this.minus = newDisplacement(components);
    this.usable = new Int32Array(components);
  }

  estimate(probe: Probe): void {
    const m = this.components;
    for (let c = 0; c < m; c++) this.restart(c);
    this.evaluations = 0;
    let sawKink = false;
    const plus = this.plus;
    const minus = this.minus;
    // 2^e, e an integer: firstStep without a boxed double return (see Displacement).
    let h = 2 ** firstStepExponent(probe);
    for (let k = 0; k < MAX_RUNGS; k++, h *= CONTRACTION) {
      plus.step = h;
      probe.displace(plus);
      minus.step = -h;
      probe.displace(minus);
      const up = plus.taken;
      const down = minus.taken;
      this.evaluations += 2;
      const kinked = plus.crossedKink || minus.crossedKink;
      sawKink ||= kinked;
      const span = up - down;
      let allSettled = true;
      for (let c = 0; c < m; c++) {
        const dp = plus.delta[c]!;
        const dm = minus.delta[c]!;
        if (kinked || !Number.isFinite(dp) || !Number.isFinite(dm)) {
          this.restart(c);
          allSettled = false;
          continue;
        }
        const rp = plus.roundoff[c]!;
        const rm = minus.roundoff[c]!;
        const central = this.central[c]!;
        const rung = this.rung;
        rung.estimate = (dp - dm) / span;
        rung.roundoff = (rp + rm) / span;
        central.push(rung);
        rung.estimate = dp / up;
        rung.roundoff = rp / up;
        this.forward[c]!.push(rung);
        rung.estimate = dm / down;
        rung.roundoff = rm / -down;
        this.backward[c]!.push(rung);
        this.usable[c]!++;
        if (this.usable[c]! < MIN_RUNGS || !settled(central)) allSettled = false;
      }
      if (allSettled) break;
    }
    for (let c = 0; c < m; c++) this.conclude(c, sawKink);
  }

  private restart(c: number): void {
    this.central[c]!.reset();
    this.forward[c]!.reset();
    this.backward[c]!.reset();
    this.usable[c] = 0;
  }

  private conclude(c: number, sawKink: boolean): void {
    const forward = this.forward[c]!;
    const backward = this.backward[c]!;
    if (this.usable[c]! < MIN_RUNGS) {
      this.value[c] = Number.NaN;
      this.error[c] = Number.POSITIVE_INFINITY;
      this.status[c] = sawKink ? 'declared-kink' : 'non-finite';
      return;
    }
    this.value[c] = this.central[c]!.value;
    this.error[c] = this.central[c]!.bound;
    const disagree = Math.abs(forward.value - backward.value) > KINK_SEPARATION * (forward.bound + backward.bound);
    this.status[c] = disagree ? 'kink' : 'smooth';
  }
}

function settled(t: RichardsonTableau): boolean {
  return t.error <= Math.max(t.roundoff, SETTLED_RELATIVE_ERROR * Math.abs(t.value));
}

/** FD estimates of some entries of a gradient (all of them in full mode). */
export interface GradientEstimate {
  /** Row-major flat positions estimated, in the order asked for (ascending in full and sampled mode). */
  readonly indices: Int32Array;
  readonly value: Float64Array;
  readonly error: Float64Array;
  readonly status: EstimateStatus[];
  /** Objective evaluations spent. */
  readonly evaluations: number;
}

/** Estimates ∂f/∂x at the given flat positions (default: every entry), one coordinate at a time. */
export function estimateGradient(objective: ScalarObjective, indices?: ArrayLike<number>): GradientEstimate {
  const positions = indices ? Int32Array.from(indices) : Int32Array.from({ length: objective.size }, (_, i) => i);
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k]!;
    if (i < 0 || i >= objective.size) {
      throw new FdArgumentError('entry', `position ${i} is outside a tensor of ${objective.size} entries`, 'pass flat row-major positions in [0, size)');
    }
  }
  const n = positions.length;
  const value = new Float64Array(n);
  const error = new Float64Array(n);
  const status = new Array<EstimateStatus>(n);
  const probe = new EntryProbe(objective);
  const estimator = new DerivativeEstimator(1);
  let evaluations = 0;
  for (let k = 0; k < n; k++) {
    probe.select(positions[k]!);
    estimator.estimate(probe);
    value[k] = estimator.value[0]!;
    error[k] = estimator.error[0]!;
    status[k] = estimator.status[0]!;
    evaluations += estimator.evaluations;
  }
  return { indices: positions, value, error, status, evaluations };
}

/** `count` distinct flat positions in [0, size), uniformly at random (Floyd's algorithm), ascending. */
export function sampleEntries(size: number, count: number, rng: Rng): Int32Array {
  if (!Number.isInteger(count) || count < 0 || count > size) {
    throw new FdArgumentError('sample count', `${count} entries cannot be drawn from a tensor of ${size}`, `ask for an integer between 0 and ${size}`);
  }
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = rng.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}
