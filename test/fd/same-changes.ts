import { expect } from 'vitest';
import { type GraphObjective, SparseChange, newLossChange } from '../../src/fd/index.js';
import type { Rng } from '../../src/tensor/rng.js';

/**
 * Moves the incremental and the full objective by the same random move (one entry, a few, or all of
 * them, at distinct positions) and requires the loss changes to agree within the sum of their own
 * round-off bounds.
 */
export function expectSameChanges(incremental: GraphObjective, full: GraphObjective, rng: Rng) {
  expect(incremental.incremental).toBe(true);
  expect(full.incremental).toBe(false);
  const a = newLossChange();
  const b = newLossChange();
  for (const count of [1, 1, 1, Math.min(3, incremental.size), incremental.size]) {
    const move = new SparseChange(count);
    const start = rng.int(0, incremental.size - count);
    for (let k = 0; k < count; k++) {
      // A displacement x + δ can represent, with the ε·|δ| slack the engine's own moves carry.
      const x = incremental.valueAt(start + k);
      const delta = x + rng.normal() * 1e-3 - x;
      move.push(start + k, delta, Number.EPSILON * Math.abs(delta));
    }
    incremental.change(move, a);
    full.change(move, b);
    expect(Math.abs(a.delta - b.delta)).toBeLessThanOrEqual(a.roundoff + b.roundoff);
  }
}
