import { LimitExceededError } from './errors.js';
import type { Expr } from './tree.js';

/**
 * A symbolic dimension: a polynomial with rational coefficients over the declared dimension names,
 * kept in canonical form (monomials with sorted factors, zero terms dropped). Two dimensions are equal
 * exactly when their canonical forms are, so `H-kh+1` equals `1+H-kh` and `2*(n+1)` equals `2*n+2`, with no
 * sampling and no false positives. Division is by constants only (`H/2`); anything else (`ceil`, a
 * dimension divided by a dimension) is not a dimension expression.
 */

/** Coefficients stay exact integers below 2^53; past this bound, canonical equality could be wrong. */
const MAX_COEFFICIENT = 2 ** 50;
/** int32 range: values inside it are written as `x | 0` so that V8 keeps them as small integers. */
const SMALL_INTEGER = 2 ** 31;

/*
 * Budgets of the polynomial arithmetic, so that a hostile shape expression is refused in milliseconds
 * instead of expanding for seconds to minutes (`(A+B+...+H+1)^12` has 125,970 terms and took 6.7 s;
 * its square would have 10.5 million and took 35 s and 3.2 GB). Honest dimensions are products of a
 * few short sums: a conv layer's output size N·F·(H−kh+1)·(W−kw+1) has 9 terms of degree 4, and a
 * rank-8 shape of two-term sides 256 terms of degree 8.
 */
/** Terms of one polynomial. */
export const MAX_DIM_TERMS = 500;
/** Total degree of one term (the product of a rank-16 shape of single names has degree 16). */
export const MAX_DIM_DEGREE = 32;
/**
 * Term pairs one product may form before like terms cancel. A pair costs about a microsecond (a merge
 * of sorted factors), so a product stays within a few milliseconds even in a formula full of them.
 */
export const MAX_DIM_PRODUCT_PAIRS = 5_000;

function overBudget(what: string, limit: string): LimitExceededError {
  return new LimitExceededError(`this dimension expression ${what}`, undefined, limit, 'dimensions are sizes such as N*D or H-kh+1: write them without large powers or products of long sums');
}

interface Term {
  /** Numerator and positive denominator, coprime. */
  readonly num: number;
  readonly den: number;
  /** Sorted [name, power] pairs; empty for the constant term. */
  readonly factors: readonly (readonly [string, number])[];
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function term(num: number, den: number, factors: readonly (readonly [string, number])[]): Term {
  if (den < 0) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1;
  num /= g;
  den /= g;
  if (Math.abs(num) > MAX_COEFFICIENT || den > MAX_COEFFICIENT || !Number.isInteger(num) || !Number.isInteger(den)) {
    throw new LimitExceededError('dimension arithmetic exceeds exact integer range', undefined, 'dimensionArithmetic', 'use smaller constants in dimension expressions');
  }
  return { num, den, factors };
}

const keyOf = (factors: readonly (readonly [string, number])[]): string => factors.map(([n, p]) => (p === 1 ? n : `${n}^${p}`)).join('*');

export class Dim {
  private constructor(private readonly terms: ReadonlyMap<string, Term>) {}

  static constant(value: number, den = 1): Dim {
    return Dim.of([term(value, den, [])]);
  }

  static symbol(name: string): Dim {
    return Dim.of([term(1, 1, [[name, 1]])]);
  }

  private static of(terms: readonly Term[]): Dim {
    const map = new Map<string, Term>();
    for (const t of terms) {
      const key = keyOf(t.factors);
      const old = map.get(key);
      const sum = old ? term(old.num * t.den + t.num * old.den, old.den * t.den, t.factors) : t;
      if (sum.num === 0) map.delete(key);
      else map.set(key, sum);
    }
    if (map.size > MAX_DIM_TERMS) throw overBudget(`expands to more than ${MAX_DIM_TERMS} terms`, 'dimensionTerms');
    return new Dim(map);
  }

  add(other: Dim): Dim {
    return Dim.of([...this.terms.values(), ...other.terms.values()]);
  }

