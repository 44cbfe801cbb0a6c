/**
 * An exact normal form for the expressions of the symbolic leg: rational functions, with exact rational
 * coefficients (BigInt), of "atoms": the variables, exponentials of monomials, and anything else
 * (log(u), sqrt(u), u^v) as an opaque atom keyed by the normal form of its arguments.
 *
 *   exp(Σ c_m·m) = Π exp(m/q_m)^{p_m}   (c_m = p_m/q_m; the argument a polynomial)
 *   tanh u = (e^{2u} − 1)/(e^{2u} + 1),  sinh u = (e^u − e^{−u})/2,  cosh u = (e^u + e^{−u})/2,  sech u = 1/cosh u
 *
 * A form is N / Π f_k^{e_k}: N a Laurent polynomial in the atoms (a monomial may carry negative
 * exponents), kept fully expanded with terms keyed by their monomial, and the f_k the polynomials the
 * expression divides by (see Fraction). A polynomial is 0 exactly when it has no terms, and a form is 0
 * exactly when N is, wherever it is defined.
 *
 * Soundness: every rewrite above is an identity wherever both sides are defined, and distinct atoms are
 * treated as independent symbols. If the normal form of an expression is 0, so is the expression (a
 * polynomial identity stays true under any substitution of the atoms). The converse fails through atoms
 * that are related without the form knowing it (log(x·y) and log x + log y; exp(a/2)² and exp(a)): a
 * non-zero normal form proves nothing, and the caller falls back to numbers.
 *
 * This is the leg's answer to mathjs's `rationalize`, which throws on function calls, leaves
 * multivariate fractions unreduced, and had not finished on the K = 5 softmax-CE residue after ten
 * minutes (docs/symbolic.md).
 */
import type { ConstantNode, MathNode, ParenthesisNode } from 'mathjs';
import { SymbolicLimitError } from './errors.js';
import type { ScalarExpression } from './expression.js';

/**
 * Term pairs one polynomial product may form. The largest product formed while proving every registered
 * fact has 414 pairs (measured); 20 000 bounds the work (BigInt arithmetic, ≈ 1 µs per pair) at a few
 * tens of milliseconds per product before the form gives up and the numbers decide.
 */
export const MAX_PRODUCT_TERM_PAIRS = 20_000;

/** Largest |n| of an integer power u^n expanded by repeated multiplication; larger powers stay opaque atoms. */
export const MAX_EXPANDED_POWER = 16;

