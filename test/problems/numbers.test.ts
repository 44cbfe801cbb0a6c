import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDistinct, formatFactor, formatNumber } from '../../src/problem/numbers.js';

describe('numbers in messages', () => {
  test('six significant digits by default', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(-2.5e-7)).toBe('-2.5e-7');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  test('expected and got never print alike when they differ, and each string reads back closer to its own value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -40, max: 40 }), (x, ulps) => {
        const y = ulps === 0 ? x : x + ulps * Number.EPSILON * Math.abs(x) * 64;
        const [a, b] = formatDistinct([x, y]);
        if (x === y) expect(a).toBe(b);
        else {
          expect(a).not.toBe(b);
          expect(Math.abs(Number(a) - x)).toBeLessThanOrEqual(Math.abs(Number(a) - y));
        }
      }),
      { seed: 16, numRuns: 2000 },
    );
    expect(formatDistinct([0.5301214, 0.530121])).toEqual(['0.5301214', '0.530121']);
  });

  test('a factor near a simple number prints as that number plus what it is off by, never as the number alone', () => {
    expect(formatFactor(1 + 1e-6)).toBe('1 + 1.0e-6');
    expect(formatFactor(1 - 3e-7)).toBe('1 − 3.0e-7');
    expect(formatFactor(0.5 + 2e-7)).toBe('0.5 + 2.0e-7');
    expect(formatFactor(0.5 + 2e-6)).toBe('0.500002');
    expect(formatFactor(1.0005)).toBe('1.0005');
    expect(formatFactor(0.5)).toBe('0.5');
    // FD noise below the factor's accuracy (1e-9) is not a digit of it.
    expect(formatFactor(0.5 * (1 + 1e-12))).toBe('0.5');
    expect(formatFactor(-2)).toBe('-2');
  });
});
