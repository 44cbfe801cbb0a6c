/**
 * The CAS engines behind the symbolic leg, behind one small interface each so that a test can inject a
 * wrong engine and watch the numeric checks (checked.ts) catch it. Nothing an engine returns is used
 * before checked.ts has confirmed it at random points; docs/symbolic.md lists the engines' known failures.
 *
 *   derivative   mathjs `derivative` (nerdamer's `diff` returns d/da log(e^a + e^b) = 0)
 *   tidy         mathjs `simplify` with clean-up rules only
 *   simplifiers  the exact rational normal form (rational.ts), then mathjs `simplify`
 *   solver       nerdamer `solve` (roots of expression = 0)
 *   expander     nerdamer `expand`
 *
 * mathjs is the single-file bundle mathjs.ts loads (fast start, all of mathjs's functions).
 */
import type { MathNode, SymbolNode } from 'mathjs';
import nerdamer from 'nerdamer';
import 'nerdamer/Algebra.js';
import 'nerdamer/Calculus.js';
import 'nerdamer/Solve.js';
import { mathjs } from './mathjs.js';
import { SymbolicLimitError } from './errors.js';
import { ScalarExpression } from './expression.js';
import { rationalNormalForm } from './rational.js';

/** A symbolic simplification: an expression the engine claims equal to its input, or null when it has nothing to offer. */
export interface Simplifier {
  readonly name: string;
  /**
   * Takes up to a second per call (mathjs's simplify). Skipped on a residue the numbers already show to be
   * non-zero: no sound simplifier can reduce it to 0 there, and the refutation rests on the point.
   */
  readonly expensive?: boolean;
  simplify(expression: ScalarExpression): ScalarExpression | null;
}

export interface DerivativeEngine {
  readonly name: string;
  differentiate(expression: ScalarExpression, wrt: string): ScalarExpression;
}

export interface Solver {
  readonly name: string;
  /** Roots of `expression` = 0 in `unknown` (no other variable may remain), each a constant expression. */
  solve(expression: ScalarExpression, unknown: string): readonly ScalarExpression[];
}

export interface Expander {
  readonly name: string;
  expand(expression: ScalarExpression): ScalarExpression;
}

export interface SymbolicEngines {
  readonly derivative: DerivativeEngine;
  /** A cheap clean-up of the derivative before it is shown and compared (×1, +0, constants folded). */
  readonly tidy: Simplifier;
  /** Tried in order on a residue; the first confirmed 0 decides. */
  readonly simplifiers: readonly Simplifier[];
  readonly solver: Solver;
  readonly expander: Expander;
}

/**
 * Largest residue (in nodes) handed to mathjs's `simplify`. Measured on this machine (mathjs 15.2) on
 * wrong-claim residues of the registered facts: ≈ 0.1 s at 100 nodes, 0.3 s at 270, 0.9 s at 400, 3 s at
 * 860. Its rules are applied to a fixed point, so the time grows faster than the size; at 450 nodes one
 * call stays near a second, and larger residues are left to the rational normal form and the numbers.
 */
export const SIMPLIFY_MAX_NODES = 450;

/** mathjs `derivative` without its built-in simplify (which takes ≈ 0.4 s on mlp2-mse entries and is not needed: the result is normalised later). */
export const mathjsDerivative: DerivativeEngine = {
  name: 'mathjs.derivative',
  differentiate(expression, wrt) {
    return ScalarExpression.fromNode(mathjs.derivative(expression.node, wrt, { simplify: false }), expression.variables, 'mathjs.derivative');
  },
};

/** The exact normal form: offers 0 when the form is 0, nothing otherwise (a non-zero form proves nothing; rational.ts). */
export const rationalNormalFormSimplifier: Simplifier = {
  name: 'rational normal form',
  simplify(expression) {
    try {
      const normal = rationalNormalForm(expression);
      return normal?.isZero() ? ScalarExpression.parse('0', expression.variables) : null;
    } catch (error) {
      if (error instanceof SymbolicLimitError) return null;
      throw error;
    }
  },
};

