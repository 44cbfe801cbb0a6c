/** Levenshtein distance (insertions, deletions, substitutions), with a case-only difference costing half. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  const cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const substitution = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 0.5 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + substitution);
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j]!;
  }
  return prev[b.length]!;
}

/** Most names offered for an unknown one. */
const MAX_SUGGESTIONS = 3;

/**
 * Candidates within a third of the name's length in edit distance (at least 1), keeping some of the
 * name (a one-letter name only matches by case: `x` → X, never `x` → B): `dy` → dY, `softmx` →
 * softmax, `Wt` → W. Closest first, then alphabetical.
 */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const budget = Math.max(1, Math.floor(name.length / 3));
  const scored: [string, number][] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const d = editDistance(name, c);
    if (d <= budget && d < name.length) scored.push([c, d]);
  }
  scored.sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
  return scored.slice(0, MAX_SUGGESTIONS).map(([c]) => c);
}
