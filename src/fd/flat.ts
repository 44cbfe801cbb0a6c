/**
 * Entries whose estimate rests on rungs where the loss did not change: f(x ± h) = f(x) to the last bit
 * for every step h of the run of rungs the estimate was built from. FD's answer for them, 0, is right when the loss is constant in the entry (softmax
 * over one class, batch normalisation of one sample) or flat around it (a dead ReLU), and says nothing
 * when the loss as computed in float64 is a staircase whose treads are wider than the step:
 * sum(1e16 + X − 1e16) moves in jumps of ulp(1e16) = 2 and is flat between them, whatever its
 * mathematical gradient.
 *
 * The loss is followed farther out, at moves h·256^j on both sides, to where it first changes. A
 * declared piece boundary crossed on the way (a ReLU's sign, a max's argmax) explains the change: the
 * entry is flat. Otherwise the first change is located by bisection. A loss that is continuous there
 * (a ReLU coming alive) is flat around x. One that jumps is followed on: a single step, after which it
 * stays put on both sides out to the farthest move (a cosine similarity of one-entry vectors is
 * sign(a)·sign(b)), is a genuine discontinuity of the function, flat around x; a loss that keeps
 * jumping is a staircase, the entry 'quantised'. A float64 staircase keeps jumping at every tread, a
 * tread width farther each time; a mathematical step function that does not declare its pieces (a
 * forward of floor(x) without them) cannot be told from it by its values, and is undecided too. A loss that never changes up to the farthest move, or stops
 * being finite first, is constant.
 */
import { type Displacement, type Probe, newDisplacement } from './probe.js';

/**
 * Moves of h·FLAT_GROWTH^j from the run's largest flat step h, j = 1..FLAT_PROBES: up to 2^40·h
 * (≈ 4e9·max(1, |x|) from h₀), past any staircase of a float64 value up to ~1e25, in 10 evaluations
 * for a loss that is constant in the entry. Factors of 256: a loss that is flat around x because a
 * declared boundary lies farther out (a max-pooling entry that is not its window's maximum, a ReLU
 * that is off) usually meets it at the first or second move, h·256 ≈ max(1, |x|) or h·2^16; with
 * factors of 16 it took two to three moves (maxpool2 FD: 9.9 → 8.5 evaluations per entry).
 */
export const FLAT_PROBES = 5;
export const FLAT_GROWTH = 256;

/**
 * Bisection steps locating the first change: 2^-32 of the bracket. A continuous loss changes by its
 * slope times that width there, a jump by its full height; JUMP_FRACTION tells them apart.
 */
export const JUMP_BISECTIONS = 32;

/**
 * A change at the boundary of at least this fraction of the change at the far end of the bracket is a
 * jump. A continuous loss gives 2^-32 of the bracket's width against the change over (far end − kink),
 * below 2^-16 unless the kink lies within 2^-16 of the bracket's far end (a loss that comes alive there
 * is then undecided, never misjudged); a staircase's first jump is its whole tread, about 1/FLAT_GROWTH
 * of the change across the bracket (inner, FLAT_GROWTH·inner] at least, far above 2^-16.
 */
export const JUMP_FRACTION = 2 ** -16;

/** A jump must also exceed this many times the round-off bound of the change (ulp-level changes of a constant loss are not jumps). */
export const JUMP_SIGNIFICANCE = 4;

/** Where a flat component stands while it is followed out. */
const enum Watch {
  /** Done, or not a candidate. */
  Off = 0,
  /** Flat so far. */
  Flat = 1,
  /** Jumped once: the changes on both sides must stay as they are now, or it is a staircase. */
  Stepped = 2,
}

