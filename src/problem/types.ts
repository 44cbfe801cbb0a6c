/**
 * What a problem module declares. A module reads like the derivation: dimensions, inputs, forward,
 * targets with closed forms, mistakes, examples (docs/problems.md explains how to add one).
 */
import type { Arbitrary } from 'fast-check';
import type { Graph } from '../fd/graph.js';
import type { LatexNotation } from '../formula/parse.js';
import type { Nested, Tensor } from '../tensor/tensor.js';
import type { EvaluationCost } from './budget.js';

/** Concrete sizes for a problem's named dimensions. */
export type Dims = Readonly<Record<string, number>>;

/** A shape entry: a number or a dimension expression over the problem's dimension names ('H-kh+1'). */
export type DimExpr = string | number;

/**
 * How an input's values are drawn (src/problem/sample.ts). A domain only decides where samples are
 * drawn: FD still perturbs entries one at a time, so a symmetric input's gradient is the one with its
 * entries treated as independent (docs/formulas.md, "Domains").
 */
export type Domain =
  | { readonly kind: 'normal'; readonly std?: number }
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  /** Log-normal: for inputs of log, sqrt and division. */
  | { readonly kind: 'positive' }
  /** Normal values at least `margin` from 0, for inputs of relu/step/abs kinks. */
  | { readonly kind: 'awayFromZero'; readonly margin?: number }
  /** Each slice along `axis` (default: the last; 0-based) lies on the probability simplex. */
  | { readonly kind: 'simplex'; readonly axis?: number }
  /** Integer labels 1..K, K a dimension name or a number. */
  | { readonly kind: 'labels'; readonly classes: string | number }
  /** Symmetric matrices (the last two axes; leading axes are a batch). */
  | { readonly kind: 'symmetric' }
  /** Symmetric positive definite matrices with eigenvalues in [0.5, 2] (well conditioned). */
  | { readonly kind: 'spd' }
  /** Matrices with orthonormal columns (or rows, when wide): orthogonal when square. */
  | { readonly kind: 'orthogonal' }
  /** 0 or 1. */
  | { readonly kind: 'binary' }
  /** −1 or +1 (SVM labels). */
  | { readonly kind: 'pm1' };

/**
 * data: fixed inputs of the computation; parameter: what an SGD step updates (`eval --lr`);
 * upstream: the gradient arriving from later layers (the loss is Σ upstream .* output).
 */
export type InputRole = 'data' | 'parameter' | 'upstream';

export interface InputSpec {
  readonly name: string;
  readonly shape: readonly DimExpr[];
  readonly domain: Domain;
  readonly role: InputRole;
  readonly description: string;
  /** LaTeX spellings a student may use for it, e.g. '\\frac{\\partial L}{\\partial Y}' for dY. */
  readonly latexAliases?: readonly string[];
}

/** A value the forward graph computes (a node) that formulas may name: C, S, P, x2, z, Y, ... */
export interface IntermediateSpec {
  readonly name: string;
  readonly shape: readonly DimExpr[];
  readonly description: string;
  readonly latexAliases?: readonly string[];
}

/** Kinds of mistake a grader names (docs/grading.md lists what each means). */
export type MistakeLabel =
  | 'transposed'
  | 'sign'
  | 'factor'
  | 'missing-sigma-prime'
  | 'mean-vs-sum'
  | 'kernel-not-flipped'
  | 'index-shift'
  | 'missing-term'
  | 'wrong-pooling-factor'
  | 'wrong-shape'
  | 'wrong-value'
  /** FD patterns without a derivation's name: a zero answer, right values in the wrong places. */
  | 'zero'
  | 'permuted';

/** A mistake's name: one of the MistakeLabel kinds, or a course's own label (question files may name their own). */
export type MistakeName = MistakeLabel | (string & Record<never, never>);

/** A wrong formula students write, with what is wrong in it. */
export interface Mistake {
  readonly label: MistakeName;
  readonly formula: string;
  readonly why: string;
}

/** A closed form in the formula language; `syntax: 'latex'` for LaTeX text. */
export interface ClosedForm {
  readonly formula: string;
  readonly syntax?: 'formula' | 'latex';
  /** What this spelling shows: 'whole-tensor', 'index notation', 'LaTeX', ... */
  readonly style: string;
  /**
   * A spelling a grader ruled right (a question's `accept` list): an answer of this text is graded
   * correct on sight (src/grade/accepted.ts). `verify` refuses it when it is wrong or has no value, and
   * lets one that finite differences cannot decide (notation the reader does not map with confidence)
   * stand on the grader's ruling.
   */
  readonly accepted?: boolean;
}

interface TargetBase {
  /** Public name graders write: 'dW', 'ratio', 'out_size'. */
  readonly name: string;
  readonly description: string;
  readonly shape: readonly DimExpr[];
  /** Every spelling must pass; the first is the reference. */
  readonly closedForms: readonly ClosedForm[];
  readonly latex: string;
  readonly mistakes: readonly Mistake[];
  /** Points a grader gives it unless an assignment says otherwise (default 1). */
  readonly points?: number;
}

