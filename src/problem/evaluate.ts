/**
 * A derivation on concrete numbers (`derivcheck eval`): the loss, and for every target the ground truth
 * with its error bounds, the closed form, the user's formula if given, their differences and verdicts,
 * and the parameters after one SGD step; or, for forward-only examples, the named outputs.
 */
import { estimateGradient } from '../fd/estimate.js';
import type { Graph } from '../fd/graph.js';
import type { GradientVerdict, VerdictStatus } from '../fd/verdict.js';
import { FormulaError } from '../formula/errors.js';
import { ShapeError, TensorArgumentError, formatShape } from '../tensor/errors.js';
import { type Nested, Tensor } from '../tensor/tensor.js';
import { mul, sub } from '../tensor/broadcast.js';
import { compileClaim } from './claim.js';
import { type GroundTruth, groundTruth, verdictAgainst } from './check.js';
import { concreteShape } from './shapes.js';
import type { Dims, Example, Problem, Target } from './types.js';

/** Concrete inputs: the example's, or a user's JSON file ({ "dims"?: {...}, "inputs": {...} }). */
export interface ConcreteInput {
  readonly dims?: Readonly<Record<string, number>>;
  readonly inputs: Readonly<Record<string, Nested>>;
}

export type EvalVerdict = 'correct' | 'incorrect' | 'undecided' | 'non-differentiable' | 'invalid';

export interface FormulaEvaluation {
  readonly text: string;
  readonly readAs?: string;
  readonly value?: Tensor;
  readonly verdict: EvalVerdict;
  readonly maxAbsErr?: number;
  readonly maxRelErr?: number;
  readonly detail?: GradientVerdict;
  /** Why the formula could not be evaluated (invalid). */
  readonly error?: string;
}

export interface TargetEvaluation {
  readonly name: string;
  readonly kind: Target['kind'];
  readonly shape: readonly number[];
  /** Ground truth: FD estimate (or the value target's reference) and its error bound per entry. */
  readonly numeric: Tensor;
  readonly errorEstimate: Tensor;
  readonly closedForm: FormulaEvaluation;
  readonly formula?: FormulaEvaluation;
}

export interface EvalReport {
  readonly problem: string;
  readonly example?: string;
  readonly dims: Dims;
  /** The forward's output; null for forward-only examples whose forward ends in no scalar. */
  readonly loss: number | null;
  readonly targets: readonly TargetEvaluation[];
  /** Parameters after one SGD step p − lr·∂L/∂p. */
  readonly step?: { readonly lr: number; readonly params: Readonly<Record<string, Tensor>>; readonly gradientSource: Readonly<Record<string, string>> };
  /** Forward-only examples: the named nodes' values. */
  readonly outputs?: Readonly<Record<string, Tensor | number>>;
}

export interface EvalOptions {
  readonly example?: Example;
  /** User formulas by target name. */
  readonly formulas?: Readonly<Record<string, string>>;
  readonly lr?: number;
  readonly seed?: number;
}

const VERDICT_WORDS: Record<VerdictStatus, EvalVerdict> = {
  pass: 'correct',
  fail: 'incorrect',
  undecided: 'undecided',
  'non-differentiable': 'non-differentiable',
};

/**
 * Dimension sizes read off the inputs' shapes: an entry that is a bare dimension name gives that
 * dimension's size; explicit dims win. Every shape is then checked against the declared one.
 */
export function concreteInputs(problem: Problem, input: ConcreteInput): { dims: Dims; inputs: Record<string, Tensor> } {
  if (typeof input !== 'object' || input === null || typeof input.inputs !== 'object' || input.inputs === null) {
    throw new TensorArgumentError('input', 'expected an object { "dims"?: {...}, "inputs": { NAME: nested array, ... } }');
  }
  // Null-prototype: input and dimension names are the user's ('constructor', 'valueOf').
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const spec of problem.inputs) {
    const nested = Object.hasOwn(input.inputs, spec.name) ? input.inputs[spec.name] : undefined;
    if (nested === undefined) throw new TensorArgumentError('input', `no value for ${spec.name} (${spec.description}); inputs are ${problem.inputs.map((i) => i.name).join(', ')}`);
    const t = Tensor.fromNested(nested);
    if (!t.data.every(Number.isFinite)) throw new TensorArgumentError('input', `${spec.name} has a non-finite entry`);
    tensors[spec.name] = spec.domain.kind === 'labels' ? Tensor.labels(t.shape, t.data) : t;
  }
  for (const name of Object.keys(input.inputs)) {
    if (!problem.inputs.some((i) => i.name === name)) throw new TensorArgumentError('input', `${name} is not an input of ${problem.id}; inputs are ${problem.inputs.map((i) => i.name).join(', ')}`);
  }
  const dims: Record<string, number> = Object.create(null);
  const names = new Set(problem.dims.names);
  for (const spec of problem.inputs) {
    spec.shape.forEach((entry, axis) => {
      if (typeof entry === 'string' && names.has(entry) && dims[entry] === undefined) dims[entry] = tensors[spec.name]!.shape[axis] ?? 1;
    });
  }
  Object.assign(dims, input.dims ?? {});
  const unsized = problem.dims.names.filter((n) => dims[n] === undefined);
  if (unsized.length > 0) throw new TensorArgumentError('input', `the size of ${unsized.join(', ')} cannot be read off the inputs; give it in "dims"`);
  for (const spec of problem.inputs) {
    const expected = concreteShape(spec.shape, dims, spec.name);
    const got = tensors[spec.name]!.shape;
    if (expected.length !== got.length || expected.some((d, i) => d !== got[i])) {
      throw new ShapeError(`input ${spec.name}`, [expected, got], `expected ${formatShape(spec.shape)} = ${formatShape(expected)} at ${JSON.stringify(dims)}`);
    }
  }
  return { dims, inputs: tensors };
}

