/**
 * A derivation on concrete numbers (`derivcheck eval`): the loss, and for every target the ground truth
 * with its error bounds, the closed form, the user's formula if given, their differences and verdicts,
 * and the parameters after one SGD step; or, for forward-only examples, the named outputs.
 */
import { estimateGradient } from '../fd/estimate.js';
import type { Graph } from '../fd/graph.js';
import type { GradientVerdict } from '../fd/verdict.js';
import { FormulaError } from '../formula/errors.js';
import { hasName, nameRecord, ownValue } from '../names/records.js';
import { ShapeError, TensorArgumentError, formatShape } from '../tensor/errors.js';
import { type Nested, Tensor } from '../tensor/tensor.js';
import { mul, sub } from '../tensor/broadcast.js';
import { compileClaim } from './claim.js';
import { type GroundTruth, groundTruth, verdictAgainst } from './check.js';
import { type Finding, findingFor } from './finding.js';
import { findingAtSample, findingOfError } from './judge.js';
import { compileKnownMistakes } from './mistake.js';
import { concreteShape } from './shapes.js';
import type { Dims, Example, Problem, Target } from './types.js';

/** Concrete inputs: the example's, or a user's JSON file ({ "dims"?: {...}, "inputs": {...} }). */
export interface ConcreteInput {
  readonly dims?: Readonly<Record<string, number>>;
  readonly inputs: Readonly<Record<string, Nested>>;
}

export interface FormulaEvaluation {
  readonly text: string;
  /** The formula's value at the inputs (absent when it has none). */
  readonly value?: Tensor;
  readonly finding: Finding;
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

/**
 * Dimension sizes read off the inputs' shapes: an entry that is a bare dimension name gives that
 * dimension's size; explicit dims win. Every shape is then checked against the declared one.
 */
export function concreteInputs(problem: Problem, input: ConcreteInput): { dims: Dims; inputs: Record<string, Tensor> } {
  if (typeof input !== 'object' || input === null || typeof input.inputs !== 'object' || input.inputs === null) {
    throw new TensorArgumentError('input', 'expected an object { "dims"?: {...}, "inputs": { NAME: nested array, ... } }');
  }
  const tensors = nameRecord<Tensor>();
  for (const spec of problem.inputs) {
    const nested = ownValue(input.inputs, spec.name);
    if (nested === undefined) throw new TensorArgumentError('input', `no value for ${spec.name} (${spec.description}); inputs are ${problem.inputs.map((i) => i.name).join(', ')}`);
    const t = Tensor.fromNested(nested);
    if (!t.data.every(Number.isFinite)) throw new TensorArgumentError('input', `${spec.name} has a non-finite entry`);
    tensors[spec.name] = spec.domain.kind === 'labels' ? Tensor.labels(t.shape, t.data) : t;
  }
  for (const name of Object.keys(input.inputs)) {
    if (!problem.inputs.some((i) => i.name === name)) throw new TensorArgumentError('input', `${name} is not an input of ${problem.id}; inputs are ${problem.inputs.map((i) => i.name).join(', ')}`);
  }
  const dims = nameRecord<number>();
  const names = new Set(problem.dims.names);
  for (const spec of problem.inputs) {
    spec.shape.forEach((entry, axis) => {
      if (typeof entry === 'string' && names.has(entry) && !hasName(dims, entry)) dims[entry] = tensors[spec.name]!.shape[axis] ?? 1;
    });
  }
  for (const [name, size] of Object.entries(input.dims ?? {})) {
    if (!names.has(name)) throw new TensorArgumentError('input', `"dims" names ${name}, which is not a dimension of ${problem.id}; its dimensions are ${problem.dims.names.join(', ')}`);
    if (!Number.isSafeInteger(size) || size < 0) throw new TensorArgumentError('input', `"dims".${name} is ${JSON.stringify(size)}; a size is a whole number ≥ 0`);
    dims[name] = size;
  }
  const unsized = problem.dims.names.filter((n) => !hasName(dims, n));
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

function evaluateFormula(problem: Problem, target: Target, text: string, truth: GroundTruth, dims: Dims, inputs: Record<string, Tensor>, seed: number): FormulaEvaluation {
  let claim;
  try {
    claim = compileClaim(problem, target, text);
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
    return { text, finding: findingOfError(err) };
  }
  let value: Tensor;
  let verdict: GradientVerdict;
  try {
    value = claim.evaluate(truth.values, dims);
    verdict = verdictAgainst(truth, value, seed);
  } catch (err) {
    if (err instanceof FormulaError) return { text, finding: findingOfError(err, claim.readAs) };
    if (err instanceof ShapeError) return { text, finding: findingFor('shape', err.message, { readAs: claim.readAs }) };
    throw err;
  }
  const check = { sample: { dims, seed }, seedsTried: [seed], verdict, inputs, truth, value, outputFinite: truth.outputFinite };
  return { text, value, finding: findingAtSample(target, check, compileKnownMistakes(problem, target), claim.readAs) };
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
    const closedForm = evaluateFormula(problem, target, target.closedForms[0]!.formula, truth, dims, inputs, seed);
    const text = ownValue(options.formulas, target.name);
    return {
      name: target.name,
      kind: target.kind,
      shape: [...truth.shape],
      numeric: new Tensor(truth.estimate.value, truth.shape),
      errorEstimate: new Tensor(truth.estimate.error, truth.shape),
      closedForm,
      ...(text !== undefined ? { formula: evaluateFormula(problem, target, text, truth, dims, inputs, seed) } : {}),
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
  return nameRecord(outputs.map((name) => [name, source[name]!.rank === 0 ? source[name]!.item() : source[name]!]));
}

/**
 * p − lr·∂L/∂p for every parameter. The gradient is the target's closed form where it agreed with FD at
 * this input (exact, as a worked solution computes it), else the FD estimate itself.
 */
function sgdStep(problem: Problem, graph: Graph, inputs: Record<string, Tensor>, targets: readonly TargetEvaluation[], lr: number) {
  if (!Number.isFinite(lr) || lr <= 0) throw new TensorArgumentError('--lr', `the learning rate must be a positive number, got ${lr}`);
  const params = nameRecord<Tensor>();
  const gradientSource = nameRecord<string>();
  for (const spec of problem.inputs.filter((i) => i.role === 'parameter')) {
    const target = problem.targets.find((t) => t.kind === 'gradient' && t.wrt === spec.name);
    const evaluation = targets.find((t) => t.name === target?.name);
    let gradient: Tensor;
    if (evaluation?.closedForm.finding.status === 'correct' && evaluation.closedForm.value) {
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