/** Exact rational p/q, reduced, q > 0. */
export class Rational {
  private constructor(
    readonly p: bigint,
    readonly q: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  static of(p: bigint, q = 1n): Rational {
    if (q === 0n) throw new RangeError('Rational: zero denominator');
    if (q < 0n) {
      p = -p;
      q = -q;
    }
    const g = gcd(p < 0n ? -p : p, q);
    return g === 1n ? new Rational(p, q) : new Rational(p / g, q / g);
  }

  /** The exact value of a finite double (m·2^e), so the form computes with the number the evaluator uses. */
  static fromNumber(x: number): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`Rational.fromNumber: ${x} is not finite`);
    let q = 1n;
    while (!Number.isInteger(x)) {
      x *= 2;
      q *= 2n;
    }
    return Rational.of(BigInt(x), q);
  }

  isZero(): boolean {
    return this.p === 0n;
  }
  isInteger(): boolean {
    return this.q === 1n;
  }
  add(o: Rational): Rational {
    return Rational.of(this.p * o.q + o.p * this.q, this.q * o.q);
  }
  mul(o: Rational): Rational {
    return Rational.of(this.p * o.p, this.q * o.q);
  }
  neg(): Rational {
    return new Rational(-this.p, this.q);
  }
  inverse(): Rational {
    return Rational.of(this.q, this.p);
  }
  toString(): string {
    return this.q === 1n ? `${this.p}` : `${this.p}/${this.q}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** A monomial: atom index → non-zero exponent, sorted by atom. */
type Monomial = readonly (readonly [number, number])[];

interface Term {
  readonly monomial: Monomial;
  readonly coefficient: Rational;
}

function monomialKey(m: Monomial): string {
  return m.map(([a, e]) => (e === 1 ? `${a}` : `${a}^${e}`)).join('*');
}

function multiplyMonomials(a: Monomial, b: Monomial): Monomial {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x[0] < y[0])) {
      out.push([x![0], x![1]]);
      i++;
    } else if (x === undefined || y[0] < x[0]) {
      out.push([y[0], y[1]]);
      j++;
    } else {
      if (x[1] + y[1] !== 0) out.push([x[0], x[1] + y[1]]);
      i++;
      j++;
    }
  }
  return out;
}

/** A Laurent polynomial with exact coefficients: terms keyed by monomial, none with a zero coefficient. */
export class Polynomial {
  private constructor(readonly terms: ReadonlyMap<string, Term>) {}

  static constant(c: Rational): Polynomial {
    return new Polynomial(c.isZero() ? new Map() : new Map([['', { monomial: [], coefficient: c }]]));
  }

  static atom(index: number, exponent = 1): Polynomial {
    const monomial: Monomial = [[index, exponent]];
    return new Polynomial(new Map([[monomialKey(monomial), { monomial, coefficient: Rational.ONE }]]));
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** The single term, when there is exactly one. */
  single(): Term | null {
    return this.terms.size === 1 ? this.terms.values().next().value! : null;
  }

  /** The constant, when the polynomial has no atoms. */
  constantValue(): Rational | null {
    if (this.terms.size === 0) return Rational.ZERO;
    const t = this.single();
    return t && t.monomial.length === 0 ? t.coefficient : null;
  }

  add(o: Polynomial): Polynomial {
    const out = new Map(this.terms);
    for (const [key, t] of o.terms) accumulate(out, key, t);
    return new Polynomial(out);
  }

  neg(): Polynomial {
    return new Polynomial(new Map([...this.terms].map(([k, t]) => [k, { monomial: t.monomial, coefficient: t.coefficient.neg() }])));
  }

  mul(o: Polynomial): Polynomial {
    if (this.terms.size * o.terms.size > MAX_PRODUCT_TERM_PAIRS) {
      throw new SymbolicLimitError('rational normal form (term pairs of a product)', this.terms.size * o.terms.size, MAX_PRODUCT_TERM_PAIRS, 'the expression is too large for the exact normal form; the numeric check decides');
    }
    const out = new Map<string, Term>();
    for (const a of this.terms.values()) {
      for (const b of o.terms.values()) {
        const monomial = multiplyMonomials(a.monomial, b.monomial);
        accumulate(out, monomialKey(monomial), { monomial, coefficient: a.coefficient.mul(b.coefficient) });
      }
    }
    return new Polynomial(out);
  }

  pow(n: number): Polynomial {
    let result = Polynomial.constant(Rational.ONE);
    for (let k = 0; k < n; k++) result = result.mul(this);
    return result;
  }

  /** Canonical text (terms sorted by monomial): equal keys mean equal polynomials. */
  key(): string {
    return [...this.terms.keys()]
      .sort()
      .map((k) => `${this.terms.get(k)!.coefficient}${k === '' ? '' : `·${k}`}`)
      .join(' + ');
  }
}

function accumulate(out: Map<string, Term>, key: string, t: Term): void {
  const prev = out.get(key);
  if (!prev) {
    out.set(key, t);
    return;
  }
  const c = prev.coefficient.add(t.coefficient);
  if (c.isZero()) out.delete(key);
  else out.set(key, { monomial: t.monomial, coefficient: c });
}

/** A denominator factor: a normalised polynomial (see `splitContent`) and its power. */
interface Factor {
  readonly polynomial: Polynomial;
  readonly power: number;
}

/**
 * numerator / Π factor^power. Denominators are kept as products of the polynomials the expression
 * divides by, each normalised so that the same divisor always gets the same key (1 + e^{−u} and
 * e^{u} + 1 are one factor up to the monomial e^{−u}). Sums then use the least common multiple of the
 * factor products instead of the full product: the softmax-CE residue at K = 5 stays over powers of
 * Σ e^{z_j}, where plain cross-multiplication exceeded 20 000 terms.
 */
export class Fraction {
  private constructor(
    readonly numerator: Polynomial,
    readonly factors: ReadonlyMap<string, Factor>,
  ) {}

  static polynomial(p: Polynomial): Fraction {
    return new Fraction(p, new Map());
  }

  /** 1/p: p's content (a constant times a monomial) goes to the numerator as its inverse, the rest becomes a factor. */
  static reciprocal(p: Polynomial): Fraction {
    if (p.isZero()) throw new DivisionByZero();
    const { content, rest } = splitContent(p);
    const inverse = Polynomial.constant(content.coefficient.inverse()).mul(monomialPolynomial(content.monomial.map(([a, e]) => [a, -e] as const)));
    if (rest.constantValue() !== null) return new Fraction(inverse, new Map());
    return new Fraction(inverse, new Map([[rest.key(), { polynomial: rest, power: 1 }]]));
  }

  isZero(): boolean {
    return this.numerator.isZero();
  }

  /** The constant, when the fraction has no atoms. */
  constantValue(): Rational | null {
    return this.factors.size === 0 ? this.numerator.constantValue() : null;
  }

  add(o: Fraction): Fraction {
    if (this.isZero()) return o;
    if (o.isZero()) return this;
    let a = this.numerator;
    let b = o.numerator;
    const factors = new Map<string, Factor>();
    for (const key of new Set([...this.factors.keys(), ...o.factors.keys()])) {
      const f = this.factors.get(key) ?? o.factors.get(key)!;
      const pa = this.factors.get(key)?.power ?? 0;
      const pb = o.factors.get(key)?.power ?? 0;
      const power = Math.max(pa, pb);
      if (power > pa) a = a.mul(f.polynomial.pow(power - pa));
      if (power > pb) b = b.mul(f.polynomial.pow(power - pb));
      factors.set(key, { polynomial: f.polynomial, power });
    }
    const sum = a.add(b);
    return sum.isZero() ? Fraction.polynomial(sum) : new Fraction(sum, factors);
  }

  neg(): Fraction {
    return new Fraction(this.numerator.neg(), this.factors);
  }

  mul(o: Fraction): Fraction {
    const numerator = this.numerator.mul(o.numerator);
    if (numerator.isZero()) return Fraction.polynomial(numerator);
    const factors = new Map(this.factors);
    for (const [key, f] of o.factors) factors.set(key, { polynomial: f.polynomial, power: (factors.get(key)?.power ?? 0) + f.power });
    return new Fraction(numerator, factors);
  }

  /** (N / Π f^k)^{-1} = Π f^k / N. */
  inverse(): Fraction {
    let product = Polynomial.constant(Rational.ONE);
    for (const f of this.factors.values()) product = product.mul(f.polynomial.pow(f.power));
    return Fraction.reciprocal(this.numerator).mul(Fraction.polynomial(product));
  }

  div(o: Fraction): Fraction {
    return this.mul(o.inverse());
  }

  pow(n: number): Fraction {
    const base: Fraction = n < 0 ? this.inverse() : this;
    let result = Fraction.polynomial(Polynomial.constant(Rational.ONE));
    for (let k = Math.abs(n); k > 0; k--) result = result.mul(base);
    return result;
  }

  key(): string {
    const den = [...this.factors.keys()].sort().map((k) => `(${k})^${this.factors.get(k)!.power}`);
    return den.length === 0 ? this.numerator.key() : `(${this.numerator.key()}) / ${den.join('·')}`;
  }
}

/**
 * p = content·rest with content = c·m (a constant and a Laurent monomial) chosen so that every atom's
 * lowest exponent in rest is 0 and rest's first term (in key order) has coefficient 1: a canonical
 * representative of p up to a monomial factor.
 */
function splitContent(p: Polynomial): { content: Term; rest: Polynomial } {
  const lowest = new Map<number, number>();
  const terms = [...p.terms.values()];
  for (const t of terms) for (const [a] of t.monomial) lowest.set(a, 0);
  for (const t of terms) {
    const exponents = new Map(t.monomial);
    for (const a of lowest.keys()) lowest.set(a, Math.min(lowest.get(a)!, exponents.get(a) ?? 0));
  }
  const monomial: Monomial = [...lowest].filter(([, e]) => e !== 0).sort((x, y) => x[0] - y[0]);
  const shifted = p.mul(monomialPolynomial(monomial.map(([a, e]) => [a, -e] as const)));
  const firstKey = [...shifted.terms.keys()].sort()[0]!;
  const coefficient = shifted.terms.get(firstKey)!.coefficient;
  return { content: { monomial, coefficient }, rest: shifted.mul(Polynomial.constant(coefficient.inverse())) };
}

function monomialPolynomial(m: Monomial): Polynomial {
  return m.reduce((p, [a, e]) => p.mul(Polynomial.atom(a, e)), Polynomial.constant(Rational.ONE));
}

/** The expression divides by something whose normal form is 0: it is undefined, not a rational function. */
class DivisionByZero extends Error {
  override readonly name = 'DivisionByZero';
}

/** The atoms met while normalising one expression: key → index. */
class AtomTable {
  private readonly indexOf = new Map<string, number>();

  atom(key: string): Fraction {
    let k = this.indexOf.get(key);
    if (k === undefined) {
      k = this.indexOf.size;
      this.indexOf.set(key, k);
    }
    return Fraction.polynomial(Polynomial.atom(k));
  }
}

/**
 * The normal form of an expression, or null when it has none (it divides by an identically zero
 * subexpression). Throws SymbolicLimitError when the form grows past MAX_PRODUCT_TERM_PAIRS.
 */
export function rationalNormalForm(expression: ScalarExpression): Fraction | null {
  try {
    return normalise(expression.node, new AtomTable());
  } catch (error) {
    if (error instanceof DivisionByZero) return null;
    throw error;
  }
}

const constant = (c: Rational): Fraction => Fraction.polynomial(Polynomial.constant(c));
const ONE = (): Fraction => constant(Rational.ONE);

function normalise(node: MathNode, atoms: AtomTable): Fraction {
  switch (node.type) {
    case 'ConstantNode':
      return constant(Rational.fromNumber((node as ConstantNode).value as number));
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      return atoms.atom(`var:${name}`);
    }
    case 'ParenthesisNode':
      return normalise((node as ParenthesisNode).content, atoms);
    case 'OperatorNode': {
      const { fn, args } = node as unknown as { fn: string; args: MathNode[] };
      const parts = args.map((a) => normalise(a, atoms));
      switch (fn) {
        case 'unaryMinus':
          return parts[0]!.neg();
        case 'unaryPlus':
          return parts[0]!;
        case 'add':
          return parts.reduce((s, p) => s.add(p));
        case 'subtract':
          return parts[0]!.add(parts[1]!.neg());
        case 'multiply':
          return parts.reduce((s, p) => s.mul(p));
        case 'divide':
          return parts[0]!.div(parts[1]!);
        case 'pow':
          return power(parts[0]!, parts[1]!, atoms);
      }
      throw new RangeError(`rational normal form: operator ${fn} passed the allow-list but has no rule`);
    }
    case 'FunctionNode': {
      const { fn, args } = node as unknown as { fn: { name: string }; args: MathNode[] };
      const u = normalise(args[0]!, atoms);
      switch (fn.name) {
        case 'exp':
          return exponential(u, atoms);
        case 'tanh': {
          const e2 = exponential(u.mul(constant(Rational.of(2n))), atoms);
          return e2.add(ONE().neg()).div(e2.add(ONE()));
        }
        case 'sinh':
        case 'cosh':
        case 'sech': {
          const e = exponential(u, atoms);
          const half = constant(Rational.of(1n, 2n));
          const cosh = e.add(ONE().div(e)).mul(half);
          if (fn.name === 'cosh') return cosh;
          if (fn.name === 'sech') return ONE().div(cosh);
          return e.add(ONE().div(e).neg()).mul(half);
        }
        default:
          return atoms.atom(`${fn.name}:${u.key()}`);
      }
    }
  }
  throw new RangeError(`rational normal form: node ${node.type} passed the allow-list but has no rule`);
}

/** b^x: expanded for a small integer x, an opaque atom otherwise. */
function power(base: Fraction, exponent: Fraction, atoms: AtomTable): Fraction {
  const x = exponent.constantValue();
  if (x !== null && x.isInteger() && x.p >= -BigInt(MAX_EXPANDED_POWER) && x.p <= BigInt(MAX_EXPANDED_POWER)) return base.pow(Number(x.p));
  return atoms.atom(`pow:${base.key()}:${exponent.key()}`);
}

/** exp(u) = Π exp(m/q)^p over the terms (p/q)·m of a polynomial u; an opaque atom when u has a denominator. */
function exponential(u: Fraction, atoms: AtomTable): Fraction {
  if (u.factors.size > 0) return atoms.atom(`exp:${u.key()}`);
  let result = ONE();
  for (const t of u.numerator.terms.values()) {
    const { p, q } = t.coefficient;
    const m = monomialKey(t.monomial);
    const small = p <= BigInt(MAX_EXPANDED_POWER) && p >= -BigInt(MAX_EXPANDED_POWER);
    result = result.mul(small ? atoms.atom(`exp:${m}/${q}`).pow(Number(p)) : atoms.atom(`exp:${m}*${t.coefficient}`));
  }
  return result;
}
