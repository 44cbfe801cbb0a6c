import { type Rng } from '../tensor/rng.js';
import { FdArgumentError } from './errors.js';
import type { ScalarObjective } from './objective.js';
import { type Displacement, EntryProbe, type Probe, RungEvaluations, newDisplacement } from './probe.js';
import { RichardsonTableau, newRung } from './richardson.js';
import { FlatClassifier } from './flat.js';
import { CONTRACTION, MAX_RUNGS, firstStepExponent } from './step.js';


/**
 * An estimate has settled when its tableau error is below its round-off (finer rungs only add noise)
 * or below 2^-40 ≈ 9e-13 of its value: the verdict's budget (4× the bound, verdict.ts) then still
 * resolves relative errors of 1e-11, far below the 1e-6 a check must catch.
 */
export const SETTLED_RELATIVE_ERROR = 2 ** -40;

/** Three rungs at least: the first entry with an error estimate is T[2, 1] (see richardson.ts). */
export const MIN_RUNGS = 3;

/**
 * Kink test of the extrapolated estimates: the forward and backward one-sided estimates (each
 * Richardson-extrapolated, power 1) must agree within this many times the sum of their error bounds.
 * On a smooth function they differ by O(f'''·h²) while each bound is ≥ |f''|·h/2 or round-off; a kink
 * within the step makes them differ by the jump in slope, far outside.
 */
export const KINK_SEPARATION = 4;

/**
 * Kink test of the rungs, scaled to the step and to the entry's own change. The second difference
 * S(h) = f(x + h) − 2f(x) + f(x − h) of a smooth f is f''·h² + O(h⁴): a quarter of the previous rung's.
 * A kink at distance d < h gives S(h) ≈ J·(h − d) (J the jump in slope): half the previous rung's, or
 * (d between two rungs) a clean rung after a kinked one. Successive rungs S_k, S_{k−1} are consistent
 * with smoothness when |S_k − S_{k−1}/4| ≤ CURVATURE_SLACK·|S_{k−1}| + CURVATURE_NOISE·(r_k + r_{k−1}/4),
 * r the round-off bounds of the rungs' loss changes. The slack (1/16) is the h⁴ term at a relative
 * (h/scale)² of 1/4, far beyond what the fine rungs of a smooth f reach; a kink with d ≪ h deviates
 * by |S_{k−1}|/4, and one with d between rungs by more. The noise factor (2 bounds, each ≥ 6 standard
 * deviations of the noise, objective.ts) lets through kinks only where J·h ≲ 7·r, i.e. where the bias
 * J/2 they put in the central estimate is within the FD error bound r/h it carries anyway.
 * A failing pair restarts the tableaux at the newer rung, as a declared kink does: the estimate is
 * built from the rungs a kink does not reach, and an entry left with fewer than MIN_RUNGS of them is
 * a kink within the step.
 */
export const CURVATURE_SLACK = 1 / 16;
export const CURVATURE_NOISE = 2;

/** Why an estimate is (not) a plain derivative. */
export type EstimateStatus =
  /** One-sided estimates agree: the function is smooth on the ladder. */
  | 'smooth'
  /** A kink lies within the step: forward and backward estimates disagree, or no run of rungs is free of it. */
  | 'kink'
  /** A user-declared non-differentiable boundary lies within the step. */
  | 'declared-kink'
  /** f was not finite at some perturbed point. */
  | 'non-finite'
  /**
   * f did not change at any rung, but changes in jumps farther out that no declared piece explains:
   * the loss as computed in float64 is a staircase at the step's scale (flat.ts), so FD of it says
   * nothing about the gradient.
   */
  | 'quantised';

/**
 * Central differences on the ladder h_k = h₀·2^-k, Richardson-extrapolated (power 2), with forward
 * and backward differences extrapolated beside them (power 1) for the kink test. Stops once every
 * component's estimate has settled (with at least MIN_RUNGS usable rungs), or at MAX_RUNGS.
 *
 * A rung is unusable when f is not finite there (log of a negative number at a coarse step) or when
 * a declared kink lies within its step: the tableaux restart at the next, finer rung, so a boundary
 * between the finest and the coarsest step costs accuracy only on the rungs that cross it. A rung
 * whose second difference is not what a smooth f gives after the previous one (CURVATURE_SLACK) starts
 * a new run too. If fewer than MIN_RUNGS usable rungs remain, the entry is 'declared-kink', 'kink' or
 * 'non-finite'. A component that did not change at any rung is classified by flat.ts (constant,
 * locally flat, or quantised). All buffers are allocated once per estimator.
 */
