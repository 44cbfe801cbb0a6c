/** How the class reports (text summary, HTML index) write their figures and quote feedback. */

/** Points with at most two decimals (the mean of 3 answers is 0.67); '–' for no value (a mean over no answers). */
export function formatPoints(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(2))) : '–';
}

/** A share as a whole percentage. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** `text` on one line, cut to `chars` with an ellipsis: the report quotes, the answer's page has all of it. */
export function quoteText(text: string, chars: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > chars ? `${flat.slice(0, chars - 1)}…` : flat;
}
