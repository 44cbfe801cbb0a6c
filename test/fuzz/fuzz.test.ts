/**
 * The grammar fuzz of the formula pipeline (issue 20): about 24,000 generated formulas in `npm test`,
 * ten times as many in `npm run fuzz`, under the default limits. It fails on any untyped error, any
 * reading that does not parse back to its tree, any shape mismatch the checker let through, any formula
 * over 2 s of CPU time and a fuzz process over 1 GB (it runs in a process of its own).
 *
 * Seeded: `npm test` uses a fixed seed, `npm run fuzz` a fresh one; FUZZ_SEED=<n> repeats a run. The
 * seed is printed first, and fast-check prints the seed and path of any failure with its shrunk formula.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LATEX_VALID, VALID, alphabetText, freeFormula, hostileFormula, latexFormula, mutatedFormula, mutatedLatex, resourceFormula, substitutedFormula, typedFormula } from './grammar.js';
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

/** Per test: the CI runs take seconds; ten times as many may take minutes on a loaded machine. */
const TIMEOUT_MS = LONG ? 900_000 : 120_000;
/** `n` runs, as the test names say them. */
const runs = (n: number) => (n * SCALE).toLocaleString('en-US');

const share = (counts: Map<Outcome, number>, o: Outcome) => (counts.get(o) ?? 0) / [...counts.values()].reduce((a, b) => a + b, 0);

describe('any formula gives a value or a typed FormulaError, within 2 s, and its reading parses back', () => {
  test(`shape-directed formulas (${runs(6000)}): most check and evaluate`, () => {
    expect(share(fuzz(1, typedFormula, 6000), 'value')).toBeGreaterThan(0.6);
  }, TIMEOUT_MS);

  test(`free formulas over the whole syntax (${runs(5000)})`, () => {
    fuzz(2, freeFormula, 5000);
  }, TIMEOUT_MS);

  test(`hostile formulas (${runs(600)}): mostly refused with a LimitExceededError, all with a typed error`, () => {
    expect(share(fuzz(3, hostileFormula, 600), 'LimitExceededError')).toBeGreaterThan(0.5);
  }, TIMEOUT_MS);

  test(`heavy work and memory on either side of the limits (${runs(300)}): refused before it runs, or run within 2 s and 1 GB`, () => {
    const counts = fuzz(11, resourceFormula, 300);
    // Both sides of the limits are met: most are refused by their price, and some run.
    expect(share(counts, 'LimitExceededError')).toBeGreaterThan(0.3);
    expect(share(counts, 'value')).toBeGreaterThan(0.1);
  }, TIMEOUT_MS);

  test(`LaTeX formulas (${runs(2000)})`, () => {
    expect(share(fuzz(4, latexFormula, 2000, 'latex'), 'value')).toBeGreaterThan(0.2);
  }, TIMEOUT_MS);

  test(`mutated and substituted valid formulas (${runs(6000)}), mutated LaTeX (${runs(1000)})`, () => {
    expect(share(fuzz(5, mutatedFormula, 4000), 'value')).toBeGreaterThan(0.05);
    fuzz(6, substitutedFormula, 2000);
    fuzz(7, mutatedLatex, 1000, 'latex');
  }, TIMEOUT_MS);

  test(`text over the formula alphabet (${runs(2000)}) and any unicode, as formula and LaTeX (${runs(500)} each)`, () => {
    fuzz(8, alphabetText, 2000);
    fuzz(9, fc.string({ unit: 'grapheme', maxLength: 30 }), 500);
    fuzz(10, fc.string({ unit: 'grapheme', maxLength: 30 }), 500, 'latex');
  }, TIMEOUT_MS);

  test('every valid seed of the mutations evaluates', () => {
    for (const text of VALID) expect(outcome(text), text).toBe('value');
    for (const text of LATEX_VALID) expect(outcome(text, 'latex'), text).toBe('value');
  });
});
