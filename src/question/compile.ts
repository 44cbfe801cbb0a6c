/**
 * A question (spec.ts) compiled to the Problem interface every runner takes: dimensions with their
 * ranges, inputs with domains, the let chain and loss as the forward graph (forward.ts), targets with
 * their answer, accepted spellings and known mistakes, and one property per worked example (it must
 * run, and the answers must agree with FD on its numbers). Every error is a QuestionError naming the
 * field, with the formula's own error (and position) when a formula is at fault.
 */
import fc from 'fast-check';
import { checkFormula } from '../formula/check.js';
import { compileFormula } from '../formula/compile.js';
import { type Declarations, type SymbolDeclaration, parseDimension, resolveDeclarations } from '../formula/declarations.js';
import { type SymbolicShape, formatSymbolicShape } from '../formula/dims.js';
import { FormulaError, FormulaShapeError, UnsupportedNotationError } from '../formula/errors.js';
import { isSquare } from '../formula/shape-algebra.js';
import { LetError, checkLetChain, type LetChain, type LetDefinition } from '../formula/let.js';
import { parseFormula } from '../formula/parse.js';
import { closeNames } from '../formula/suggest.js';
import { nameRecord } from '../names/records.js';
import type { EvaluationCost } from '../problem/budget.js';
import { compileClaim } from '../problem/claim.js';
import { type SampleBudget, dimsArbitrary } from '../problem/dims.js';
import { concreteInputs, evaluateProblem } from '../problem/evaluate.js';
import { formulaNodesCost } from '../problem/formula-node.js';
import { type InputShape, SAMPLE_ENTRIES_BUDGET, assertSampleSize, sampleEntries } from '../problem/sample-size.js';
import type { DimExpr, Dims, Example, GradientTarget, InputSpec, IntermediateSpec, Problem, Property } from '../problem/types.js';
import { ShapeError, TensorArgumentError, formatShape } from '../tensor/errors.js';
import { type ForwardPlan, planForward } from './forward.js';
import { type DimSpec, type FieldPath, QuestionError, type QuestionExample, type QuestionInput, type QuestionSpec, type QuestionTarget } from './spec.js';

/**
 * Largest size a dimension's range may reach. FD perturbs every entry of a target, so sizes are a few
 * units in practice; past a thousand a single sample's sweep takes minutes, which is a typo.
 */
export const MAX_DIM_SIZE = 1000;

/** The loss node's base name; a let step or input of that name moves it to L_1, L_2, ... */
const LOSS_NODE = 'L';

/** Wraps a formula error of the field at `path`. */
function formulaError(path: FieldPath, err: FormulaError): QuestionError {
  return new QuestionError(path, err.what, err.hint, err);
}

/** Runs `check`, turning a FormulaError into a QuestionError at `path`. */
function at<T>(path: FieldPath, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof FormulaError) throw formulaError(path, err);
    throw err;
  }
}

function checkDims(spec: QuestionSpec, maxDimSize: number): Set<string> {
  const names = new Set<string>();
  for (const dim of spec.dims) {
    if (names.has(dim.name)) throw new QuestionError(['dims', dim.name], `the dimension ${dim.name} is declared twice`, 'declare each dimension once');
    at(['dims', dim.name], () => resolveDeclarations({ dims: [dim.name], symbols: [] }));
    if (dim.range) {
      const [lo, hi] = dim.range;
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo < 1 || hi < lo || hi > maxDimSize) {
        throw new QuestionError(['dims', dim.name], `${lo}..${hi} is not a size range`, `write LO..HI with 1 ≤ LO ≤ HI ≤ ${maxDimSize} (N: 1..6), or one size (N: 3)`);
      }
    }
    names.add(dim.name);
  }
  return names;
}

/**
 * A domain that cannot produce the declared shape is refused at once: symmetric and spd draw square
 * matrices, orthogonal draws matrices, and labels:K needs K to be a declared dimension (or a number).
 */
