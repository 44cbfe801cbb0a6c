/**
 * An ad hoc problem, made from a loss expression and declared shapes (`derivcheck check`): the loss
 * formula becomes a one-node forward graph, the claimed gradient a target, and the same runner that
 * verifies problem modules checks it.
 */
import fc from 'fast-check';
import { Graph } from '../fd/graph.js';
import { checkFormula } from '../formula/check.js';
import { compileFormula } from '../formula/compile.js';
import { type Declarations, resolveDeclarations } from '../formula/declarations.js';
import { type SymbolicShape, formatSymbolicShape } from '../formula/dims.js';
import { DeclarationError, FormulaShapeError, UnknownSymbolError } from '../formula/errors.js';
import { parseFormula } from '../formula/parse.js';
import { isSquare } from '../formula/shape-algebra.js';
import { closeNames } from '../formula/suggest.js';
import { nameRecord, ownValue } from '../names/records.js';
import { type SampleBudget, dimsArbitrary } from './dims.js';
import { formulaNode } from './formula-node.js';
import { type InputShape, SAMPLE_ENTRIES_BUDGET, assertSampleSize, sampleEntries } from './sample-size.js';
import type { DimExpr, Dims, Domain, GradientTarget, Problem } from './types.js';

/** The loss node's name: not an identifier, so it never collides with a declared input. */
const LOSS_NODE = '(loss)';

export interface AdHocSpec {
  /** A scalar-valued formula over the declared inputs. */
  readonly loss: string;
  /** The input the gradient is taken with respect to. */
  readonly wrt: string;
  /** The claimed gradient (formula language, or LaTeX with syntax 'latex'). */
  readonly grad: string;
  readonly gradSyntax?: 'formula' | 'latex';
  /** Every input and its shape in sizes or dimension names: { X: ['N', 'D'], w: ['D', 1] }. */
  readonly shapes: Readonly<Record<string, readonly DimExpr[]>>;
  /** Size ranges of named dimensions (inclusive); dimensions without one draw distinct sizes in 2..6. */
  readonly dimRanges?: Readonly<Record<string, readonly [number, number]>>;
  /** Input domains; the default is standard normal. */
  readonly domains?: Readonly<Record<string, Domain>>;
}

