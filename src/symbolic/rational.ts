/**
 * An exact normal form for the expressions of the symbolic leg: rational functions, with exact rational
 * coefficients (BigInt), of "atoms": the variables, exponentials of monomials, and anything else
 * (log(u), sqrt(u), u^v) as an opaque atom keyed by the normal form of its arguments.
 *
 *   exp(Σ c_m·m) = Π exp(m/q_m)^{p_m}   (c_m = p_m/q_m; the argument a polynomial)
 *   tanh u = (e^{2u} − 1)/(e^{2u} + 1),  sinh u = (e^u − e^{−u})/2,  cosh u = (e^u + e^{−u})/2,  sech u = 1/cosh u
 *
 * Polynomials are Laurent polynomials in the atoms (a monomial may carry negative exponents), kept
 * fully expanded with terms keyed by their monomial, so a polynomial is 0 exactly when it has no
 * terms. A fraction N/D is 0 exactly when N is, wherever it is defined.
 *
 * Soundness: every rewrite above is an identity wherever both sides are defined, and distinct atoms are
 * treated as independent symbols. If the normal form of an expression is 0, so is the expression (a
 * polynomial identity stays true under any substitution of the atoms). The converse fails only through
 * atoms that are related without the form knowing it (log(x·y) and log x + log y): a non-zero normal
 * form proves nothing, and the caller falls back to numbers.
 *
 * This is the leg's answer to mathjs's `rationalize`, which throws on function calls, leaves
 * multivariate fractions unreduced and did not finish on the K = 5 softmax-CE residue (docs/symbolic.md).
 */
import { type ConstantNode, type MathNode, type ParenthesisNode, parse } from 'mathjs';
import { SymbolicLimitError } from './errors.js';
import { ScalarExpression } from './expression.js';

/**
 * Terms a polynomial may reach. The largest product formed here (mlp2-mse at n = m = k = 2, three
 * sigmoid denominators cross-multiplied) stays below a few hundred terms; 20 000 bounds the work
 * (BigInt arithmetic, ≈ 1 µs per term product) at well under a second before the form gives up.
 */
export const MAX_POLYNOMIAL_TERMS = 20_000;

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
    if (this.terms.size * o.terms.size > MAX_POLYNOMIAL_TERMS) {
      throw new SymbolicLimitError('rational normal form (terms of a product)', this.terms.size * o.terms.size, MAX_POLYNOMIAL_TERMS, 'the expression is too large for the exact normal form; the numeric check decides');
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

/** numerator / denominator; a one-term denominator is always folded into the numerator. */
export class Fraction {
  private constructor(
    readonly numerator: Polynomial,
    readonly denominator: Polynomial,
  ) {}

  static of(numerator: Polynomial, denominator: Polynomial = Polynomial.constant(Rational.ONE)): Fraction {
    if (denominator.isZero()) throw new DivisionByZero();
    if (numerator.isZero()) return new Fraction(numerator, Polynomial.constant(Rational.ONE));
    const t = denominator.single();
    if (t) {
      // c·m in the denominator: multiply the numerator by m^{-1}/c (a Laurent monomial).
      const inverse = Polynomial.constant(t.coefficient.inverse()).mul(monomialPolynomial(t.monomial.map(([a, e]) => [a, -e] as const)));
      return new Fraction(numerator.mul(inverse), Polynomial.constant(Rational.ONE));
    }
    return new Fraction(numerator, denominator);
  }

  isZero(): boolean {
    return this.numerator.isZero();
  }

  /** The constant, when the fraction has no atoms. */
  constantValue(): Rational | null {
    // One-term denominators are folded into the numerator, so a one-term denominator is the constant 1.
    return this.denominator.single() ? this.numerator.constantValue() : null;
  }

  add(o: Fraction): Fraction {
    if (this.denominator.key() === o.denominator.key()) return Fraction.of(this.numerator.add(o.numerator), this.denominator);
    return Fraction.of(this.numerator.mul(o.denominator).add(o.numerator.mul(this.denominator)), this.denominator.mul(o.denominator));
  }

  neg(): Fraction {
    return new Fraction(this.numerator.neg(), this.denominator);
  }

  mul(o: Fraction): Fraction {
    return Fraction.of(this.numerator.mul(o.numerator), this.denominator.mul(o.denominator));
  }

  div(o: Fraction): Fraction {
    if (o.isZero()) throw new DivisionByZero();
    return Fraction.of(this.numerator.mul(o.denominator), this.denominator.mul(o.numerator));
  }

  pow(n: number): Fraction {
    let base: Fraction = n < 0 ? Fraction.of(this.denominator, this.numerator) : this;
    let result = Fraction.of(Polynomial.constant(Rational.ONE));
    for (let k = Math.abs(n); k > 0; k--) result = result.mul(base);
    return result;
  }

  key(): string {
    return `(${this.numerator.key()}) / (${this.denominator.key()})`;
  }
}

function monomialPolynomial(m: Monomial): Polynomial {
  return m.reduce((p, [a, e]) => p.mul(Polynomial.atom(a, e)), Polynomial.constant(Rational.ONE));
}

/** The expression divides by something whose normal form is 0: it is undefined, not a rational function. */
class DivisionByZero extends Error {
  override readonly name = 'DivisionByZero';
}

/** The atoms met while normalising one expression: key → index and mathjs text (for rendering back). */
class AtomTable {
  private readonly indexOf = new Map<string, number>();
  readonly texts: string[] = [];

  atom(key: string, text: string): Fraction {
    let k = this.indexOf.get(key);
    if (k === undefined) {
      k = this.texts.length;
      this.indexOf.set(key, k);
      this.texts.push(text);
    }
    return Fraction.of(Polynomial.atom(k));
  }
}

/**
 * The normal form of an expression, or null when it has none (it divides by an identically zero
 * subexpression). Throws SymbolicLimitError when the form grows past MAX_POLYNOMIAL_TERMS.
 */
export function rationalNormalForm(expression: ScalarExpression): { readonly form: Fraction; readonly atoms: readonly string[] } | null {
  const atoms = new AtomTable();
  try {
    return { form: normalise(expression.node, atoms), atoms: atoms.texts };
  } catch (error) {
    if (error instanceof DivisionByZero) return null;
    throw error;
  }
}

const ONE = (): Fraction => Fraction.of(Polynomial.constant(Rational.ONE));
const constant = (c: Rational): Fraction => Fraction.of(Polynomial.constant(c));

function normalise(node: MathNode, atoms: AtomTable): Fraction {
  switch (node.type) {
    case 'ConstantNode':
      return constant(Rational.fromNumber((node as ConstantNode).value as number));
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      return atoms.atom(`var:${name}`, name);
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
          return atoms.atom(`${fn.name}:${u.key()}`, `${fn.name}(${render(u, atoms.texts)})`);
      }
    }
  }
  throw new RangeError(`rational normal form: node ${node.type} passed the allow-list but has no rule`);
}