export class DerivativeEstimator {
  readonly value: Float64Array;
  /** Error bound per component: tableau error + propagated round-off (see richardson.ts). */
  readonly error: Float64Array;
  /** The round-off part of `error`. */
  readonly roundoff: Float64Array;
  readonly status: EstimateStatus[];
  /** Evaluations of the objective in the last `estimate`. */
  evaluations = 0;
  private readonly central: RichardsonTableau[];
  private readonly forward: RichardsonTableau[];
  private readonly backward: RichardsonTableau[];
  /** The ladder's evaluations, and two records for displacements taken one by one (see evaluateRungs). */
  private readonly rungs: RungEvaluations;
  /** The exponent of rungs.step[0] (NaN before the first entry). */
  private stepExponent = Number.NaN;
  private readonly plus: Displacement;
  private readonly minus: Displacement;
  /** The rung being pushed to a tableau (see Rung). */
  private readonly rung = newRung();
  /** Usable rungs in a row per component (since the last non-finite or kinked rung). */
  private readonly usable: Int32Array;
  /** Second difference of the last usable rung and its round-off bound, per component. */
  private readonly curvature: Float64Array;
  private readonly curvatureRoundoff: Float64Array;
  /** Per component: a rung's curvature showed a kink; some rung of the current run changed the loss at all; the step of the run's first rung. */
  private readonly sawCurvatureKink: Uint8Array;
  private readonly moved: Uint8Array;
  private readonly runStep: Float64Array;
  private readonly flat: FlatClassifier;

  constructor(readonly components: number) {
    const tableaux = (power: number) => Array.from({ length: components }, () => new RichardsonTableau(power, CONTRACTION, MAX_RUNGS));
    this.central = tableaux(2);
    this.forward = tableaux(1);
    this.backward = tableaux(1);
    this.value = new Float64Array(components);
    this.error = new Float64Array(components);
    this.roundoff = new Float64Array(components);
    this.status = new Array<EstimateStatus>(components).fill('smooth');
    this.rungs = new RungEvaluations(components);
    this.plus = newDisplacement(components);
    this.minus = newDisplacement(components);
    this.usable = new Int32Array(components);
    this.curvature = new Float64Array(components);
    this.curvatureRoundoff = new Float64Array(components);
    this.sawCurvatureKink = new Uint8Array(components);
    this.moved = new Uint8Array(components);
    this.runStep = new Float64Array(components);
    this.flat = new FlatClassifier(components);
  }