function checkDomainFits(input: QuestionInput, dims: ReadonlySet<string>): void {
  const { name, shape, domain } = input;
  const path = ['inputs', name, 'domain'];
  const symbolic = shape.map((entry) => parseDimension(entry, dims, name));
  if ((domain.kind === 'symmetric' || domain.kind === 'spd') && !isSquare(symbolic.slice(-2))) {
    throw new QuestionError(path, `${domain.kind} draws square matrices, and ${name} is ${formatShape(shape)}`, `declare ${name} square (N×N)`);
  }
  if (domain.kind === 'simplex' && domain.axis !== undefined && domain.axis >= Math.max(shape.length, 1)) {
    throw new QuestionError(path, `simplex:${domain.axis + 1} normalises along dim ${domain.axis + 1}, and ${name} is ${formatShape(shape)}`, `name a dim of ${name} (simplex:1 for columns, simplex:2 for rows), or write simplex for the last`);
  }
  if (domain.kind === 'orthogonal' && shape.length < 2) {
    throw new QuestionError(path, `orthogonal draws matrices, and ${name} is ${formatShape(shape)}`, `declare ${name} as a matrix (N×N)`);
  }
  if (domain.kind === 'labels' && typeof domain.classes === 'string' && !dims.has(domain.classes)) {
    const close = closeNames(domain.classes, dims);
    throw new QuestionError(path, `labels:${domain.classes}: the class count ${domain.classes} is not a dimension`, `${close.length > 0 ? `did you mean labels:${close[0]}? ` : ''}count with a declared dimension, or give the class count as a number (labels:3)`);
  }
}

function declarationsOf(spec: QuestionSpec, dims: ReadonlySet<string>): Declarations {
  const symbols: SymbolDeclaration[] = [];
  const seen = new Set<string>();
  for (const input of spec.inputs) {
    const path = ['inputs', input.name];
    if (dims.has(input.name)) throw new QuestionError(path, `${input.name} is both a dimension and an input`, 'rename one of them');
    if (seen.has(input.name)) throw new QuestionError(path, `the input ${input.name} is declared twice`, 'declare each input once');
    seen.add(input.name);
    input.shape.forEach((entry, i) => {
      try {
        parseDimension(entry, dims, input.name);
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
        const unknown = typeof entry === 'string' ? entry.match(/[A-Za-z_][A-Za-z0-9_]*/g)?.find((n) => !dims.has(n)) : undefined;
        const hint = unknown ? `declare ${unknown} under dims (${unknown}: 1..6), or use one of ${[...dims].join(', ') || 'the dims you declare'}` : 'a shape entry is a whole number or a dimension expression (N, 2*M, H-kh+1)';
        throw new QuestionError([...path, 'shape', i], err.what, hint);
      }
    });
    checkDomainFits(input, dims);
    symbols.push({ name: input.name, shape: [...input.shape], ...(input.domain.kind === 'labels' ? { dtype: 'index' as const } : {}), ...(input.latex ? { aliases: [...input.latex] } : {}) });
    // Each input alone, so that a bad name or LaTeX alias is reported at its own entry.
    at(path, () => resolveDeclarations({ dims: [...dims], symbols: [symbols.at(-1)!] }));
  }
  return { dims: [...dims], symbols, ...(spec.classAxis !== undefined ? { classAxis: spec.classAxis } : {}) };
}

/** The let steps as the formula layer takes them. */
function letDefinitions(spec: QuestionSpec): LetDefinition[] {
  return spec.let.map((l) => ({ name: l.name, formula: l.formula, ...(l.shape ? { shape: [...l.shape] } : {}), ...(l.latex ? { aliases: l.latex } : {}) }));
}

function checkLets(spec: QuestionSpec, declarations: Declarations): LetChain {
  try {
    return checkLetChain(letDefinitions(spec), declarations);
  } catch (err) {
    if (!(err instanceof LetError)) throw err;
    const step = spec.let[err.index]!;
    // A formula's own error points into the formula; a bad name points at the entry.
    if (err.cause instanceof FormulaError && err.position) throw formulaError(['let', step.name], err.cause);
    throw new QuestionError(['let', step.name], err.what, err.hint);
  }
}

function checkLoss(spec: QuestionSpec, declarations: Declarations): void {
  const checked = at(['loss'], () => checkFormula(parseFormula(spec.loss, { declarations }), declarations));
  if (!checked.shape.every((d) => d.isOne())) {
    throw new QuestionError(['loss'], `the loss must be a scalar, but it is ${formatSymbolicShape(checked.shape)}`, 'sum it (sum(...)), average it (mean(...)) or take a norm');
  }
}