  neg(): Dim {
    return Dim.of([...this.terms.values()].map((t) => term(-t.num, t.den, t.factors)));
  }

  sub(other: Dim): Dim {
    return this.add(other.neg());
  }

  mul(other: Dim): Dim {
    // Priced before any work: the pairs are formed before like terms cancel.
    if (this.terms.size * other.terms.size > MAX_DIM_PRODUCT_PAIRS) {
      throw overBudget(`multiplies ${this.terms.size} terms by ${other.terms.size}, more than the ${MAX_DIM_PRODUCT_PAIRS} products allowed`, 'dimensionTerms');
    }
    if (this.degree() + other.degree() > MAX_DIM_DEGREE) throw overBudget(`has degree above ${MAX_DIM_DEGREE}`, 'dimensionDegree');
    const out: Term[] = [];
    for (const a of this.terms.values()) {
      for (const b of other.terms.values()) {
        const powers = new Map(a.factors);
        for (const [n, p] of b.factors) powers.set(n, (powers.get(n) ?? 0) + p);
        const factors = [...powers.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        out.push(term(a.num * b.num, a.den * b.den, factors));
      }
    }
    return Dim.of(out);
  }

  termCount(): number {
    return this.terms.size;
  }

  /** The largest total degree of a term (0 for a constant). */
  private degree(): number {
    let max = 0;
    for (const t of this.terms.values()) max = Math.max(max, t.factors.reduce((s, [, p]) => s + p, 0));
    return max;
  }

  /** Division by a nonzero constant; undefined when `other` is not a nonzero constant. */
  divide(other: Dim): Dim | undefined {
    const c = other.constantTerm();
    if (!other.isConstant() || c.num === 0) return undefined;
    return this.mul(Dim.of([term(c.den, c.num, [])]));
  }

  /** A power with a non-negative integer constant exponent; undefined otherwise. */
  pow(exponent: Dim): Dim | undefined {
    const k = exponent.constantValue();
    if (k === undefined || !Number.isInteger(k) || k < 0 || k > 16) return undefined;
    let out = Dim.constant(1);
    for (let i = 0; i < k; i++) out = out.mul(this);
    return out;
  }

  private constantTerm(): Term {
    return this.terms.get('') ?? { num: 0, den: 1, factors: [] };
  }

  isConstant(): boolean {
    return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(''));
  }

  /** The value when constant, else undefined. */
  constantValue(): number | undefined {
    if (!this.isConstant()) return undefined;
    const c = this.constantTerm();
    return c.num / c.den;
  }

  isOne(): boolean {
    return this.constantValue() === 1;
  }

  /** True when every coefficient is an integer, so integer dimension values give an integer. */
  hasIntegerCoefficients(): boolean {
    return [...this.terms.values()].every((t) => t.den === 1);
  }

  equals(other: Dim): boolean {
    if (this.terms.size !== other.terms.size) return false;
    for (const [key, t] of this.terms) {
      const u = other.terms.get(key);
      if (!u || u.num !== t.num || u.den !== t.den) return false;
    }
    return true;
  }

  /** Dimension names this expression uses. */
  names(): string[] {
    const out = new Set<string>();
    for (const t of this.terms.values()) for (const [n] of t.factors) out.add(n);
    return [...out];
  }

  /** The value for given dimension sizes (every name used must be present). */
  evaluate(sizes: ReadonlyMap<string, number>): number {
    let total = 0;
    for (const t of this.terms.values()) {
      let v = t.num;
      for (const [n, p] of t.factors) for (let k = 0; k < p; k++) v *= sizes.get(n)!;
      total += t.den === 1 ? v : v / t.den;
    }
    // Whole values as small integers (V8 Smis): loop bounds and offsets derived from them stay integer-typed.
    return Number.isInteger(total) && Math.abs(total) < SMALL_INTEGER ? total | 0 : total;
  }

