/** Scores as reports print them (its own module: the browser playground grades with it, and it loads nothing). */

/** Partial scores are rounded to 1e-4 of a point, so that reports print the same number the JSON holds. */
const SCORE_DECIMALS = 4;

/** A score rounded to SCORE_DECIMALS. */
export function roundScore(score: number): number {
  return Math.round(score * 10 ** SCORE_DECIMALS) / 10 ** SCORE_DECIMALS;
}
