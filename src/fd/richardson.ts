/**
 * Richardson extrapolation with a Neville–Aitken tableau, after Richardson.jl's `extrapolate` (used by
 * FiniteDifferences.jl's `extrapolate_fdm`) and Ridders' method (Numerical Recipes, `dfridr`).
 *
 * Model: an estimate computed with step h is A(h) = A₀ + a₁·h^p + a₂·h^(2p) + … (p = `power`:
 * 2 for the central difference, whose error has only even powers; 1 for one-sided differences).
 * The ladder is h_k = h₀·q^k (q = `contraction`). With c = q^(-p), entry j of row k eliminates the
 * h^(jp) term:  T[k, j] = T[k, j−1] + (T[k, j−1] − T[k−1, j−1]) / (c^j − 1),  T[k, 0] = A(h_k).
 *
 * Error model: in the asymptotic regime the difference between T[k, j] and a less accurate estimate
 * bounds T[k, j]'s error. Richardson.jl and Ridders compare with the lower-order T[k−1, j−1] only;
 * on a coarse ladder (f varying on a scale below h₀) two such estimates can agree by accident (in our
 * tests a 1.2% error on a sigmoid MLP was reported as 0.1%). We also require agreement with the
 * same-order estimate of the previous row, T[k−1, j]:
 *     e[k, j] = max(|T[k, j] − T[k−1, j−1]|, |T[k, j] − T[k−1, j]|),
 * so 1 ≤ j ≤ k−1 (three rungs at least) and an accident needs two coincidences. The reported value is
 * the entry with the smallest e seen so far. Round-off is carried beside the values: rung k brings an
 * absolute bound r_k, and an entry's bound combines its parents' with absolute weights,
 * r[k, j] = (c^j·r[k, j−1] + r[k−1, j−1]) / (c^j − 1). Differences at round-off level say nothing about
 * truncation, so callers use `error + roundoff`.
 */
/**
 * One rung's estimate A(h_k) with the absolute bound on its round-off. `push` takes it by reference,
 * not as two numbers: V8 boxes a double passed to a call it does not inline, and pushes run three
 * times per rung of every entry (estimate.ts).
 */
export interface Rung {
  estimate: number;
  roundoff: number;
}

export function newRung(): Rung {
  return { estimate: Number.NaN, roundoff: Number.NaN };
}

export class RichardsonTableau {
  /** Rows k−1 and k of the tableau (values, round-off bounds), swapped after each push. */
  private previous: Float64Array;
  private current: Float64Array;
  private previousRoundoff: Float64Array;
  private currentRoundoff: Float64Array;
  private readonly ratio: number;
  /** Number of rungs pushed since the last reset. */
  rungs = 0;
  /** Best estimate so far (the finest plain difference until an extrapolated entry is available). */
  value = Number.NaN;
  /** Error estimate of `value` (∞ until three rungs are in). */
  error = Number.POSITIVE_INFINITY;
  /** Round-off bound of `value`. */
  roundoff = 0;

  constructor(
    readonly power: number,
    readonly contraction: number,
    capacity: number,
  ) {
    this.previous = new Float64Array(capacity);
    this.current = new Float64Array(capacity);
    this.previousRoundoff = new Float64Array(capacity);
    this.currentRoundoff = new Float64Array(capacity);
    this.ratio = contraction ** -power;
  }

  reset(): void {
    this.rungs = 0;
    this.value = Number.NaN;
    this.error = Number.POSITIVE_INFINITY;
    this.roundoff = 0;
  }

  /** Adds the estimate A(h_k) of the next, finer rung with its absolute round-off bound. */
  push(rung: Rung): void {
    const { estimate, roundoff } = rung;
    const k = this.rungs++;
    const prev = this.previous;
    const cur = this.current;
    const prevR = this.previousRoundoff;
    const curR = this.currentRoundoff;
    cur[0] = estimate;
    curR[0] = roundoff;
    let c = this.ratio;
    for (let j = 1; j <= k; j++, c *= this.ratio) {
      cur[j] = cur[j - 1]! + (cur[j - 1]! - prev[j - 1]!) / (c - 1);
      curR[j] = (c * curR[j - 1]! + prevR[j - 1]!) / (c - 1);
    }
    if (this.error === Number.POSITIVE_INFINITY) {
      this.value = estimate;
      this.roundoff = roundoff;
    }
    for (let j = 1; j < k; j++) {
      const e = Math.max(Math.abs(cur[j]! - prev[j - 1]!), Math.abs(cur[j]! - prev[j]!));
      // `<=`: on an exact ladder (a quadratic) every e is 0 and the latest, highest order wins.
      if (e <= this.error) {
        this.value = cur[j]!;
        this.error = e;
        this.roundoff = curR[j]!;
      }
    }
    this.previous = cur;
    this.current = prev;
    this.previousRoundoff = curR;
    this.currentRoundoff = prevR;
  }

  /** The error bound callers should use: tableau error plus round-off. */
  get bound(): number {
    return this.error + this.roundoff;
  }
}
