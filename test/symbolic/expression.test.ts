import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mathjs } from '../../src/symbolic/mathjs.js';
import { MAX_EXPRESSION_CHARS, ScalarExpression, SymbolicExpressionError, SymbolicLimitError } from '../../src/symbolic/index.js';
import { FC_OPTIONS, NAMES, text, tree, value } from './arbitraries.js';

describe('ScalarExpression: the allow-list', () => {
  test('a compiled expression gives the value of a direct evaluation, bit for bit', () => {
    const point = fc.array(fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }), { minLength: NAMES.length, maxLength: NAMES.length });
    fc.assert(
      fc.property(tree, point, (t, x) => {
        const compiled = ScalarExpression.parse(text(t), NAMES).evaluate(x);
        expect(Object.is(compiled, value(t, x)) || (Number.isNaN(compiled) && Number.isNaN(value(t, x)))).toBe(true);
      }),
      FC_OPTIONS,
    );
  });

  test('evaluateTracked reports the largest intermediate magnitude', () => {
    const e = ScalarExpression.parse('exp(x) - exp(x)', ['x']);
    const magnitude = { max: 0 };
    expect(e.evaluateTracked([3], magnitude)).toBe(0);
    expect(magnitude.max).toBe(Math.exp(3));
  });

  test('rejects an unknown symbol, naming it, its position and the declared variables', () => {
    const error = captured(() => ScalarExpression.parse('x + 2 * yy', ['x', 'y']));
    expect(error).toBeInstanceOf(SymbolicExpressionError);
    expect(error.token).toBe('yy');
    expect(error.position).toBe(8);
    expect(error.message).toContain('x, y');
  });

  test.each([
    ['evaluate("1")', 'evaluate'],
    ['import(x)', 'import'],
    ['abs(x)', 'abs'],
    ['[x, 1]', 'ArrayNode'],
    ['x = 1', 'AssignmentNode'],
    ["x'", "'"],
    ['x > 1', '>'],
    ['x.y', 'AccessorNode'],
    ['f(x) = x', 'FunctionAssignmentNode'],
    ['x ? 1 : 2', 'ConditionalNode'],
    ['"s"', 's'],
  ])('refuses %s', (input, token) => {
    const error = captured(() => ScalarExpression.parse(input, ['x', 'y']));
    expect(error).toBeInstanceOf(SymbolicExpressionError);
    expect(error.token).toBe(token);
  });

  test('reports a syntax error at its position', () => {
    const error = captured(() => ScalarExpression.parse('x +* 3', ['x']));
    expect(error).toBeInstanceOf(SymbolicExpressionError);
    expect(error.position).toBe(3);
  });

  test.each(['e', 'pi', 'i', 'exp', '1x', 'a-b'])('refuses %s as a variable name (an engine would read it otherwise)', (name) => {
    expect(() => ScalarExpression.parse('1', [name])).toThrow(SymbolicExpressionError);
  });

  test('refuses text longer than the limit before parsing it', () => {
    expect(() => ScalarExpression.parse(`x${' + x'.repeat(MAX_EXPRESSION_CHARS / 4)}`, ['x'])).toThrow(SymbolicLimitError);
  });

  test('refuses nesting deeper than the limit', () => {
    expect(() => ScalarExpression.parse(`${'exp('.repeat(300)}x${')'.repeat(300)}`, ['x'])).toThrow(SymbolicLimitError);
  });

  test('an engine output outside the allow-list names the engine', () => {
    const error = captured(() => ScalarExpression.fromNode(mathjs.parse('abs(x)'), ['x'], 'some.engine'));
    expect(error.message).toContain('produced by some.engine');
  });

  test('substitute and at replace variables (not function names)', () => {
    const e = ScalarExpression.parse('exp(p2) * p1', ['p1', 'p2']);
    const conditioned = e.substitute(new Map([['p2', ScalarExpression.parse('1 - p1', ['p1', 'p2'])]]));
    expect(conditioned.evaluate([0.25, 99])).toBe(Math.exp(0.75) * 0.25);
    expect(e.at({ p2: 0 }, ['p1']).evaluate([3])).toBe(3);
    expect([...conditioned.symbols()].sort()).toEqual(['p1']);
  });
});

function captured(run: () => unknown): SymbolicExpressionError {
  try {
    run();
  } catch (error) {
    return error as SymbolicExpressionError;
  }
  throw new Error('expected an error');
}
