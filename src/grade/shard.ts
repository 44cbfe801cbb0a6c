/**
 * One part of a batch, for graders who split a class across machines (`derivcheck grade --shard i/n`):
 * the files in collection order (sorted by path), cut into n contiguous parts of sizes that differ by at
 * most one. An answer's verdict depends only on its text, its target and the seed (every sample is drawn
 * from the seed, every FD truth is a function of its sample), so the parts graded with the same seed
 * give the verdicts the whole batch gives.
 */

/** Part `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** A --shard text that is not i/n with 1 ≤ i ≤ n. */
export class ShardSpecError extends Error {
  override readonly name = 'ShardSpecError';
}

/** Reads `i/n` (both whole numbers, 1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new ShardSpecError(`'${text}' is not i/n (part i of n, e.g. 2/4)`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) throw new ShardSpecError(`'${text}' asks for part ${index} of ${count}: i must be in 1..n, and n at least 1`);
  return { index, count };
}

/** The files of `shard`: the index-th of `count` contiguous parts, in order. */
export function shardOf<T>(files: readonly T[], shard: Shard): T[] {
  const start = Math.floor(((shard.index - 1) * files.length) / shard.count);
  const end = Math.floor((shard.index * files.length) / shard.count);
  return files.slice(start, end);
}