/** The admissibility test: a draw is used where the scalar formula is nonzero (true). */
function admissibleOf(text: string, declarations: Declarations): Problem['admissible'] {
  const checked = at(['admissible'], () => checkFormula(parseFormula(text, { declarations }), declarations));
  if (!checked.shape.every((d) => d.isOne())) {
    throw new QuestionError(['admissible'], `the test must be a scalar (true or false), but it is ${formatSymbolicShape(checked.shape)}`, 'compare a sum, e.g. sum(q > 0) > 0');
  }
  const test = compileFormula(checked);
  return (values, dims) => test(values, dims).item() !== 0;
}

/** A free name for the loss node. */
function lossNodeName(taken: ReadonlySet<string>): string {
  if (!taken.has(LOSS_NODE)) return LOSS_NODE;
  for (let k = 1; ; k++) if (!taken.has(`${LOSS_NODE}_${k}`)) return `${LOSS_NODE}_${k}`;
}

function targetOf(spec: QuestionTarget, shapes: ReadonlyMap<string, readonly DimExpr[]>, labels: ReadonlySet<string>): GradientTarget {
  const path = ['targets', spec.name];
  at(path, () => resolveDeclarations({ dims: [], symbols: [{ name: spec.name, shape: [] }] }));
  const shape = shapes.get(spec.wrt);
  if (shape === undefined) {
    const close = closeNames(spec.wrt, shapes.keys());
    throw new QuestionError([...path, 'wrt'], `${spec.wrt} is neither an input nor a let name`, close.length > 0 ? `did you mean ${close.join(' or ')}?` : `name one of ${[...shapes.keys()].join(', ')}`);
  }
  if (labels.has(spec.wrt)) throw new QuestionError([...path, 'wrt'], `${spec.wrt} holds labels, which cannot be perturbed`, 'take the gradient with respect to a real-valued input or a let name');
  return {
    kind: 'gradient',
    name: spec.name,
    wrt: spec.wrt,
    description: spec.description ?? `∂L/∂${spec.wrt}`,
    shape,
    closedForms: [
      { formula: spec.answer.text, syntax: spec.answer.syntax, style: spec.answer.style ?? 'answer' },
      ...spec.accept.map((f, i) => ({ formula: f.text, syntax: f.syntax, style: f.style ?? `accepted spelling ${i + 1}`, accepted: true })),
    ],
    latex: spec.latex ?? '',
    // Reports end the explanation with their own full stop.
    mistakes: spec.mistakes.map((m) => ({ label: m.label, formula: m.formula, why: m.why.replace(/\.\s*$/, '') })),
    points: spec.points ?? 1,
  };
}

/**
 * Every answer and accepted spelling checks against the target's shape; every mistake reads (its
 * shapes may be wrong). An accepted spelling in notation the LaTeX reader does not map with confidence
 * is what a grader rules on (an answer that needed review): it stands, and `verify` says so.
 */
function checkTargetFormulas(problem: Problem, spec: QuestionTarget, target: GradientTarget, declarations: Declarations): void {
  const path = ['targets', spec.name];
  at([...path, 'answer'], () => compileClaim(problem, target, spec.answer.text, spec.answer.syntax));
  spec.accept.forEach((f, i) =>
    at([...path, 'accept', i], () => {
      try {
        compileClaim(problem, target, f.text, f.syntax);
      } catch (err) {
        if (!(err instanceof UnsupportedNotationError)) throw err;
      }
    }),
  );
  spec.mistakes.forEach((m, i) => {
    try {
      checkFormula(parseFormula(m.formula, { declarations }), declarations);
    } catch (err) {
      // A mistake may be one whose shapes do not even fit (students write those too); it must still read.
      if (err instanceof FormulaError && !(err instanceof FormulaShapeError)) throw formulaError([...path, 'mistakes', i, 'formula'], err);
      if (!(err instanceof FormulaError)) throw err;
    }
  });
}

/** The example with the dimension sizes its inputs tell (and those it gives). */
function exampleOf(problem: Problem, spec: QuestionExample, index: number): Example {
  try {
    const { dims } = concreteInputs(problem, { inputs: spec.values, ...(spec.dims ? { dims: spec.dims } : {}) });
    return { name: spec.name, description: spec.description ?? '', dims, inputs: spec.values, ...(spec.lr !== undefined ? { lr: spec.lr } : {}) };
  } catch (err) {
    if (err instanceof TensorArgumentError || err instanceof ShapeError) {
      throw new QuestionError(['examples', index, 'values'], err.message, 'give every input as a nested list of its declared shape, and dims the shapes do not tell');
    }
    throw err;
  }
}