  /** Canonical text: higher degree first, then by name; `2*n+kh-1`, `H/2`, `N*D`. */
  toString(): string {
    const terms = [...this.terms.values()].sort((a, b) => {
      const da = a.factors.reduce((s, [, p]) => s + p, 0);
      const db = b.factors.reduce((s, [, p]) => s + p, 0);
      if (da !== db) return db - da;
      const ka = keyOf(a.factors);
      const kb = keyOf(b.factors);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    if (terms.length === 0) return '0';
    let out = '';
    terms.forEach((t, i) => {
      const negative = t.num < 0;
      const absNum = Math.abs(t.num);
      const body = keyOf(t.factors);
      let text: string;
      if (body === '') text = t.den === 1 ? `${absNum}` : `${absNum}/${t.den}`;
      else text = `${absNum === 1 ? '' : `${absNum}*`}${body}${t.den === 1 ? '' : `/${t.den}`}`;
      out += i === 0 ? (negative ? `-${text}` : text) : negative ? `-${text}` : `+${text}`;
    });
    return out;
  }
}

export type SymbolicShape = readonly Dim[];

/** Longest side a shape is written with in full; a longer one (a hostile polynomial) is cut, with its term count. */
const MAX_SHOWN_SIDE = 60;

/** `N×D`, `(H-kh+1)×W`, `scalar`: the way course derivations write shapes. */
export function formatSymbolicShape(shape: SymbolicShape): string {
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => {
    const s = d.toString();
    if (s.length > MAX_SHOWN_SIDE) return `(${s.slice(0, MAX_SHOWN_SIDE)}… ${d.termCount()} terms)`;
    return /^[A-Za-z0-9_]+$/.test(s) ? s : `(${s})`;
  }).join('×');
}

export function sameSymbolicShape(a: SymbolicShape, b: SymbolicShape): boolean {
  return a.length === b.length && a.every((d, i) => d.equals(b[i]!));
}

/** The product of the dimensions: the entry count as a polynomial. */
export function symbolicSize(shape: SymbolicShape): Dim {
  return shape.reduce((acc, d) => acc.mul(d), Dim.constant(1));
}

/** Why an expression is not a dimension expression, and where. */
export interface NotADimension {
  readonly node: Expr;
  readonly reason: string;
}

/**
 * The dimension an expression denotes, when it is built from integers, dimension names (looked up by
 * `dimOf`), + - * , division by a constant and integer powers; otherwise where and why it is not.
 */
export function dimFromExpr(expr: Expr, dimOf: (name: string) => Dim | undefined): Dim | NotADimension {
  switch (expr.kind) {
    case 'number':
      return Number.isInteger(expr.value) && Math.abs(expr.value) <= MAX_COEFFICIENT
        ? Dim.constant(expr.value)
        : { node: expr, reason: `${expr.value} is not a whole number` };
    case 'symbol': {
      const d = dimOf(expr.name);
      return d ?? { node: expr, reason: `${expr.name} is not a dimension` };
    }
    case 'negate': {
      const a = dimFromExpr(expr.arg, dimOf);
      return a instanceof Dim ? a.neg() : a;
    }
    case 'binary': {
      const a = dimFromExpr(expr.left, dimOf);
      if (!(a instanceof Dim)) return a;
      const b = dimFromExpr(expr.right, dimOf);
      if (!(b instanceof Dim)) return b;
      switch (expr.op) {
        case '+':
          return a.add(b);
        case '-':
          return a.sub(b);
        case '*':
        case '.*':
          return a.mul(b);
        case '/':
        case './':
          return a.divide(b) ?? { node: expr, reason: 'a dimension can be divided only by a nonzero constant' };
        case '^':
        case '.^':
          return a.pow(b) ?? { node: expr, reason: 'a dimension can be raised only to a small whole-number power' };
        default:
          return { node: expr, reason: `the operator ${expr.op} does not give a dimension` };
      }
    }
    default:
      return { node: expr, reason: 'only numbers, dimension names and + - * / give a dimension' };
  }
}
