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
  /**
   * Rows k−1 and k of the tableau (values, round-off bounds): row k at offset (k mod 2)·capacity, so that
   * a push alternates between the two halves instead of swapping array references (stores of references
   * into an object carry V8's write barrier, twelve of them per rung of every entry).
   */
  private readonly rows: Float64Array;
  private readonly rowsRoundoff: Float64Array;
  private readonly capacity: number;
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
    this.rows = new Float64Array(2 * capacity);
    this.rowsRoundoff = new Float64Array(2 * capacity);
    this.capacity = capacity;
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
    const row = this.rows;
    const rowR = this.rowsRoundoff;
    // Row k at cur, row k − 1 at prev.
    const cur = (k & 1) * this.capacity;
    const prev = this.capacity - cur;
    row[cur] = estimate;
    rowR[cur] = roundoff;
    let c = this.ratio;
    for (let j = 1; j <= k; j++, c *= this.ratio) {
      row[cur + j] = row[cur + j - 1]! + (row[cur + j - 1]! - row[prev + j - 1]!) / (c - 1);
      rowR[cur + j] = (c * rowR[cur + j - 1]! + rowR[prev + j - 1]!) / (c - 1);
    }
    if (this.error === Number.POSITIVE_INFINITY) {
      this.value = estimate;
      this.roundoff = roundoff;
    }
    for (let j = 1; j < k; j++) {
      const e = Math.max(Math.abs(row[cur + j]! - row[prev + j - 1]!), Math.abs(row[cur + j]! - row[prev + j]!));
      // `<=`: on an exact ladder (a quadratic) every e is 0 and the latest, highest order wins.
      if (e <= this.error) {
        this.value = row[cur + j]!;
        this.error = e;
        this.roundoff = rowR[cur + j]!;
      }
    }
  }

  /** The error bound callers should use: tableau error plus round-off. */
  get bound(): number {
    return this.error + this.roundoff;
  }
}
