/**
 * Special functions on numbers, written so that no intermediate overflows or cancels: the elementwise
 * tensor ops and the formula language's functions are built from them.
 */

/** 1 / (1 + e^−x), in the branch that cannot overflow: for x < 0 it is e^x / (1 + e^x). */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^−|x|): no overflow for large x, full precision for very negative x. */
export function softplus(x: number): number {
  return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log σ(x) = −softplus(−x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637,
// as in SPECFUN's CALERF: relative error below 6e-19 in exact arithmetic on each range, so a few ulp in
// float64. Coefficients by range: erf on |x| ≤ 0.46875 (A/B), erfc on 0.46875 < |x| ≤ 4 (C/D) and on
// |x| > 4 (P/Q, an asymptotic form in 1/x²).
const ERF_A = [3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const ERF_B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const ERF_C = [0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.635138197400131, 881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8];
const ERF_D = [15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495];
const ERF_P = [0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 6.587491615298378e-4, 0.016315387137302097];
const ERF_Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];
const ERF_THRESHOLD = 0.46875;
const INV_SQRT_PI = 0.5641895835477563;

/** Cody's erfc for y = |x| > ERF_THRESHOLD, with exp(−y²) split as exp(−ỹ²)·exp(−(y − ỹ)(y + ỹ)) for accuracy (ỹ = y rounded down to 1/16). */
function erfcPositive(y: number): number {
  let r: number;
  if (y <= 4) {
    let num = ERF_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERF_C[i]!) * y;
      den = (den + ERF_D[i]!) * y;
    }
    r = (num + ERF_C[7]!) / (den + ERF_D[7]!);
  } else {
    // erfc underflows to 0 past y ≈ 26.6 (exp(−y²) < 2^−1074).
    if (y > 27) return 0;
    const z = 1 / (y * y);
    let num = ERF_P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + ERF_P[i]!) * z;
      den = (den + ERF_Q[i]!) * z;
    }
    r = (INV_SQRT_PI - (z * (num + ERF_P[4]!)) / (den + ERF_Q[4]!)) / y;
  }
  const rounded = Math.trunc(y * 16) / 16;
  return Math.exp(-rounded * rounded) * Math.exp(-(y - rounded) * (y + rounded)) * r;
}

/** erf on the small range, x·A(x²)/B(x²). */
function erfSmall(x: number): number {
  const z = x * x;
  let num = ERF_A[4]! * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]!) * z;
    den = (den + ERF_B[i]!) * z;
  }
  return (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
}

/** The error function (2/√π)∫₀ˣ e^−t² dt, to a few ulp (Cody's approximations). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return erfSmall(x);
  if (Number.isNaN(x)) return x;
  const r = 0.5 - erfcPositive(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x), without the cancellation of computing it that way for large x. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return 1 - erfSmall(x);
  if (Number.isNaN(x)) return x;
  const r = erfcPositive(y);
  return x < 0 ? 2 - r : r;
}

/** √(2/π), the scale of GELU's tanh approximation. */
const GELU_SCALE = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016; PyTorch's approximate='tanh'). */
const GELU_CUBIC = 0.044715;

/**
 * GELU, tanh approximation: ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³). Written as x·σ(2u), the same
 * function (1 + tanh(u) = 2σ(2u)), which keeps full relative precision where 1 + tanh(u) would cancel.
 */
export function gelu(x: number): number {
  return x * sigmoid(2 * GELU_SCALE * (x + GELU_CUBIC * x * x * x));
}

/** GELU, exact: x·Φ(x) = ½x·erfc(−x/√2) (erfc, not 1 + erf, so that the left tail keeps its precision). */
export function geluExact(x: number): number {
  return 0.5 * x * erfc(-x / Math.SQRT2);
}
