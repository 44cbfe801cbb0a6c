/**
 * Scalar expansions of small vectors and matrices, as expression text: the forward computations and the
 * closed forms of the problem modules written out entry by entry at fixed sizes (n = m = k = 2, K = 2..5),
 * so that the symbolic leg can differentiate and compare them as scalars. Entries are named as in course
 * notation: vector z → z1..zK, vector b1 → b1_1, b1_2; matrix W → W_11, W_12, …; matrix W1 → W1_11, ….
 */

/** Entry i (1-based) of a vector: z3, or b1_3 when the name ends in a digit. */
export function vectorEntry(name: string, i: number): string {
  return /\d$/.test(name) ? `${name}_${i}` : `${name}${i}`;
}

export function vectorNames(name: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => vectorEntry(name, i + 1));
}

/** Entries of a rows×cols matrix, row-major: W_11, W_12, … (sizes here are below 10, so ij is unambiguous). */
export function matrixNames(name: string, rows: number, cols: number): string[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => `${name}_${i + 1}${j + 1}`));
}

/** Σ terms, each parenthesised. */
export function sum(terms: readonly string[]): string {
  return terms.map((t) => `(${t})`).join(' + ');
}

/** Π factors, each parenthesised. */
export function product(...factors: readonly string[]): string {
  return factors.map((f) => `(${f})`).join(' * ');
}

export function sigmoid(u: string): string {
  return `1 / (1 + exp(-(${u})))`;
}

/** σ'(u) written as σ(u)(1 − σ(u)), the closed form the modules state. */
export function sigmoidPrimeAsProduct(u: string): string {
  return product(sigmoid(u), `1 - ${sigmoid(u)}`);
}

/** W x + b, entry by entry. */
export function affine(W: readonly (readonly string[])[], x: readonly string[], b: readonly string[]): string[] {
  return W.map((row, i) => sum([...row.map((w, j) => product(w, x[j]!)), b[i]!]));
}

/** Wᵀ v, entry by entry: (Wᵀ v)_j = Σ_i W_ij v_i. */
export function transposeTimes(W: readonly (readonly string[])[], v: readonly string[]): string[] {
  return W[0]!.map((_, j) => sum(W.map((row, i) => product(row[j]!, v[i]!))));
}

/** a bᵀ, entry by entry. */
export function outer(a: readonly string[], b: readonly string[]): string[][] {
  return a.map((ai) => b.map((bj) => product(ai, bj)));
}

export function flatten(m: readonly (readonly string[])[]): string[] {
  return m.flat();
}
