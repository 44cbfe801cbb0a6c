import fc from 'fast-check';

/**
 * fast-check arbitraries for the symbolic tests. Property runs share one seed so that a failure
 * reproduces; fast-check prints it with the shrunk counterexample.
 */
export const FC_OPTIONS = { seed: 0x5eed, verbose: true, numRuns: 300 } as const;

/** A tiny expression language generated alongside its own evaluator: the independent oracle for the compiled closures. */
export type Tree =
  | { op: 'num'; value: number }
  | { op: 'var'; index: number }
  | { op: '+' | '-' | '*' | '/'; a: Tree; b: Tree }
  | { op: 'neg'; a: Tree }
  | { op: 'exp' | 'tanh' | 'sinh' | 'cosh' | 'sech'; a: Tree }
  | { op: 'pow'; a: Tree; n: number };

export const NAMES = ['x', 'y', 'z1', 'W1_12'];

export const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('num' as const), value: fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }) }),
    fc.record({ op: fc.constant('var' as const), index: fc.integer({ min: 0, max: NAMES.length - 1 }) }),
    fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), a: tie('tree'), b: tie('tree') }),
    fc.record({ op: fc.constant('neg' as const), a: tie('tree') }),
    fc.record({ op: fc.constantFrom('exp' as const, 'tanh' as const, 'sinh' as const, 'cosh' as const, 'sech' as const), a: tie('tree') }),
    fc.record({ op: fc.constant('pow' as const), a: tie('tree'), n: fc.integer({ min: 0, max: 3 }) }),
  ),
})).tree;

export function text(t: Tree): string {
  switch (t.op) {
    case 'num':
      return `(${t.value})`;
    case 'var':
      return NAMES[t.index]!;
    case 'neg':
      return `-(${text(t.a)})`;
    case 'pow':
      return `(${text(t.a)})^${t.n}`;
    case 'exp':
    case 'tanh':
    case 'sinh':
    case 'cosh':
    case 'sech':
      return `${t.op}(${text(t.a)})`;
    default:
      return `(${text(t.a)}) ${t.op} (${text(t.b)})`;
  }
}

export function value(t: Tree, x: readonly number[]): number {
  switch (t.op) {
    case 'num':
      return t.value;
    case 'var':
      return x[t.index]!;
    case 'neg':
      return -value(t.a, x);
    case 'pow':
      return value(t.a, x) ** t.n;
    case 'exp':
      return Math.exp(value(t.a, x));
    case 'tanh':
      return Math.tanh(value(t.a, x));
    case 'sinh':
      return Math.sinh(value(t.a, x));
    case 'cosh':
      return Math.cosh(value(t.a, x));
    case 'sech':
      return 1 / Math.cosh(value(t.a, x));
    case '+':
      return value(t.a, x) + value(t.b, x);
    case '-':
      return value(t.a, x) - value(t.b, x);
    case '*':
      return value(t.a, x) * value(t.b, x);
    case '/':
      return value(t.a, x) / value(t.b, x);
  }
}

/** The same expression with the operands of every + and * swapped: equal as a function, different as text. */
export function commuted(t: Tree): Tree {
  switch (t.op) {
    case 'num':
    case 'var':
      return t;
    case '+':
    case '*':
      return { op: t.op, a: commuted(t.b), b: commuted(t.a) };
    case '-':
    case '/':
      return { op: t.op, a: commuted(t.a), b: commuted(t.b) };
    case 'pow':
      return { op: 'pow', a: commuted(t.a), n: t.n };
    default:
      return { op: t.op, a: commuted(t.a) };
  }
}