/** Classifies the flat components of a probe; `candidate` marks them (with `flatUpTo`, the largest step at which each was seen flat), `quantised` receives the verdict. */
export class FlatClassifier {
  readonly candidate: Uint8Array;
  readonly flatUpTo: Float64Array;
  readonly quantised: Uint8Array;
  /** Evaluations of the last `classify`. */
  evaluations = 0;
  private readonly watch: Uint8Array;
  /** For a stepped component, its changes on each side after the jump. */
  private readonly afterPlus: Float64Array;
  private readonly afterMinus: Float64Array;
  private readonly plus: Displacement;
  private readonly minus: Displacement;
  private readonly at: Displacement;

  constructor(readonly components: number) {
    this.candidate = new Uint8Array(components);
    this.flatUpTo = new Float64Array(components);
    this.quantised = new Uint8Array(components);
    this.watch = new Uint8Array(components);
    this.afterPlus = new Float64Array(components);
    this.afterMinus = new Float64Array(components);
    this.plus = newDisplacement(components);
    this.minus = newDisplacement(components);
    this.at = newDisplacement(components);
  }

  /** Follows the candidates out from the smallest of their flat steps. */
  classify(probe: Probe): void {
    this.quantised.fill(0);
    this.evaluations = 0;
    let start = Number.POSITIVE_INFINITY;
    for (let c = 0; c < this.components; c++) {
      this.watch[c] = this.candidate[c] ? Watch.Flat : Watch.Off;
      if (this.candidate[c]) start = Math.min(start, this.flatUpTo[c]!);
    }
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
      let watching = 0;
      for (let c = 0; c < this.components; c++) {
        if (this.watch[c] !== Watch.Off) this.follow(probe, c, Math.max(inner, this.flatUpTo[c]!), outer);
        if (this.watch[c] !== Watch.Off) watching++;
      }
      if (watching === 0) return;
      inner = outer;
    }
  }

  /** One move farther out for component c, whose loss was flat (or stepped) out to `inner`. */
  private follow(probe: Probe, c: number, inner: number, outer: number): void {
    const dp = this.plus.delta[c]!;
    const dm = this.minus.delta[c]!;
    // Out of the loss's domain before anything happened: nothing said otherwise.
    if (!Number.isFinite(dp) || !Number.isFinite(dm) || outer <= this.flatUpTo[c]!) {
      if (outer > this.flatUpTo[c]!) this.watch[c] = Watch.Off;
      return;
    }
    if (this.watch[c] === Watch.Stepped) {
      const noise = JUMP_SIGNIFICANCE * (this.plus.roundoff[c]! + this.minus.roundoff[c]!);
      if (Math.abs(dp - this.afterPlus[c]!) > noise || Math.abs(dm - this.afterMinus[c]!) > noise) {
        this.quantised[c] = 1;
        this.watch[c] = Watch.Off;
      }
      return;
    }
    if (dp === 0 && dm === 0) return;
    if (!this.jumps(probe, c, dp !== 0 ? 1 : -1, inner, outer, dp !== 0 ? dp : dm)) {
      this.watch[c] = Watch.Off;
      return;
    }
    this.watch[c] = Watch.Stepped;
    this.afterPlus[c] = dp;
    this.afterMinus[c] = dm;
  }

  /**
   * Component c first changes between `inner` and `outer` on side `sign` (by `far` at `outer`):
   * whether it jumps there (true) or changes continuously (a kink: the entry is flat around x).
   */
  private jumps(probe: Probe, c: number, sign: 1 | -1, inner: number, outer: number, far: number): boolean {
    let lo = inner;
    let hi = outer;
    for (let i = 0; i < JUMP_BISECTIONS; i++) {
      const mid = (lo + hi) / 2;
      this.at.step = sign * mid;
      probe.displace(this.at);
      this.evaluations++;
      if (this.at.crossedKink) return false;
      if (this.at.delta[c] === 0) lo = mid;
      else hi = mid;
    }
    this.at.step = sign * hi;
    probe.displace(this.at);
    this.evaluations++;
    const jump = Math.abs(this.at.delta[c]!);
    return jump > JUMP_SIGNIFICANCE * this.at.roundoff[c]! && jump >= JUMP_FRACTION * Math.abs(far);
  }
}
