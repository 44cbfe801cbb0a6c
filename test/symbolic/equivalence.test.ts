import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  ScalarExpression,
  SymbolicArgumentError,
  VariableSpace,
  type VariableSpaceSpec,
  decideEquivalence,
  decideEquivalenceOf,
  defaultEngines,
  proveRoot,
  rationalNormalFormSimplifier,
} from '../../src/symbolic/index.js';
import { FC_OPTIONS, NAMES, commuted, text, tree } from './arbitraries.js';

function decide(reference: string, claim: string, spec: VariableSpaceSpec, seed = 1) {
  return decideEquivalenceOf(reference, claim, spec, { seed });
}

describe('decideEquivalence', () => {
  test('an identity an engine reduces to 0 is proven, and the report says the symbolic path decided', () => {
    const report = decide('x * (1 - x)', 'x - x^2', { variables: ['x'] });
    expect(report).toMatchObject({ status: 'proven', equivalent: true, decidedBy: 'symbolic', simplifiedBy: 'rational normal form', residue: '0' });
    expect(report.numeric.points).toBeGreaterThanOrEqual(20);
  });

  test('a wrong claim is refuted with a point where the difference is what algebra says it is', () => {
    const report = decide('x * (1 - x)', 'x * (1 + x)', { variables: ['x'] });
    expect(report).toMatchObject({ status: 'refuted', equivalent: false, decidedBy: 'numeric' });
    const { point, difference } = report.counterexample!;
    expect(difference).toBeCloseTo(-2 * point.x! ** 2, 14);
  });

  test('an identity no engine reduces is undecided symbolically and settled numerically', () => {
    const report = decide('log(x * y)', 'log(x) + log(y)', { variables: ['x', 'y'], domains: { x: { kind: 'positive' }, y: { kind: 'positive' } } });
    expect(report).toMatchObject({ status: 'undecided', equivalent: true, decidedBy: 'numeric', simplifiedBy: null });
    expect(report.residue).not.toBe('0');
  });

  test('a side condition is substituted before the residue is reduced', () => {
    const spec = { variables: ['p1', 'p2'], conditions: [{ variable: 'p2', equals: '1 - p1', statement: 'p1 + p2 = 1' }] };
    expect(decide('p1 + p2', '1', spec).status).toBe('proven');
    expect(decide('p1 + p2', '1', { variables: ['p1', 'p2'] }).status).toBe('refuted');
  });

  test('expressions undefined at every point are undecided even when an engine calls them equal', () => {
    const report = decide('log(-exp(x))', 'log(-exp(x))', { variables: ['x'] });
    expect(report).toMatchObject({ status: 'undecided', equivalent: null });
    expect(report.numeric.outcome).toBe('undefined');
  });

  test('the same seed gives the same report', () => {
    const a = decide('x * (1 - x)', 'x * (1 + x)', { variables: ['x'] }, 9);
    const b = decide('x * (1 - x)', 'x * (1 + x)', { variables: ['x'] }, 9);
    expect(a).toEqual(b);
  });

  test('never refutes an expression against its commuted copy, never proves one against a perturbed copy', () => {
    const space = new VariableSpace({ variables: NAMES });
    const engines = { ...defaultEngines, simplifiers: [rationalNormalFormSimplifier] };
    const perturbation = fc.double({ min: 0.01, max: 5, noNaN: true });
    fc.assert(
      fc.property(tree, perturbation, (t, c) => {
        const e = ScalarExpression.parse(text(t), NAMES);
        const same = decideEquivalence(e, ScalarExpression.parse(text(commuted(t)), NAMES), space, { engines });
        expect(same.status).not.toBe('refuted');
        const other = decideEquivalence(e, ScalarExpression.parse(`(${text(commuted(t))}) + ${c} * x`, NAMES), space, { engines });
        expect(other.status).not.toBe('proven');
      }),
      { ...FC_OPTIONS, numRuns: 60 },
    );
  });
});

describe('proveRoot', () => {
  const quadratic = { kind: 'root', name: 'w^2 = 2', statement: 'd/dh (h w^2 / 2) = 1 at w = √2', forward: 'h * w^2 / 2', wrt: 'h', space: { variables: ['h', 'w'] }, at: { h: 0 }, equals: 1, unknown: 'w' } as const;

  test('a claim that is one of several exact roots is undecided (the claim is not the unique answer)', () => {
    const report = proveRoot({ ...quadratic, claim: 'sqrt(2)' });
    expect(report).toMatchObject({ status: 'undecided', equivalent: null });
    expect(report.summary).toContain('sqrt(2), -sqrt(2)');
  });

  test('a claim that is no root is refuted with the value of the equation there', () => {
    const report = proveRoot({ ...quadratic, claim: '1.5' });
    expect(report.status).toBe('refuted');
    expect(report.counterexample).toMatchObject({ point: { w: 1.5 }, reference: 1, claim: 1.5 ** 2 / 2 });
  });

  test('an approximate root of a transcendental equation does not prove the exact claim', () => {
    const report = proveRoot({ kind: 'root', name: 'e^w = 2', statement: 'd/dh (h e^w) = 2 at w = ln 2', forward: 'h * exp(w)', wrt: 'h', space: { variables: ['h', 'w'] }, at: { h: 1 }, equals: 2, unknown: 'w', claim: 'log(2)' });
    expect(report).toMatchObject({ status: 'undecided', equivalent: true, decidedBy: 'numeric' });
  });

  test('refuses an obligation that leaves a variable unfixed', () => {
    expect(() => proveRoot({ ...quadratic, space: { variables: ['h', 'w', 'z'] }, claim: '1' })).toThrow(SymbolicArgumentError);
  });
});