/** b^x: expanded for a small integer x, an opaque atom otherwise. */
function power(base: Fraction, exponent: Fraction, atoms: AtomTable): Fraction {
  const x = exponent.constantValue();
  if (x !== null && x.isInteger() && x.p >= -BigInt(MAX_EXPANDED_POWER) && x.p <= BigInt(MAX_EXPANDED_POWER)) return base.pow(Number(x.p));
  return atoms.atom(`pow:${base.key()}:${exponent.key()}`, `(${render(base, atoms.texts)})^(${render(exponent, atoms.texts)})`);
}

/** exp(u) = Π exp(m/q)^p over the terms (p/q)·m of a polynomial u; an opaque atom when u has a denominator. */
function exponential(u: Fraction, atoms: AtomTable): Fraction {
  if (u.denominator.constantValue() === null) return atoms.atom(`exp:${u.key()}`, `exp(${render(u, atoms.texts)})`);
  let result = ONE();
  for (const t of u.numerator.terms.values()) {
    const { p, q } = t.coefficient;
    const m = monomialText(t.monomial, atoms.texts);
    const small = p <= BigInt(MAX_EXPANDED_POWER) && p >= -BigInt(MAX_EXPANDED_POWER);
    result = result.mul(
      small
        ? atoms.atom(`exp:${monomialKey(t.monomial)}/${q}`, q === 1n ? `exp(${m})` : `exp(${m} / ${q})`).pow(Number(p))
        : atoms.atom(`exp:${monomialKey(t.monomial)}*${t.coefficient}`, `exp(${t.coefficient} * ${m})`),
    );
  }
  return result;
}

function monomialText(m: Monomial, texts: readonly string[]): string {
  if (m.length === 0) return '1';
  return m.map(([a, e]) => (e === 1 ? `(${texts[a]})` : `(${texts[a]})^(${e})`)).join(' * ');
}

function polynomialText(p: Polynomial, texts: readonly string[]): string {
  if (p.isZero()) return '0';
  return [...p.terms.values()].map((t) => `(${t.coefficient}) * ${monomialText(t.monomial, texts)}`).join(' + ');
}

/** mathjs text of a fraction over the atoms' texts. */
function render(f: Fraction, texts: readonly string[]): string {
  const den = f.denominator.constantValue();
  const num = polynomialText(f.numerator, texts);
  return den !== null ? `(${num}) / (${den})` : `(${num}) / (${polynomialText(f.denominator, texts)})`;
}

/** The normal form as a checked ScalarExpression (0 when the form is 0). */
export function renderNormalForm(form: Fraction, atoms: readonly string[], variables: readonly string[]): ScalarExpression {
  return ScalarExpression.fromNode(parse(form.isZero() ? '0' : render(form, atoms)), variables, 'the rational normal form');
}
