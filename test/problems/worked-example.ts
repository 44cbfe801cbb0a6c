import { compileClaim } from '../../src/problem/claim.js';
import { verdictAt } from '../../src/problem/check.js';
import type { Example, Problem, Target } from '../../src/problem/types.js';
import type { GradientVerdict } from '../../src/fd/verdict.js';
import { mul, sub } from '../../src/tensor/broadcast.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** A worked example as derivcheck computes it: forward values, each target's reference closed form, the SGD step. */
export interface WorkedExample {
  readonly example: Example;
  readonly inputs: Record<string, Tensor>;
  /** Inputs and every node of the forward graph. */
  readonly values: Record<string, Tensor>;
  readonly loss: number;
  /** Target name → the value of its first (reference) closed form. */
  readonly gradients: Record<string, Tensor>;
  /** Parameter name → parameter − lr · its gradient (only when the example has an lr). */
  readonly stepped: Record<string, Tensor>;
}

export function exampleNamed(problem: Problem, name: string): Example {
  const example = problem.examples.find((e) => e.name === name);
  if (!example) throw new Error(`${problem.id} has no example '${name}' (it has: ${problem.examples.map((e) => e.name).join(', ')})`);
  return example;
}

/** The example's inputs as tensors; label inputs are tagged `index`, as sampled labels are. */
export function exampleInputs(problem: Problem, example: Example): Record<string, Tensor> {
  const inputs: Record<string, Tensor> = {};
  for (const spec of problem.inputs) {
    const t = Tensor.fromNested(example.inputs[spec.name]!);
    inputs[spec.name] = spec.domain.kind === 'labels' ? Tensor.labels(t.shape, t.data) : t;
  }
  return inputs;
}

function referenceClaim(problem: Problem, target: Target) {
  const reference = target.closedForms[0]!;
  return compileClaim(problem, target, reference.formula, reference.syntax ?? 'formula');
}

export function workExample(problem: Problem, name: string): WorkedExample {
  const example = exampleNamed(problem, name);
  const inputs = exampleInputs(problem, example);
  const graph = problem.forward(example.dims);
  const values = graph.evaluate(inputs);
  const gradients: Record<string, Tensor> = {};
  const stepped: Record<string, Tensor> = {};
  for (const target of problem.targets) {
    gradients[target.name] = referenceClaim(problem, target).evaluate(values, example.dims);
    const param = target.kind === 'gradient' ? problem.inputs.find((i) => i.name === target.wrt && i.role === 'parameter') : undefined;
    if (param && example.lr !== undefined) stepped[param.name] = sub(inputs[param.name]!, mul(example.lr, gradients[target.name]!));
  }
  return { example, inputs, values, loss: graph.loss(inputs), gradients, stepped };
}

/** Verdict of every closed form of every target at the example's inputs: FD's word on the worked numbers. */
export function closedFormVerdictsAt(problem: Problem, name: string): { target: string; formula: string; verdict: GradientVerdict }[] {
  const example = exampleNamed(problem, name);
  const inputs = exampleInputs(problem, example);
  return problem.targets.flatMap((target) =>
    target.closedForms.map((cf) => ({
      target: target.name,
      formula: cf.formula,
      verdict: verdictAt(problem, target, compileClaim(problem, target, cf.formula, cf.syntax ?? 'formula'), example.dims, 0, inputs),
    })),
  );
}
