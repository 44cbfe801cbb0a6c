/**
 * Where the variables of a symbolic fact live: a distribution per variable (the seeded points every
 * engine result is checked at) and side conditions that fix some variables by the others (Σ p = 1 as
 * p_K = 1 − Σ_{j<K} p_j), applied by substitution on the symbolic side and by evaluation on the numeric one.
 */
import { Rng, sample } from '../tensor/rng.js';
import { SymbolicArgumentError } from './errors.js';
import { ScalarExpression } from './expression.js';

/** How a variable is drawn: standard normal by default; `positive` is the tensor core's log-normal (for log and sqrt arguments). */
export type VariableDomain =
  | { readonly kind: 'normal'; readonly std?: number }
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'positive' };

/** A variable fixed by the others, `variable = equals`, e.g. p5 = 1 - (p1 + p2 + p3 + p4) for Σ p = 1. */
export interface Condition {
  readonly variable: string;
  /** Scalar expression over the free variables. */
  readonly equals: string;
  /** The condition as a derivation states it: 'Σ_j p_j = 1'. */
  readonly statement: string;
}

export interface VariableSpaceSpec {
  readonly variables: readonly string[];
  /** Per-variable distribution; variables not listed are standard normal. */
  readonly domains?: Readonly<Record<string, VariableDomain>>;
  readonly conditions?: readonly Condition[];
}

/** A point of the space, by name (what reports print). */
export type VariablePoint = Readonly<Record<string, number>>;

/** A validated variable space: draws seeded points (conditions applied) and substitutes conditions into expressions. */
export class VariableSpace {
  readonly variables: readonly string[];
  readonly conditions: readonly Condition[];
  /** Dependent variable → its expression over the free ones. */
  readonly substitution: ReadonlyMap<string, ScalarExpression>;
  private readonly draws: readonly ((rng: Rng) => number)[];
  private readonly dependent: readonly { readonly slot: number; readonly value: ScalarExpression }[];

  constructor(readonly spec: VariableSpaceSpec) {
    this.variables = spec.variables;
    this.conditions = spec.conditions ?? [];
    const domains = spec.domains ?? {};
    for (const name of Object.keys(domains)) {
      if (!spec.variables.includes(name)) {
        throw new SymbolicArgumentError('variable space', `a domain is given for '${name}', which is not a variable`, `declare it among the variables (${spec.variables.join(', ')})`);
      }
    }
    this.draws = spec.variables.map((name) => drawFor(name, domains[name] ?? { kind: 'normal' }));
    const fixed = new Set(this.conditions.map((c) => c.variable));
    const substitution = new Map<string, ScalarExpression>();
    const dependent: { slot: number; value: ScalarExpression }[] = [];
    for (const c of this.conditions) {
      const slot = spec.variables.indexOf(c.variable);
      if (slot < 0) throw new SymbolicArgumentError('condition', `'${c.statement}' fixes '${c.variable}', which is not a variable`, `declare it among the variables (${spec.variables.join(', ')})`);
      const value = ScalarExpression.parse(c.equals, spec.variables);
      const uses = [...value.symbols()].filter((v) => fixed.has(v));
      if (uses.length > 0) {
        throw new SymbolicArgumentError('condition', `'${c.variable} = ${c.equals}' uses the fixed variable(s) ${uses.join(', ')}`, 'express each fixed variable by free variables only');
      }
      substitution.set(c.variable, value);
      dependent.push({ slot, value });
    }
    this.substitution = substitution;
    this.dependent = dependent;
  }

  /** The same variables with every variable free (conditions dropped): derivatives are taken there, before conditions apply. */
  withoutConditions(): VariableSpace {
    return new VariableSpace({ variables: this.spec.variables, domains: this.spec.domains ?? {} });
  }

  /** Applies the conditions to an expression: the fixed variables are replaced by their expressions. */
  condition(expression: ScalarExpression): ScalarExpression {
    return this.substitution.size === 0 ? expression : expression.substitute(this.substitution);
  }

  /** Draws one point into `out` (ordered as `variables`): free variables from their domains, fixed ones computed. */
  draw(rng: Rng, out: Float64Array): Float64Array {
    for (let k = 0; k < this.draws.length; k++) out[k] = this.draws[k]!(rng);
    for (const d of this.dependent) out[d.slot] = d.value.evaluate(out);
    return out;
  }

  pointOf(values: ArrayLike<number>): VariablePoint {
    return Object.fromEntries(this.variables.map((name, k) => [name, values[k]!]));
  }
}

function drawFor(name: string, domain: VariableDomain): (rng: Rng) => number {
  switch (domain.kind) {
    case 'normal':
      return (rng) => sample.normal(rng, [], 0, domain.std ?? 1).data[0]!;
    case 'positive':
      return (rng) => sample.positive(rng, []).data[0]!;
    case 'uniform':
      if (!(domain.lo < domain.hi)) {
        throw new SymbolicArgumentError(`domain of '${name}'`, `uniform needs lo < hi, got [${domain.lo}, ${domain.hi}]`, 'give an interval with lo < hi');
      }
      return (rng) => rng.uniform(domain.lo, domain.hi);
  }
}
