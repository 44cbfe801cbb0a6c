import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/tensor/index.js';
import { SPOT_CHECK_RELATIVE_TOLERANCE, ScalarExpression, SymbolicArgumentError, SymbolicExpressionError, VariableSpace, describePoint, spotCheck } from '../../src/symbolic/index.js';

const SIMPLEX = {
  variables: ['p1', 'p2', 'p3'],
  domains: { p1: { kind: 'uniform', lo: 0, hi: 1 / 3 }, p2: { kind: 'uniform', lo: 0, hi: 1 / 3 } },
  conditions: [{ variable: 'p3', equals: '1 - (p1 + p2)', statement: 'sum p = 1' }],
} as const;

describe('VariableSpace', () => {
  test('draws points that satisfy the side condition and respect the domains', () => {
    const space = new VariableSpace(SIMPLEX);
    const rng = new Rng(11);
    const out = new Float64Array(3);
    for (let k = 0; k < 200; k++) {
      const [p1, p2, p3] = space.draw(rng, out);
      expect(p1).toBeGreaterThanOrEqual(0);
      expect(p2).toBeLessThan(1 / 3);
      expect(p3).toBe(1 - (p1! + p2!));
      expect(p3).toBeGreaterThan(1 / 3 - 1e-15);
    }
  });

  test('substitutes the condition into expressions, and withoutConditions frees every variable', () => {
    const space = new VariableSpace(SIMPLEX);
    const e = space.condition(ScalarExpression.parse('p1 + p2 + p3', space.variables));
    expect([...e.symbols()].sort()).toEqual(['p1', 'p2']);
    expect(space.withoutConditions().conditions).toEqual([]);
  });

  test('the same seed draws the same points', () => {
    const space = new VariableSpace({ variables: ['x', 'y'], domains: { y: { kind: 'positive' } } });
    const a = space.draw(new Rng(5), new Float64Array(2));
    const b = space.draw(new Rng(5), new Float64Array(2));
    expect(a).toEqual(b);
    expect(a[1]).toBeGreaterThan(0);
  });

  test.each([
    [{ variables: ['x'], domains: { y: { kind: 'normal' } } }, SymbolicArgumentError],
    [{ variables: ['x'], domains: { x: { kind: 'uniform', lo: 1, hi: 1 } } }, SymbolicArgumentError],
    [{ variables: ['x'], conditions: [{ variable: 'y', equals: '1', statement: 'y = 1' }] }, SymbolicArgumentError],
    [{ variables: ['x', 'y', 'z'], conditions: [{ variable: 'y', equals: '1 - z', statement: '' }, { variable: 'z', equals: '1 - x', statement: '' }] }, SymbolicArgumentError],
    [{ variables: ['x', 'y'], conditions: [{ variable: 'y', equals: '1 - q', statement: '' }] }, SymbolicExpressionError],
  ] as const)('refuses an inconsistent space %#', (spec, error) => {
    expect(() => new VariableSpace(spec)).toThrow(error);
  });
});

describe('spotCheck', () => {
  const space = new VariableSpace({ variables: ['x'] });
  const parse = (t: string) => ScalarExpression.parse(t, ['x']);

  test('agrees on equal expressions written differently, within the tolerance relative to the largest intermediate', () => {
    const check = spotCheck(parse('exp(x) * exp(x)'), parse('exp(2 * x)'), space, 1);
    expect(check.outcome).toBe('agree');
    expect(check.points).toBe(24);
    expect(Math.abs(check.closest!.difference)).toBeLessThanOrEqual(check.closest!.tolerance);
  });

  test('rejects a change of 1e-9 relative, far above round-off', () => {
    const check = spotCheck(parse('x + 1'), parse('(x + 1) * (1 + 1e-9)'), space, 1);
    expect(check.outcome).toBe('differ');
    expect(check.counterexample!.tolerance).toBeLessThan(1e-9 * Math.max(1, Math.abs(check.counterexample!.reference)));
  });

  test('a point where only one side is defined is a difference', () => {
    const check = spotCheck(parse('sqrt(x^2)'), parse('sqrt(x)'), new VariableSpace({ variables: ['x'], domains: { x: { kind: 'uniform', lo: -2, hi: -1 } } }), 1);
    expect(check.outcome).toBe('differ');
    expect(Number.isNaN(check.counterexample!.difference)).toBe(true);
  });

  test('skips points where both sides are undefined, and says so when that is most of them', () => {
    const negative = new VariableSpace({ variables: ['x'], domains: { x: { kind: 'uniform', lo: -2, hi: -1 } } });
    const check = spotCheck(parse('log(x)'), parse('log(x)'), negative, 1);
    expect(check.outcome).toBe('undefined');
    expect(check.skipped).toBeGreaterThan(24);
  });

  test('the tolerance is about 1e-12 of the scale, as the issue asks', () => {
    expect(SPOT_CHECK_RELATIVE_TOLERANCE).toBeGreaterThan(5e-13);
    expect(SPOT_CHECK_RELATIVE_TOLERANCE).toBeLessThan(2e-12);
  });

  test('describePoint names every variable and both values', () => {
    const line = describePoint({ point: { x: 0.5, y: -1 }, reference: 1, claim: 2, difference: -1, tolerance: 1e-12 }, { reference: 'FD estimate', claim: 'claim' });
    expect(line).toBe('x = 0.5, y = -1: FD estimate 1, claim 2 (difference -1, tolerance 1.0e-12)');
  });
});