function evaluateFormula(problem: Problem, target: Target, text: string, truth: GroundTruth, dims: Dims, seed: number): FormulaEvaluation {
  try {
    const claim = compileClaim(problem, target, text);
    const value = claim.evaluate(truth.values, dims);
    const detail = verdictAgainst(truth, value, seed);
    return { text, readAs: claim.readAs, value, verdict: VERDICT_WORDS[detail.status], maxAbsErr: detail.maxAbsError, maxRelErr: detail.maxRelError, detail };
  } catch (err) {
    if (!(err instanceof FormulaError || err instanceof ShapeError)) throw err;
    return { text, verdict: 'invalid', error: err instanceof FormulaError ? err.describe() : err.message };
  }
}

export function evaluateProblem(problem: Problem, input: ConcreteInput, options: EvalOptions = {}): EvalReport {
  const seed = options.seed ?? 0;
  const { dims, inputs } = concreteInputs(problem, input);
  for (const name of Object.keys(options.formulas ?? {})) {
    if (!problem.targets.some((t) => t.name === name)) {
      throw new TensorArgumentError('--formula', `${name} is not a target of ${problem.id}; targets are ${problem.targets.map((t) => t.name).join(', ')}`);
    }
  }
  const example = options.example;
  const graph = problem.forward(dims);
  const values = graph.evaluate(inputs);
  const output = values[graph.output]!;
  const targets: TargetEvaluation[] = problem.targets.map((target) => {
    const truth = groundTruth(problem, target, dims, inputs);
    const closedForm = evaluateFormula(problem, target, target.closedForms[0]!.formula, truth, dims, seed);
    const text = options.formulas?.[target.name];
    return {
      name: target.name,
      kind: target.kind,
      shape: [...truth.shape],
      numeric: new Tensor(truth.estimate.value, truth.shape),
      errorEstimate: new Tensor(truth.estimate.error, truth.shape),
      closedForm,
      ...(text !== undefined ? { formula: evaluateFormula(problem, target, text, truth, dims, seed) } : {}),
    };
  });
  const outputs = example?.outputs ? exampleOutputs(example, example.outputs, dims, inputs, values) : undefined;
  const lr = options.lr ?? example?.lr;
  return {
    problem: problem.id,
    ...(example ? { example: example.name } : {}),
    dims,
    loss: output.size === 1 ? output.contiguous().data[0]! : null,
    targets,
    ...(outputs ? { outputs } : {}),
    ...(lr !== undefined ? { step: sgdStep(problem, graph, inputs, targets, lr) } : {}),
  };
}

/** The named nodes of a forward-only example: of its own forward if it has one, else of the problem's (`values`). */
function exampleOutputs(example: Example, outputs: readonly string[], dims: Dims, inputs: Record<string, Tensor>, values: Record<string, Tensor>): Record<string, Tensor | number> {
  const source = example.forward ? example.forward(dims).evaluate(inputs) : values;
  return Object.fromEntries(outputs.map((name) => [name, source[name]!.rank === 0 ? source[name]!.item() : source[name]!]));
}

/**
 * p − lr·∂L/∂p for every parameter. The gradient is the target's closed form where it agreed with FD at
 * this input (exact, as a worked solution computes it), else the FD estimate itself.
 */
function sgdStep(problem: Problem, graph: Graph, inputs: Record<string, Tensor>, targets: readonly TargetEvaluation[], lr: number) {
  if (!Number.isFinite(lr) || lr <= 0) throw new TensorArgumentError('--lr', `the learning rate must be a positive number, got ${lr}`);
  const params: Record<string, Tensor> = {};
  const gradientSource: Record<string, string> = {};
  for (const spec of problem.inputs.filter((i) => i.role === 'parameter')) {
    const target = problem.targets.find((t) => t.kind === 'gradient' && t.wrt === spec.name);
    const evaluation = targets.find((t) => t.name === target?.name);
    let gradient: Tensor;
    if (evaluation?.closedForm.verdict === 'correct' && evaluation.closedForm.value) {
      gradient = evaluation.closedForm.value;
      gradientSource[spec.name] = `closed form of ${evaluation.name}`;
    } else {
      const objective = graph.objective(spec.name, inputs);
      gradient = new Tensor(estimateGradient(objective).value, objective.shape);
      gradientSource[spec.name] = 'finite differences';
    }
    params[spec.name] = sub(inputs[spec.name]!, mul(lr, gradient));
  }
  return { lr, params, gradientSource };
}
