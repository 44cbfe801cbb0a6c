/**
 * Entries whose estimate rests on rungs where the loss did not change: f(x ± h) = f(x) to the last bit
 * for every step h of the run of rungs the estimate was built from. FD's answer for them, 0, is right when the loss is constant in the entry (softmax
 * over one class, batch normalisation of one sample) or flat around it (a dead ReLU), and says nothing
 * when the loss as computed in float64 is a staircase whose treads are wider than the step:
 * sum(1e16 + X − 1e16) moves in jumps of ulp(1e16) = 2 and is flat between them, whatever its
 * mathematical gradient.
 *
 * The loss is followed farther out, at moves h₀·4^j on both sides, to where it first changes. A
 * declared piece boundary crossed on the way (a ReLU's sign, a max's argmax) explains the change: the
 * entry is flat. Otherwise the first change is located by bisection, and the loss there is continuous
 * (a kink: a ReLU coming alive, the entry is flat around x) or jumps by more than its round-off: a
 * jump that no declared piece explains is the float64 staircase, and the entry is 'quantised'.
 * A loss that never changes up to the farthest move, or stops being finite first, is constant.
 */
import { type Displacement, type Probe, newDisplacement } from './probe.js';

/** Moves of h·FLAT_GROWTH^j from the run's largest flat step h, j = 1..FLAT_PROBES: up to 2^40·h (≈ 4e9·max(1, |x|) from h₀), past any staircase of a float64 value up to ~1e25. */
export const FLAT_PROBES = 20;
export const FLAT_GROWTH = 4;

/**
 * Bisection steps locating the first change: 2^-32 of the bracket. A continuous loss changes by its
 * slope times that width there, a jump by its full height; JUMP_FRACTION tells them apart.
 */
export const JUMP_BISECTIONS = 32;

/**
 * A change at the boundary of at least this fraction of the change at the far end of the bracket is a
 * jump. A continuous loss gives 2^-32 of the bracket's width against the change over (far end − kink),
 * below 2^-16 unless the kink lies within 2^-16 of the bracket's far end (a loss that comes alive there
 * is then undecided, never misjudged); a staircase's first jump is its whole tread, at least a quarter
 * of the change across a bracket that spans ≤ 4 treads.
 */
export const JUMP_FRACTION = 2 ** -16;

/** A jump must also exceed this many times the round-off bound of the change (ulp-level changes of a constant loss are not jumps). */
export const JUMP_SIGNIFICANCE = 4;

/** Classifies the flat components of a probe; `candidate` marks them (with `flatUpTo`, the largest step at which each was seen flat), `quantised` receives the verdict. */
export class FlatClassifier {
  readonly candidate: Uint8Array;
  readonly flatUpTo: Float64Array;
  readonly quantised: Uint8Array;
  /** Evaluations of the last `classify`. */
  evaluations = 0;
  private readonly pending: Uint8Array;
  private readonly plus: Displacement;
  private readonly minus: Displacement;
  private readonly at: Displacement;

  constructor(readonly components: number) {
    this.candidate = new Uint8Array(components);
    this.flatUpTo = new Float64Array(components);
    this.quantised = new Uint8Array(components);
    this.pending = new Uint8Array(components);
    this.plus = newDisplacement(components);
    this.minus = newDisplacement(components);
    this.at = newDisplacement(components);
  }

  /** Follows the candidates out from the smallest of their flat steps. */
  classify(probe: Probe): void {
    this.quantised.fill(0);
    this.pending.set(this.candidate);
    this.evaluations = 0;
    let start = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.components; c++) if (this.candidate[c]) start = Math.min(start, this.flatUpTo[c]!);
    let inner = start;
    for (let j = 1; j <= FLAT_PROBES; j++) {
      const outer = start * FLAT_GROWTH ** j;
      this.plus.step = outer;
      probe.displace(this.plus);
      this.minus.step = -outer;
      probe.displace(this.minus);
      this.evaluations += 2;
      // A declared piece boundary lies within reach: the changes beyond it are the model's own.
      if (this.plus.crossedKink || this.minus.crossedKink) return;
      let left = 0;
      for (let c = 0; c < this.components; c++) {
        if (!this.pending[c]) continue;
        if (outer <= this.flatUpTo[c]!) {
          left++;
          continue;
        }
        const from = Math.max(inner, this.flatUpTo[c]!);
        const dp = this.plus.delta[c]!;
        const dm = this.minus.delta[c]!;
        if (!Number.isFinite(dp) || !Number.isFinite(dm)) this.pending[c] = 0;
        else if (dp !== 0) this.settle(probe, c, 1, from, outer, dp);
        else if (dm !== 0) this.settle(probe, c, -1, from, outer, dm);
        else left++;
      }
      if (left === 0) return;
      inner = outer;
    }
  }

  /** Component c first changes between `inner` and `outer` on side `sign` (by `far` at `outer`): quantised when it jumps there. */
  private settle(probe: Probe, c: number, sign: 1 | -1, inner: number, outer: number, far: number): void {
    this.pending[c] = 0;
    let lo = inner;
    let hi = outer;
    for (let i = 0; i < JUMP_BISECTIONS; i++) {
      const mid = (lo + hi) / 2;
      this.at.step = sign * mid;
      probe.displace(this.at);
      this.evaluations++;
      if (this.at.crossedKink) return;
      if (this.at.delta[c] === 0) lo = mid;
      else hi = mid;
    }
    this.at.step = sign * hi;
    probe.displace(this.at);
    this.evaluations++;
    const jump = Math.abs(this.at.delta[c]!);
    this.quantised[c] = jump > JUMP_SIGNIFICANCE * this.at.roundoff[c]! && jump >= JUMP_FRACTION * Math.abs(far) ? 1 : 0;
  }
}