/** ∂(the graph's scalar output)/∂(input or node `wrt`), checked against FD. */
export interface GradientTarget extends TargetBase {
  readonly kind: 'gradient';
  readonly wrt: string;
}

/**
 * ∂(node `of`)/∂(input or node `wrt`) for vector-valued maps, checked against an FD Jacobian; the
 * formula's value is the matrix with one row per entry of `of` and one column per entry of `wrt`
 * (row-major flattening).
 */
export interface JacobianTarget extends TargetBase {
  readonly kind: 'jacobian';
  readonly of: string;
  readonly wrt: string;
}

/**
 * A value (not a derivative) checked against a reference computed another way: a root found
 * numerically, a size read off the tensor core's output, a count of parameters.
 */
export interface ValueTarget extends TargetBase {
  readonly kind: 'value';
  /** The ground truth at these dims and inputs, computed without the closed form. */
  readonly reference: (dims: Dims, values: Readonly<Record<string, Tensor>>) => Tensor;
  /** Agreement tolerance, relative to max(1, |reference|): 0 for exact integer counts. */
  readonly tolerance: number;
}

export type Target = GradientTarget | JacobianTarget | ValueTarget;

/**
 * A claim about the problem checked as a property over random dims and inputs: it either holds on
 * every sample, or it is false and the suite must find (and shrink) a counterexample.
 */
export interface Property {
  readonly name: string;
  readonly statement: string;
  readonly expected: 'holds' | 'fails';
  /** Arbitrary of whatever the claim quantifies over (dims, inputs, layer settings). */
  readonly arbitrary: Arbitrary<unknown>;
  /** True when the claim holds at this case; a string explains a violation. */
  readonly holds: (sample: unknown) => true | string;
}

/** A worked example: concrete numbers from a course's worked solution. */
export interface Example {
  readonly name: string;
  readonly description: string;
  readonly dims: Dims;
  readonly inputs: Readonly<Record<string, Nested>>;
  /** Learning rate of the one SGD step the worked solution takes on the parameters. */
  readonly lr?: number;
  /** Forward-only examples: the nodes to print as outputs. */
  readonly outputs?: readonly string[];
  /**
   * A forward computation of the example's own, for a worked solution that covers more than the
   * problem's forward at other sizes (conv-shapes' lenet5: a whole network's table, for a problem about
   * one layer). `eval` evaluates it on the example's inputs instead of problem.forward(dims); `outputs`
   * name its nodes. Default: the problem's forward.
   */
  readonly forward?: (dims: Dims) => Graph;
}

export interface Problem {
  readonly id: string;
  readonly title: string;
  /** One line: the derivation it checks. */
  readonly statement: string;
  readonly dims: {
    readonly names: readonly string[];
    /** Sizes for random checks: distinct and non-square by default, with size-1 edge cases. */
    readonly arbitrary: Arbitrary<Dims>;
  };
  readonly inputs: readonly InputSpec[];
  readonly intermediates: readonly IntermediateSpec[];
  /** The class axis of its score matrices (1-based), so that `softmax(z)` without a dim reads as the derivation means it. */
  readonly classAxis?: 1 | 2;
  /** How this problem's LaTeX answers read where courses differ (`\otimes`, the unit step, more name spellings; a question file's `notation`). */
  readonly notation?: LatexNotation;
  /** The forward computation on the tensor core; nodes are named after the intermediates. */
  readonly forward: (dims: Dims) => Graph;
  /**
   * Optional: whether a draw is informative (given the forward values, inputs and nodes). A draw that
   * is not, such as every ReLU unit off so that every gradient is identically 0 and no formula can be
   * told from another, is redrawn (src/problem/sample.ts).
   */
  readonly admissible?: (values: Readonly<Record<string, Tensor>>, dims: Dims) => boolean;
  /**
   * Optional: the price of what one FD evaluation with respect to `wrt` runs at these dims (the forward's
   * nodes downstream of `wrt`; src/formula/cost.ts), for a forward made of formulas (a question's let
   * steps and loss, `check`'s among them); 0 where FD's moves are incremental. A check plans its
   * finite-difference work from it (budget.ts); a forward without one is bounded by evaluation counts.
   * A LimitExceededError here refuses the check: the loss is over a limit at those sizes.
   */
  readonly forwardCost?: (dims: Dims, wrt: string) => EvaluationCost;
  readonly targets: readonly Target[];
  readonly properties: readonly Property[];
  readonly examples: readonly Example[];
  /** The question file a built-in problem is compiled from, so that naming that file means this problem. */
  readonly file?: string;
  /** Grading settings of its own (a question file's `grading`); an assignment may override them. */
  readonly grading?: ProblemGrading;
}

export interface ProblemGrading {
  /** Random samples per answer. */
  readonly runs?: number;
  /** Partial credit for incorrect answers. */
  readonly partial?: boolean;
}
