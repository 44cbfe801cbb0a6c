/**
 * Numbers in words for people: six significant digits by default, more where fewer would hide a
 * difference. Two values that differ never print alike, and a factor of 1 + 1e-6 never prints as 1.
 */

/** Significant digits by default: enough to read, few enough to scan a column. */
export const DEFAULT_DIGITS = 6;

/** The most a double needs to print exactly (17 significant digits round-trip every float64). */
const MAX_DIGITS = 17;

/** x to `digits` significant digits, without trailing zeros ('0.5', '-1.25e-7', 'NaN'). */
export function formatNumber(x: number, digits = DEFAULT_DIGITS): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);
}

/**
 * Values side by side (expected and got, a row of a table), all to the same number of significant
 * digits: six, or the fewest above six at which values that differ print differently (0.530121
 * against 0.5301214 prints as 0.530121 and 0.5301214, not twice 0.530121).
 */
export function formatDistinct(values: readonly number[]): string[] {
  const distinct = (digits: number) => {
    const printed = values.map((v) => formatNumber(v, digits));
    return values.every((v, i) => values.every((w, j) => Object.is(v, w) || printed[i] !== printed[j])) ? printed : undefined;
  };
  for (let digits = DEFAULT_DIGITS; digits < MAX_DIGITS; digits++) {
    const printed = distinct(digits);
    if (printed) return printed;
  }
  return values.map((v) => formatNumber(v, MAX_DIGITS));
}

/**
 * Relative accuracy a factor is known to by default. A factor fitted to FD values (mistake.ts) is
 * accurate to about their error bars, ~1e-10 of the values: digits below 1e-9 are noise, not evidence.
 */
export const FACTOR_ACCURACY = 1e-9;

/** Significant digits of a simple number, the kind a factor is near: 1, 0.5, 2, 0.25. */
const SIMPLE_DIGITS = 3;

/**
 * A factor c in words, to the digits its accuracy supports: '0.5', '-2', '0.123457', and for a factor
 * within 1e-6 of a simple number r, 'r + δ': '1 + 1.0e-6', '0.5 − 3.0e-7' (never '1' for 1.000001).
 */
export function formatFactor(c: number, accuracy = FACTOR_ACCURACY): string {
  if (!Number.isFinite(c)) return String(c);
  const tolerance = accuracy * Math.abs(c);
  const rounded = Number(c.toPrecision(DEFAULT_DIGITS));
  if (Math.abs(rounded - c) <= tolerance) {
    for (let digits = 1; digits <= DEFAULT_DIGITS; digits++) {
      const shorter = Number(c.toPrecision(digits));
      if (Math.abs(shorter - c) <= tolerance) return shorter.toString();
    }
  }
  const simple = Number(c.toPrecision(SIMPLE_DIGITS));
  if (simple === rounded) {
    const delta = c - simple;
    return `${simple} ${delta < 0 ? '−' : '+'} ${Math.abs(delta).toExponential(1)}`;
  }
  for (let digits = DEFAULT_DIGITS + 1; digits < MAX_DIGITS; digits++) {
    const longer = Number(c.toPrecision(digits));
    if (Math.abs(longer - c) <= tolerance) return longer.toString();
  }
  return c.toString();
}