/** The example runs, and no answer is refuted by FD on its numbers (evaluated once, whatever the runs). */
function exampleProperty(problem: Problem, example: Example): Property {
  let verdict: true | string | undefined;
  return {
    name: `example ${example.name}`,
    statement: `the worked example ${example.name} evaluates, and every answer agrees with finite differences on its numbers`,
    expected: 'holds',
    arbitrary: fc.constant(null),
    holds: () => (verdict ??= exampleVerdict(problem, example)),
  };
}

function exampleVerdict(problem: Problem, example: Example): true | string {
  try {
    const report = evaluateProblem(problem, { dims: example.dims, inputs: example.inputs }, { example });
    const refuted = report.targets.filter((t) => t.closedForm.finding.status === 'incorrect' || t.closedForm.finding.status === 'invalid');
    return refuted.length === 0 ? true : refuted.map((t) => `${t.name}: the answer is ${t.closedForm.finding.status} at the example (${t.closedForm.finding.message})`).join('; ');
  } catch (err) {
    return `the example cannot be evaluated: ${(err as Error).message}`;
  }
}

function dimsArbitraryOf(spec: QuestionSpec, budget: SampleBudget | undefined): fc.Arbitrary<Dims> {
  const fixed = nameRecord(spec.dims.flatMap(({ name, range }) => (range ? [[name, range[0] === range[1] ? fc.constant(range[0]) : fc.integer({ min: range[0], max: range[1] })] as const] : [])));
  return dimsArbitrary(spec.dims.map((d) => d.name), { fixed, ...(budget ? { budget } : {}) });
}

/** Inputs with their shapes as dimension polynomials, for the sample-size checks (src/problem/sample-size.ts). */
export function symbolicInputs(inputs: readonly { readonly name: string; readonly shape: readonly DimExpr[] }[], dims: ReadonlySet<string>): InputShape[] {
  return inputs.map((i) => ({ name: i.name, shape: i.shape.map((e) => parseDimension(e, dims, i.name)) }));
}

/**
 * The entries of one sample with every ranged dimension at the top of its range (a drawn one at 1);
 * an input past what a tensor may hold is refused (LimitExceededError) before anything is allocated.
 */
export function largestSampleEntries(inputs: readonly InputShape[], dims: readonly DimSpec[]): number {
  return assertSampleSize(inputs, nameRecord(dims.map((d): [string, number] => [d.name, d.range?.[1] ?? 1])));
}

export interface CompileQuestionOptions {
  /**
   * Check every answer, accepted spelling and mistake now (default), so that a typo is reported at its
   * line; false leaves them to be read when used (the shipped questions, which the test suite verifies,
   * load faster).
   */
  readonly checkFormulas?: boolean;
  /** Names FD differentiates with respect to besides the targets' (an inline check's claimed gradient): the forward keeps their incremental paths. */
  readonly wrt?: readonly string[];
  /** Largest size a dimension's range may reach (default MAX_DIM_SIZE). */
  readonly maxDimSize?: number;
  /**
   * Draws of the dimensions without a range keep a sample within SAMPLE_ENTRIES_BUDGET entries (an ad
   * hoc check, whose inputs may be of any rank); a question file's draws are its author's.
   */
  readonly sampleBudget?: boolean;
}

/**
 * What one FD evaluation with respect to `wrt` runs: nothing but the rules' sparse updates where every
 * node between `wrt` and the loss has one (priced at 0: the plan's evaluation count and bookkeeping
 * bound it), else the downstream nodes' formulas in full.
 */
function forwardCostOf(plan: ForwardPlan, sizes: Dims, wrt: string): EvaluationCost {
  const graph = plan.graph(sizes);
  if (graph.incrementalPath(wrt)) return { seconds: 0, peakBytes: 0 };
  const downstream = new Set(graph.downstream(wrt).map((n) => n.name));
  return formulaNodesCost(plan.nodes.filter((n) => downstream.has(n.name)).map((n) => n.formula), sizes);
}

