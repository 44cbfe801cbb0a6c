import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { ScalarExpression, derivationLatex, derivationStep, expressionLatex, variableLatex } from '../../src/symbolic/index.js';

describe('LaTeX rendering', () => {
  test.each([
    ['x', 'x'],
    ['z1', 'z_{1}'],
    ['p12', 'p_{12}'],
    ['W1_12', 'W^{(1)}_{12}'],
    ['b2_1', 'b^{(2)}_{1}'],
    ['W_21', 'W_{21}'],
    ['dW', '\\mathrm{dW}'],
  ])('names %s as %s', (name, tex) => {
    expect(variableLatex(name)).toBe(tex);
  });

  test('renders an expression with subscripts, exp and a fraction, and KaTeX accepts it', () => {
    const tex = expressionLatex(ScalarExpression.parse('exp(z1) / (exp(z1) + exp(z2)) - p1 * W1_12', ['z1', 'z2', 'p1', 'W1_12']));
    expect(tex).toContain('\\frac{\\exp\\left({z_{1}}\\right)}');
    expect(tex).toContain('{W^{(1)}_{12}}');
    expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
  });

  test('a derivation block escapes its labels and parses in KaTeX', () => {
    const e = ScalarExpression.parse('w / 4', ['w']);
    const tex = derivationLatex([derivationStep('residue, given sum_j p_j = 1 & 50% {sure}', e, 'mathjs.simplify'), derivationStep('root', ScalarExpression.parse('4', []))]);
    expect(tex).toContain('sum\\_j p\\_j = 1 \\& 50\\% \\{sure\\}');
    expect(() => katex.renderToString(tex, { throwOnError: true, displayMode: true })).not.toThrow();
  });
});
