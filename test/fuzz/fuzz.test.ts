/**
 * The grammar fuzz of the formula pipeline (issue 20): about 23,000 generated formulas in `npm test`,
 * ten times as many in `npm run fuzz`. It fails on any untyped error, any reading that does not parse
 * back to its tree, any shape mismatch the checker let through, any formula over 2 s and a process
 * over 1 GB.
 *
 * Seeded: `npm test` uses a fixed seed, `npm run fuzz` a fresh one; FUZZ_SEED=<n> repeats a run. The
 * seed is printed first, and fast-check prints the seed and path of any failure with its shrunk formula.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LATEX_VALID, VALID, alphabetText, freeFormula, hostileFormula, latexFormula, mutatedFormula, mutatedLatex, substitutedFormula, typedFormula } from './grammar.js';
import { type Outcome, assertMemory, outcome } from './pipeline.js';

/** `vitest run --mode fuzz` (npm run fuzz; vitest sets MODE) runs every property ten times as long. */
const LONG = process.env['MODE'] === 'fuzz';
const SCALE = LONG ? 10 : 1;
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : LONG ? Math.floor(Math.random() * 2 ** 31) : 20_2024;

beforeAll(() => {
  console.log(`formula fuzz: seed ${SEED} (repeat with FUZZ_SEED=${SEED}), ${SCALE}× the CI runs`);
});
afterEach(() => assertMemory());

/** Runs `runs` cases of `arbitrary` through the pipeline (the k-th property gets seed SEED + k); returns the outcome counts. */
function fuzz(k: number, arbitrary: fc.Arbitrary<string>, runs: number, syntax: 'formula' | 'latex' = 'formula'): Map<Outcome, number> {
  const counts = new Map<Outcome, number>();
  let n = 0;
  fc.assert(
    fc.property(arbitrary, (text) => {
      const o = outcome(text, syntax);
      counts.set(o, (counts.get(o) ?? 0) + 1);
      if (++n % 1000 === 0) assertMemory();
    }),
    { seed: SEED + k, numRuns: runs * SCALE, verbose: true },
  );
  return counts;
}

const share = (counts: Map<Outcome, number>, o: Outcome) => (counts.get(o) ?? 0) / [...counts.values()].reduce((a, b) => a + b, 0);

describe('any formula gives a value or a typed FormulaError, within 2 s, and its reading parses back', () => {
  test('shape-directed formulas (6,000): most check and evaluate', () => {
    expect(share(fuzz(1, typedFormula, 6000), 'value')).toBeGreaterThan(0.6);
  });

  test('free formulas over the whole syntax (5,000)', () => {
    fuzz(2, freeFormula, 5000);
  });

  test('hostile formulas (600): each is refused with a LimitExceededError or another typed error', () => {
    const counts = fuzz(3, hostileFormula, 600);
    expect(share(counts, 'LimitExceededError')).toBeGreaterThan(0.5);
  });

  test('LaTeX formulas (2,000)', () => {
    expect(share(fuzz(4, latexFormula, 2000, 'latex'), 'value')).toBeGreaterThan(0.2);
  });

  test('mutated and substituted valid formulas (6,000), mutated LaTeX (1,000)', () => {
    expect(share(fuzz(5, mutatedFormula, 4000), 'value')).toBeGreaterThan(0.05);
    fuzz(6, substitutedFormula, 2000);
    fuzz(7, mutatedLatex, 1000, 'latex');
  });

  test('text over the formula alphabet (2,000) and any unicode, as formula and LaTeX (500 each)', () => {
    fuzz(8, alphabetText, 2000);
    fuzz(9, fc.string({ unit: 'grapheme', maxLength: 30 }), 500);
    fuzz(10, fc.string({ unit: 'grapheme', maxLength: 30 }), 500, 'latex');
  });

  test('every valid seed of the mutations evaluates', () => {
    for (const text of VALID) expect(outcome(text), text).toBe('value');
    for (const text of LATEX_VALID) expect(outcome(text, 'latex'), text).toBe('value');
  });
});
