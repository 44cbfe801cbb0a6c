import { LimitExceededError } from './errors.js';
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
function gcd(a, b) {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b)
        [a, b] = [b, a % b];
    return a;
}
function term(num, den, factors) {
    if (den < 0)
        [num, den] = [-num, -den];
    const g = gcd(num, den) || 1;
    num /= g;
    den /= g;
    if (Math.abs(num) > MAX_COEFFICIENT || den > MAX_COEFFICIENT || !Number.isInteger(num) || !Number.isInteger(den)) {
        throw new LimitExceededError('dimension arithmetic exceeds exact integer range', undefined, 'dimensionArithmetic', 'use smaller constants in dimension expressions');
    }
    return { num, den, factors };
}
const keyOf = (factors) => factors.map(([n, p]) => (p === 1 ? n : `${n}^${p}`)).join('*');
export class Dim {
    terms;
    constructor(terms) {
        this.terms = terms;
    }
    static constant(value, den = 1) {
        return Dim.of([term(value, den, [])]);
    }
    static symbol(name) {
        return Dim.of([term(1, 1, [[name, 1]])]);
    }
    static of(terms) {
        const map = new Map();
        for (const t of terms) {
            const key = keyOf(t.factors);
            const old = map.get(key);
            const sum = old ? term(old.num * t.den + t.num * old.den, old.den * t.den, t.factors) : t;
            if (sum.num === 0)
                map.delete(key);
            else
                map.set(key, sum);
        }
        return new Dim(map);
    }
    add(other) {
        return Dim.of([...this.terms.values(), ...other.terms.values()]);
    }
    neg() {
        return Dim.of([...this.terms.values()].map((t) => term(-t.num, t.den, t.factors)));
    }
    sub(other) {
        return this.add(other.neg());
    }
    mul(other) {
        const out = [];
        for (const a of this.terms.values()) {
            for (const b of other.terms.values()) {
                const powers = new Map(a.factors);
                for (const [n, p] of b.factors)
                    powers.set(n, (powers.get(n) ?? 0) + p);
                const factors = [...powers.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
                out.push(term(a.num * b.num, a.den * b.den, factors));
            }
        }
        return Dim.of(out);
    }
    /** Division by a nonzero constant; undefined when `other` is not a nonzero constant. */
    divide(other) {
        const c = other.constantTerm();
        if (!other.isConstant() || c.num === 0)
            return undefined;
        return this.mul(Dim.of([term(c.den, c.num, [])]));
    }
    /** A power with a non-negative integer constant exponent; undefined otherwise. */
    pow(exponent) {
        const k = exponent.constantValue();
        if (k === undefined || !Number.isInteger(k) || k < 0 || k > 16)
            return undefined;
        let out = Dim.constant(1);
        for (let i = 0; i < k; i++)
            out = out.mul(this);
        return out;
    }
    constantTerm() {
        return this.terms.get('') ?? { num: 0, den: 1, factors: [] };
    }
    isConstant() {
        return this.terms.size === 0 || (this.terms.size === 1 && this.terms.has(''));
    }
    /** The value when constant, else undefined. */
    constantValue() {
        if (!this.isConstant())
            return undefined;
        const c = this.constantTerm();
        return c.num / c.den;
    }
    isOne() {
        return this.constantValue() === 1;
    }
    /** True when every coefficient is an integer, so integer dimension values give an integer. */
    hasIntegerCoefficients() {
        return [...this.terms.values()].every((t) => t.den === 1);
    }
    equals(other) {
        if (this.terms.size !== other.terms.size)
            return false;
        for (const [key, t] of this.terms) {
            const u = other.terms.get(key);
            if (!u || u.num !== t.num || u.den !== t.den)
                return false;
        }
        return true;
    }
    /** Dimension names this expression uses. */
    names() {
        const out = new Set();
        for (const t of this.terms.values())
            for (const [n] of t.factors)
                out.add(n);
        return [...out];
    }
    /** The value for given dimension sizes (every name used must be present). */
    evaluate(sizes) {
        let total = 0;
        for (const t of this.terms.values()) {
            let v = t.num;
            for (const [n, p] of t.factors)
                for (let k = 0; k < p; k++)
                    v *= sizes.get(n);
            total += t.den === 1 ? v : v / t.den;
        }
        // Whole values as small integers (V8 Smis): loop bounds and offsets derived from them stay integer-typed.
        return Number.isInteger(total) && Math.abs(total) < SMALL_INTEGER ? total | 0 : total;
    }
    /** Canonical text: higher degree first, then by name; `2*n+kh-1`, `H/2`, `N*D`. */
    toString() {
        const terms = [...this.terms.values()].sort((a, b) => {
            const da = a.factors.reduce((s, [, p]) => s + p, 0);
            const db = b.factors.reduce((s, [, p]) => s + p, 0);
            if (da !== db)
                return db - da;
            const ka = keyOf(a.factors);
            const kb = keyOf(b.factors);
            return ka < kb ? -1 : ka > kb ? 1 : 0;
        });
        if (terms.length === 0)
            return '0';
        let out = '';
        terms.forEach((t, i) => {
            const negative = t.num < 0;
            const absNum = Math.abs(t.num);
            const body = keyOf(t.factors);
            let text;
            if (body === '')
                text = t.den === 1 ? `${absNum}` : `${absNum}/${t.den}`;
            else
                text = `${absNum === 1 ? '' : `${absNum}*`}${body}${t.den === 1 ? '' : `/${t.den}`}`;
            out += i === 0 ? (negative ? `-${text}` : text) : negative ? `-${text}` : `+${text}`;
        });
        return out;
    }
}
/** `N×D`, `(H-kh+1)×W`, `scalar`: the way course derivations write shapes. */
export function formatSymbolicShape(shape) {
    if (shape.length === 0)
        return 'scalar';
    return shape.map((d) => {
        const s = d.toString();
        return /^[A-Za-z0-9_]+$/.test(s) ? s : `(${s})`;
    }).join('×');
}
export function sameSymbolicShape(a, b) {
    return a.length === b.length && a.every((d, i) => d.equals(b[i]));
}
/** The product of the dimensions: the entry count as a polynomial. */
export function symbolicSize(shape) {
    return shape.reduce((acc, d) => acc.mul(d), Dim.constant(1));
}
/**
 * The dimension an expression denotes, when it is built from integers, dimension names (looked up by
 * `dimOf`), + - * , division by a constant and integer powers; otherwise where and why it is not.
 */
export function dimFromExpr(expr, dimOf) {
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
            if (!(a instanceof Dim))
                return a;
            const b = dimFromExpr(expr.right, dimOf);
            if (!(b instanceof Dim))
                return b;
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