/** Compiles a question into a Problem; throws QuestionError. */
export function compileQuestion(spec: QuestionSpec, options: CompileQuestionOptions = {}): Problem {
  const dims = checkDims(spec, options.maxDimSize ?? MAX_DIM_SIZE);
  const declarations = declarationsOf(spec, dims);
  const sampleInputs = symbolicInputs(spec.inputs, dims);
  at(['dims'], () => largestSampleEntries(sampleInputs, spec.dims));
  const chain = checkLets(spec, declarations);
  checkLoss(spec, chain.declarations);

  const inputShapes = new Map<string, SymbolicShape>(sampleInputs.map((i) => [i.name, i.shape]));
  const taken = new Set([...dims, ...inputShapes.keys(), ...chain.steps.map((s) => s.name)]);

  const shapes = new Map<string, readonly DimExpr[]>([...spec.inputs.map((i): [string, readonly DimExpr[]] => [i.name, i.shape]), ...chain.steps.map((s): [string, readonly DimExpr[]] => [s.name, s.declaredShape])]);
  const labels = new Set(spec.inputs.filter((i) => i.domain.kind === 'labels').map((i) => i.name));
  const seenTargets = new Set<string>();
  const targets = spec.targets.map((t) => {
    if (seenTargets.has(t.name)) throw new QuestionError(['targets', t.name], `the target ${t.name} is defined twice`, 'give each target a name of its own');
    seenTargets.add(t.name);
    return targetOf(t, shapes, labels);
  });
  const plan = planForward(declarations, inputShapes, letDefinitions(spec), spec.loss, lossNodeName(taken), [...targets.map((t) => t.wrt), ...(options.wrt ?? [])]);
  for (const [spelling, name] of spec.notation?.aliases ?? []) {
    if (!shapes.has(name)) throw new QuestionError(['notation', 'aliases', spelling], `${spelling} stands for ${name}, which is neither an input nor a let name`, `name one of ${[...shapes.keys()].join(', ')}`);
  }
  const wrt = new Set(targets.map((t) => t.wrt));
  const inputs: InputSpec[] = spec.inputs.map((i) => ({
    name: i.name,
    shape: i.shape,
    domain: i.domain,
    role: i.role ?? (wrt.has(i.name) ? 'parameter' : 'data'),
    description: i.description ?? `an input of shape ${formatShape(i.shape)}`,
    ...(i.latex ? { latexAliases: i.latex } : {}),
  }));
  const intermediates: IntermediateSpec[] = chain.steps.map((s, k) => {
    const step = spec.let[k]!;
    return { name: s.name, shape: s.declaredShape, description: step.description ?? `${s.name} = ${s.compiled.checked.parsed.readAs}`, ...(step.latex ? { latexAliases: step.latex } : {}) };
  });
  const properties: Property[] = [];
  const examples: Example[] = [];
  const problem: Problem = {
    id: spec.id,
    title: spec.title,
    statement: spec.statement,
    dims: { names: spec.dims.map((d) => d.name), arbitrary: dimsArbitraryOf(spec, options.sampleBudget ? { entries: sampleEntries(sampleInputs), max: SAMPLE_ENTRIES_BUDGET } : undefined) },
    inputs,
    intermediates,
    forward: (sizes) => plan.graph(sizes),
    forwardCost: (sizes, wrt) => forwardCostOf(plan, sizes, wrt),
    ...(spec.admissible !== undefined ? { admissible: admissibleOf(spec.admissible, chain.declarations) } : {}),
    targets,
    properties,
    examples,
    ...(spec.classAxis !== undefined ? { classAxis: spec.classAxis } : {}),
    ...(spec.notation ? { notation: spec.notation } : {}),
    ...(spec.grading ? { grading: spec.grading } : {}),
  };
  if (options.checkFormulas ?? true) spec.targets.forEach((t, i) => checkTargetFormulas(problem, t, targets[i]!, chain.declarations));
  const seenExamples = new Set<string>();
  spec.examples.forEach((e, i) => {
    if (seenExamples.has(e.name)) throw new QuestionError(['examples', i, 'name'], `the example ${e.name} is defined twice`, 'give each example a name of its own');
    seenExamples.add(e.name);
    const example = exampleOf(problem, e, i);
    examples.push(example);
    properties.push(exampleProperty(problem, example));
  });
  return problem;
}