/**
 * mathjs `simplify` with its default context, where `*` is commutative: right for the scalar expressions
 * of this leg, wrong for matrices (which never reach it).
 */
export const mathjsSimplifier: Simplifier = {
  name: 'mathjs.simplify',
  expensive: true,
  simplify(expression) {
    if (expression.size > SIMPLIFY_MAX_NODES) return null;
    return ScalarExpression.fromNode(mathjs.simplify(expression.node), expression.variables, 'mathjs.simplify');
  },
};

/**
 * mathjs `simplify` restricted to identities that only remove clutter from `derivative`'s output
 * (x·1, x + 0, x^1, constant subexpressions): ≈ 10–40 ms on an mlp2-mse entry against ≈ 0.3 s for the
 * full rule set, and the result reads like the chain rule that produced it.
 */
const TIDY_RULES = ['n * 1 -> n', '1 * n -> n', 'n * 0 -> 0', '0 * n -> 0', 'n + 0 -> n', '0 + n -> n', 'n - 0 -> n', '0 - n -> -n', 'n ^ 1 -> n', '-(-n) -> n', mathjs.simplifyConstant];

export const mathjsTidy: Simplifier = {
  name: 'mathjs.simplify (clean-up rules)',
  simplify(expression) {
    return ScalarExpression.fromNode(mathjs.simplify(expression.node, TIDY_RULES), expression.variables, 'mathjs.simplify');
  },
};

/** nerdamer keeps every parsed expression in a global list; it is flushed after each call. */
function withNerdamer<T>(run: () => T): T {
  try {
    return run();
  } finally {
    nerdamer.flush();
  }
}

/** nerdamer's output in the leg's syntax: its `e` (Euler's number, as in e^x) becomes exp(1). */
export function fromNerdamerText(text: string, variables: readonly string[], engine: string): ScalarExpression {
  const node = mathjs.parse(text).transform((n: MathNode, path: string) =>
    path !== 'fn' && n.type === 'SymbolNode' && (n as SymbolNode).name === 'e' ? new mathjs.FunctionNode(new mathjs.SymbolNode('exp'), [new mathjs.ConstantNode(1)]) : n,
  );
  return ScalarExpression.fromNode(node, variables, engine);
}

/** What `nerdamer('solve(...)')` holds (not in nerdamer's type declarations): a vector of roots. */
interface NerdamerRoots {
  readonly symbol: { readonly elements: readonly { toString(): string; isImaginary(): boolean }[] };
}

/**
 * nerdamer's solve through its expression API, `nerdamer('solve(f, x)')`: exact where it can (√2 for
 * x² = 2), where the function `nerdamer.solve` returns rational approximations (engines.test.ts pins
 * both). Transcendental equations still come back as rational approximations (ln 2 ≈ 261080729/376659873),
 * which the exactness check of proveRoot tells apart. Complex roots are dropped: the unknowns are real.
 */
export const nerdamerSolver: Solver = {
  name: 'nerdamer.solve',
  solve(expression, unknown) {
    return withNerdamer(() => {
      const roots = nerdamer(`solve(${expression.text}, ${unknown})`) as unknown as NerdamerRoots;
      return roots.symbol.elements.filter((e) => !e.isImaginary()).map((e) => fromNerdamerText(e.toString(), [], 'nerdamer.solve'));
    });
  },
};

export const nerdamerExpander: Expander = {
  name: 'nerdamer.expand',
  expand(expression) {
    return withNerdamer(() => fromNerdamerText(nerdamer(expression.text).expand().toString(), expression.variables, 'nerdamer.expand'));
  },
};

export const defaultEngines: SymbolicEngines = {
  derivative: mathjsDerivative,
  tidy: mathjsTidy,
  simplifiers: [rationalNormalFormSimplifier, mathjsSimplifier],
  solver: nerdamerSolver,
  expander: nerdamerExpander,
};