/** Dimension names used by shape entries: the identifiers in them (parseDimension validates the rest). */
function dimNamesOf(shapes: Readonly<Record<string, readonly DimExpr[]>>): string[] {
  const names = new Set<string>();
  for (const shape of Object.values(shapes)) {
    for (const entry of shape) if (typeof entry === 'string') for (const m of entry.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(m[0]);
  }
  return [...names];
}

function dimsFor(names: readonly string[], ranges: Readonly<Record<string, readonly [number, number]>>, budget: SampleBudget): fc.Arbitrary<Dims> {
  const fixed = nameRecord(Object.entries(ranges).map(([name, [lo, hi]]) => [name, fc.integer({ min: lo, max: hi })]));
  return dimsArbitrary(names, { fixed, budget });
}

/**
 * Refuses --dims under which an input could not be allocated (before anything is), and says when they
 * allow samples past the budget that default draws keep to. Sizes are taken at the top of each range,
 * and 1 for the drawn ones (which the budget lowers as far as needed).
 */
function sizeNotices(inputs: readonly InputShape[], dimNames: readonly string[], ranges: Readonly<Record<string, readonly [number, number]>>): string[] {
  const largest = nameRecord(dimNames.map((n) => [n, ownValue(ranges, n)?.[1] ?? 1]));
  const entries = assertSampleSize(inputs, largest);
  if (entries <= SAMPLE_ENTRIES_BUDGET) return [];
  return [`--dims allow samples of up to ${entries} entries, past the ${SAMPLE_ENTRIES_BUDGET} that default draws keep to: finite differences check every entry, so the check may take long`];
}

/** A domain that cannot produce the declared shape (spd of an N×D matrix, labels of an unknown class count) is bad input, said at once. */
function checkDomainFits(name: string, domain: Domain, shape: SymbolicShape, dimNames: readonly string[]): void {
  const what = `--domain ${name}=${domain.kind}`;
  if ((domain.kind === 'symmetric' || domain.kind === 'spd') && !isSquare(shape.slice(-2))) {
    throw new DeclarationError(`${what} draws square matrices, and ${name} is ${formatSymbolicShape(shape)}`, undefined, `declare ${name} square, e.g. --shape ${name}=NxN`);
  }
  if (domain.kind === 'orthogonal' && shape.length < 2) {
    throw new DeclarationError(`${what} draws matrices, and ${name} is ${formatSymbolicShape(shape)}`, undefined, `declare ${name} as a matrix, e.g. --shape ${name}=NxN`);
  }
  if (domain.kind === 'labels' && typeof domain.classes === 'string' && !dimNames.includes(domain.classes)) {
    throw new UnknownSymbolError(`${what}:${domain.classes}: ${domain.classes} is not a dimension of any --shape`, undefined, domain.classes, closeNames(domain.classes, dimNames), `give the class count as a number (labels:3) or use a dimension of the shapes`);
  }
}

/**
 * The problem and its target; `notices` are what the user should know about the run (printed, not
 * errors), such as --dims past the sample budget.
 */
export function adHocProblem(spec: AdHocSpec): { problem: Problem; target: GradientTarget; notices: readonly string[] } {
  const inputs = Object.keys(spec.shapes);
  const dimNames = dimNamesOf(spec.shapes);
  const ranges = spec.dimRanges ?? {};
  for (const name of Object.keys(ranges)) {
    if (!dimNames.includes(name)) throw new UnknownSymbolError(`--dims names ${name}, which no --shape uses`, undefined, name, closeNames(name, dimNames));
  }
  for (const [name, domain] of Object.entries(spec.domains ?? {})) {
    if (!inputs.includes(name)) throw new UnknownSymbolError(`--domain names ${name}, which no --shape declares`, undefined, name, closeNames(name, inputs));
  }
  const declarations: Declarations = {
    dims: dimNames,
    symbols: inputs.map((name) => ({
      name,
      shape: [...spec.shapes[name]!],
      ...(ownValue(spec.domains, name)?.kind === 'labels' ? { dtype: 'index' as const } : {}),
    })),
  };
  if (!inputs.includes(spec.wrt)) throw new UnknownSymbolError(`--wrt ${spec.wrt} is not a declared input`, undefined, spec.wrt, closeNames(spec.wrt, inputs));
  const scope = resolveDeclarations(declarations);
  const inputShapes = inputs.map((name): InputShape => ({ name, shape: scope.symbols.get(name)!.shape }));
  const notices = sizeNotices(inputShapes, dimNames, ranges);

  const checkedLoss = checkFormula(parseFormula(spec.loss, { declarations }), declarations);
  for (const [name, domain] of Object.entries(spec.domains ?? {})) checkDomainFits(name, domain, checkedLoss.scope.symbols.get(name)?.shape ?? [], dimNames);
  if (!checkedLoss.shape.every((d) => d.constantValue() === 1)) {
    throw new FormulaShapeError(`the loss must be a scalar, but ${spec.loss} is ${formatSymbolicShape(checkedLoss.shape)}`, undefined, 'sum it (sum(...)) or take a norm');
  }
  const loss = compileFormula(checkedLoss);

  const problem: Problem = {
    id: 'ad-hoc',
    title: 'Ad hoc check',
    statement: `L = ${checkedLoss.parsed.readAs}; is ∂L/∂${spec.wrt} = ${spec.grad}?`,
    dims: { names: dimNames, arbitrary: dimsFor(dimNames, ranges, { entries: sampleEntries(inputShapes), max: SAMPLE_ENTRIES_BUDGET }) },
    inputs: inputs.map((name) => ({
      name,
      shape: spec.shapes[name]!,
      domain: ownValue(spec.domains, name) ?? { kind: 'normal' },
      role: name === spec.wrt ? 'parameter' : 'data',
      description: `declared with --shape ${name}=${spec.shapes[name]!.join('x')}`,
    })),
    intermediates: [],
    // The loss node declares the loss formula's kinks (relu, max, comparisons) to FD.
    forward: (dims) => new Graph({ inputs, nodes: [formulaNode(LOSS_NODE, loss, inputs, dims)], output: LOSS_NODE }),
    targets: [],
    properties: [],
    examples: [],
  };
  const target: GradientTarget = {
    kind: 'gradient',
    name: `d${spec.wrt}`,
    wrt: spec.wrt,
    description: `∂L/∂${spec.wrt}`,
    shape: spec.shapes[spec.wrt]!,
    closedForms: [{ formula: spec.grad, syntax: spec.gradSyntax ?? 'formula', style: 'claimed' }],
    latex: '',
    mistakes: [],
  };
  return { problem: { ...problem, targets: [target] }, target, notices };
}
