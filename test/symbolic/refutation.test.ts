/**
 * Wrong closed forms are refuted with a point, and the numbers at that point are the ones an independent
 * computation (written here) gives.
 */
import { describe, expect, test } from 'vitest';
import { type SymbolicClaim, type DerivativeClaim, proveClaim, symbolicFactFor } from '../../src/symbolic/index.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const S = (u: string) => `1 / (1 + exp(-(${u})))`;

function derivativeClaims(problem: string, target: string): DerivativeClaim[] {
  return symbolicFactFor(problem, target)!.claims() as DerivativeClaim[];
}

describe('wrong claims are refuted with the point that shows it', () => {
  test("sigmoid' = σ(1 + σ): the difference is σ(1 − σ) − σ(1 + σ) = −2σ²", () => {
    const report = proveClaim({ kind: 'derivative', name: 'wrong', statement: '', forward: S('x'), wrt: 'x', claim: `${S('x')} * (1 + ${S('x')})`, space: { variables: ['x'] } });
    expect(report).toMatchObject({ status: 'refuted', equivalent: false, met: false });
    const x = report.counterexample!.point.x!;
    expect(report.counterexample!.reference).toBeCloseTo(sigmoid(x) * (1 - sigmoid(x)), 14);
    expect(report.counterexample!.difference).toBeCloseTo(-2 * sigmoid(x) ** 2, 14);
    expect(report.summary).toMatch(/^refuted: differs at x = /);
  });

  test("tanh' = 1 + tanh²: the difference is −2 tanh²", () => {
    const report = proveClaim({ kind: 'derivative', name: 'wrong', statement: '', forward: 'tanh(x)', wrt: 'x', claim: '1 + tanh(x)^2', space: { variables: ['x'] } });
    expect(report.status).toBe('refuted');
    expect(report.counterexample!.difference).toBeCloseTo(-2 * Math.tanh(report.counterexample!.point.x!) ** 2, 14);
  });

  test('softmax-CE with the sign flipped (p − softmax), given Σ p = 1: the difference is 2(softmax_i − p_i)', () => {
    const original = derivativeClaims('softmax-ce', 'dz').find((c) => c.name === 'dz2, K = 3, given sum p = 1')!;
    const flipped = { ...original, claim: `p2 - exp(z2) / (exp(z1) + exp(z2) + exp(z3))` };
    const report = proveClaim(flipped, { seed: 4 });
    expect(report.status).toBe('refuted');
    const { z1, z2, z3, p1, p2, p3 } = report.counterexample!.point as Record<string, number>;
    expect(p1! + p2! + p3!).toBeCloseTo(1, 15);
    const softmax2 = Math.exp(z2!) / (Math.exp(z1!) + Math.exp(z2!) + Math.exp(z3!));
    expect(report.counterexample!.difference).toBeCloseTo(2 * (softmax2 - p2!), 12);
  });

  test('the RNN ratio without the weight w: the difference is (w − 1)σ\'(z + h w)', () => {
    const original = derivativeClaims('rnn-ratio', 'ratio')[0]!;
    const report = proveClaim({ ...original, claim: `${S('z + h * w')} * (1 - ${S('z + h * w')})` });
    expect(report.status).toBe('refuted');
    const { z, h, w } = report.counterexample!.point as Record<string, number>;
    const s = sigmoid(z! + h! * w!);
    expect(report.counterexample!.difference).toBeCloseTo((w! - 1) * s * (1 - s), 12);
  });

  test('critical_w = 2 is refuted: ratio(0, 0) at w = 2 is 1/2', () => {
    const original = symbolicFactFor('rnn-ratio', 'critical_w')!.claims()[0]! as SymbolicClaim & { kind: 'root' };
    const report = proveClaim({ ...original, claim: '2' });
    expect(report.status).toBe('refuted');
    expect(report.counterexample).toMatchObject({ point: { w: 2 }, reference: 1 });
    expect(report.counterexample!.claim).toBeCloseTo(0.5, 15);
    expect(report.summary).toContain('the roots are w = 4');
  });

  test('a transposed logistic-layer dW (entry 12 claimed as entry 21) is refuted', () => {
    const claims = derivativeClaims('logistic-layer', 'dW');
    const transposed = { ...claims[1]!, claim: claims[2]!.claim }; // ∂L/∂W_12 claimed as δ_2 x_1
    const report = proveClaim(transposed, { seed: 2 });
    expect(report.status).toBe('refuted');
    const v = report.counterexample!.point as Record<string, number>;
    const delta = [1, 2].map((i) => {
      const s = sigmoid(v[`W_${i}1`]! * v.x1! + v[`W_${i}2`]! * v.x2! + v[`b${i}`]!);
      return v[`g${i}`]! * s * (1 - s);
    });
    expect(report.counterexample!.reference).toBeCloseTo(delta[0]! * v.x2!, 12);
    expect(report.counterexample!.claim).toBeCloseTo(delta[1]! * v.x1!, 12);
  });

  test('mlp2-mse dW1 without its x factor (db1 claimed for dW1) is refuted', () => {
    const dW1 = derivativeClaims('mlp2-mse', 'dW1');
    const db1 = derivativeClaims('mlp2-mse', 'db1');
    const report = proveClaim({ ...dW1[1]!, claim: db1[0]!.claim }, { seed: 2 }); // ∂L/∂W1_12 = δ1_1 x1_2, claimed δ1_1
    expect(report.status).toBe('refuted');
    const point = report.counterexample!.point;
    // reference = δ1_1 x1_2 and claim = δ1_1 at the same point, so reference / claim = x1_2.
    expect(report.counterexample!.reference / report.counterexample!.claim).toBeCloseTo(point.x1_2!, 10);
  });
});