  estimate(probe: Probe): void {
    const m = this.components;
    for (let c = 0; c < m; c++) {
      this.restart(c);
      this.sawCurvatureKink[c] = 0;
    }
    this.evaluations = 0;
    let sawKink = false;
    this.setSteps(firstStepExponent(probe));
    let evaluated = 0;
    for (let k = 0; k < MAX_RUNGS; k++) {
      // The first MIN_RUNGS rungs are always needed: one batch; then one rung at a time until settled.
      if (k === evaluated) evaluated = this.evaluateRungs(probe, k, k === 0 ? MIN_RUNGS : 1);
      const rungs = this.rungs;
      const up = rungs.up[k]!;
      const down = rungs.down[k]!;
      const kinked = rungs.crossedKink[k] === 1;
      sawKink ||= kinked;
      const span = up - down;
      let allSettled = true;
      for (let c = 0; c < m; c++) {
        const dp = rungs.plus[k * m + c]!;
        const dm = rungs.minus[k * m + c]!;
        if (kinked || !Number.isFinite(dp) || !Number.isFinite(dm)) {
          this.restart(c);
          allSettled = false;
          continue;
        }
        const rp = rungs.plusRoundoff[k * m + c]!;
        const rm = rungs.minusRoundoff[k * m + c]!;
        if (this.usable[c]! > 0 && !smoothCurvature(this.curvature[c]!, this.curvatureRoundoff[c]!, dp + dm, rp + rm)) {
          this.restart(c);
          this.sawCurvatureKink[c] = 1;
        }
        if (this.usable[c] === 0) this.runStep[c] = Math.min(up, -down);
        if (dp !== 0 || dm !== 0) this.moved[c] = 1;
        this.curvature[c] = dp + dm;
        this.curvatureRoundoff[c] = rp + rm;
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
    this.classifyFlat(probe);
  }

  /**
   * The ladder's steps h_k = 2^exponent·q^k into rungs.step. The exponent, an integer, is what crosses
   * the call (a double crossing a call V8 does not inline is boxed, see Displacement), and 2^exponent
   * is computed only when it changes: it is the same for every entry with |x| ≤ 1.
   */
  private setSteps(exponent: number): void {
    const step = this.rungs.step;
    if (exponent !== this.stepExponent) {
      this.stepExponent = exponent;
      let h = 2 ** exponent;
      for (let k = 0; k < MAX_RUNGS; k++, h *= CONTRACTION) step[k] = h;
    }
  }

  /**
   * Evaluates rungs first..first+count−1 (steps from setSteps): in one call when the probe can
   * (Probe.displaceRungs, the same bits), else one displacement at a time. Returns the next rung to evaluate.
   */
  private evaluateRungs(probe: Probe, first: number, count: number): number {
    const rungs = this.rungs;
    if (probe.displaceRungs === undefined || !probe.displaceRungs(rungs, first, count)) {
      for (let k = first; k < first + count; k++) {
        this.plus.step = rungs.step[k]!;
        probe.displace(this.plus);
        this.minus.step = -rungs.step[k]!;
        probe.displace(this.minus);
        rungs.record(k, this.plus, this.minus);
      }
    }
    this.evaluations += 2 * count;
    return first + count;
  }

  /** Components whose estimate rests on rungs where the loss did not change: constant or locally flat (0 stands), or quantised (flat.ts). */
  private classifyFlat(probe: Probe): void {
    let any = false;
    for (let c = 0; c < this.components; c++) {
      const flat = this.moved[c] === 0 && this.status[c] === 'smooth';
      this.flat.candidate[c] = flat ? 1 : 0;
      this.flat.flatUpTo[c] = this.runStep[c]!;
      any ||= flat;
    }
    if (!any) return;
    this.flat.classify(probe);
    this.evaluations += this.flat.evaluations;
    for (let c = 0; c < this.components; c++) if (this.flat.candidate[c] && this.flat.quantised[c]) this.status[c] = 'quantised';
  }

  private restart(c: number): void {
    this.central[c]!.reset();
    this.forward[c]!.reset();
    this.backward[c]!.reset();
    this.usable[c] = 0;
    this.moved[c] = 0;
  }

  private conclude(c: number, sawKink: boolean): void {
    const forward = this.forward[c]!;
    const backward = this.backward[c]!;
    if (this.usable[c]! < MIN_RUNGS) {
      this.value[c] = Number.NaN;
      this.error[c] = Number.POSITIVE_INFINITY;
      this.roundoff[c] = Number.POSITIVE_INFINITY;
      this.status[c] = sawKink ? 'declared-kink' : this.sawCurvatureKink[c] ? 'kink' : 'non-finite';
      return;
    }
    this.value[c] = this.central[c]!.value;
    this.error[c] = this.central[c]!.bound;
    this.roundoff[c] = this.central[c]!.roundoff;
    const disagree = Math.abs(forward.value - backward.value) > KINK_SEPARATION * (forward.bound + backward.bound);
    this.status[c] = disagree ? 'kink' : 'smooth';
  }
}

/** Whether a rung's second difference s (round-off bound r) follows the previous one's as a smooth f's does (CURVATURE_SLACK). */
function smoothCurvature(previous: number, previousRoundoff: number, s: number, r: number): boolean {
  return Math.abs(s - previous / 4) <= CURVATURE_SLACK * Math.abs(previous) + CURVATURE_NOISE * (r + previousRoundoff / 4);
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
  /** The round-off part of each error bound (the loss's own rounding, carried through the differences). */
  readonly roundoff: Float64Array;
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
  const roundoff = new Float64Array(n);
  const status = new Array<EstimateStatus>(n);
  const probe = new EntryProbe(objective);
  const estimator = new DerivativeEstimator(1);
  let evaluations = 0;
  for (let k = 0; k < n; k++) {
    probe.select(positions[k]!);
    estimator.estimate(probe);
    value[k] = estimator.value[0]!;
    error[k] = estimator.error[0]!;
    roundoff[k] = estimator.roundoff[0]!;
    status[k] = estimator.status[0]!;
    evaluations += estimator.evaluations;
  }
  return { indices: positions, value, error, roundoff, status, evaluations };
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
