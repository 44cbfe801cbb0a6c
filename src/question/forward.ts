/**
 * The forward graph of a question: its let chain and its loss, one graph node per step, so that FD
 * can differentiate with respect to any input or let name. A step whose formula composes operations
 * the incremental evaluator has rules for (src/fd/incremental.ts: matrix products, broadcast sums and
 * differences, smooth elementwise functions of the function table, constant scales, inner products and
 * sums of squares, conv2d, corr2 and avgpool2) is split into hidden sub-steps, one per operation, each
 * with its rule: `H = tanh(X * W1 + b1)` becomes H__1 = X * W1 (matmul), H__2 = H__1 + b1 (broadcast
 * add), H = tanh(H__2) (elementwise), and a perturbed entry of W1 then costs what it costs in a
 * hand-written problem module. Whatever is not such an operation stays one node that runs the compiled
 * formula and declares the formula's kinks (relu, max, comparisons) to FD (formulaNode), so that a
 * step across one is reported non-differentiable. Every sub-step is itself a let step (checked and
 * compiled as one), so its value is exactly the formula language's.
 */
import { Graph, type GraphNode, type IncrementalRule } from '../fd/graph.js';
import {
  avgpool2Incremental,
  biasAddIncremental,
  conv2dIncremental,
  corr2Incremental,
  differenceIncremental,
  elementwiseIncremental,
  innerProductIncremental,
  matmulIncremental,
  scaleIncremental,
  sumOfSquaresIncremental,
} from '../fd/incremental.js';
import { type CompiledFormula, compileFormula } from '../formula/compile.js';
import { checkFormula } from '../formula/check.js';
import type { Declarations } from '../formula/declarations.js';
import { type SymbolicShape, sameSymbolicShape } from '../formula/dims.js';
import { checkLetChain, type LetDefinition } from '../formula/let.js';
import { parseFormula } from '../formula/parse.js';
import { printExpr } from '../formula/print.js';
import { functionRow } from '../formula/functions/table.js';
import type { ScalarKernel } from '../formula/functions/row.js';
import { OPERATORS } from '../formula/operators.js';
import type { BinaryOp, Expr } from '../formula/tree.js';
import { nameRecord } from '../names/records.js';
import { formulaNode } from '../problem/formula-node.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The scalar kernel of a smooth elementwise function of one argument (exp, tanh, softplus, ...), which
 * an incremental step applies to the entries that change; undefined for anything else. A function with
 * pieces (relu, abs, floor) is left to a full evaluation, whose node declares its kinks to FD.
 */
function smoothMap(fn: string): ScalarKernel | undefined {
  const row = functionRow(fn);
  if (row?.kind !== 'computed' || row.family !== 'elementwise' || row.smoothness !== 'smooth') return undefined;
  return row.arity[0] === 1 && row.arity[1] === 1 ? row.scalar : undefined;
}

/** Operators that apply a smooth map to one tensor operand when the other is a constant: X + 1, 1 - H, H .^ 2, 1 ./ X (none is piecewise). */
const CONSTANT_MAP_OPERATORS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['+', '-', '.^', './', '/']);

type Dims = Readonly<Record<string, number>>;

/** A rule that may depend on the sizes (a scale by 1/N). */
type RuleAt = (dims: Dims) => IncrementalRule;

/** One node of the planned graph: a let step (public or hidden), its arguments and its rule. */
export interface PlannedNode {
  readonly name: string;
  /** Graph values passed to the compiled formula, in order (an operand named twice appears twice). */
  readonly args: readonly string[];
  readonly formula: CompiledFormula;
  readonly rule?: RuleAt;
}

export interface ForwardPlan {
  /** The inputs, then every node (public and hidden let steps, then the loss). */
  readonly inputs: readonly string[];
  readonly nodes: readonly PlannedNode[];
  /** The loss node's name. */
  readonly output: string;
  /** The graph at these sizes. */
  graph(dims: Dims): Graph;
}

/** A tensor-valued operand with a known shape, or a constant (numbers, dimensions, pi): its text. */
type Operand = { readonly kind: 'tensor'; readonly name: string; readonly shape: SymbolicShape } | { readonly kind: 'constant'; readonly text: string };

/** How a pattern's node computes: its formula over operand names, its arguments and its rule. */
interface Split {
  readonly text: string;
  readonly args: readonly string[];
  readonly rule?: RuleAt;
}

/** A public step as planned: its definition, the declarations before it, and its nodes (hidden ones, then its own). */
interface PlannedStep {
  readonly definition: LetDefinition;
  readonly declarations: Declarations;
  readonly nodes: PlannedNode[];
}

class Planner {
  private nodes: PlannedNode[] = [];
  private readonly steps: PlannedStep[] = [];
  private readonly shapes = new Map<string, SymbolicShape>();
  private readonly taken: Set<string>;
  private declarations: Declarations;
  /** The public step being planned: its hidden nodes are named after it. */
  private current = '';

  constructor(
    base: Declarations,
    inputShapes: ReadonlyMap<string, SymbolicShape>,
    reserved: Iterable<string>,
  ) {
    this.declarations = base;
    for (const [name, shape] of inputShapes) this.shapes.set(name, shape);
    this.taken = new Set([...base.dims, ...inputShapes.keys(), ...reserved]);
  }

  planned(): readonly PlannedStep[] {
    return this.steps;
  }

  /** Plans the public step `definition` (or the loss) as its last node, splitting its formula where it can. */
  step(definition: LetDefinition): void {
    this.nodes = [];
    this.steps.push({ definition, declarations: this.declarations, nodes: this.nodes });
    this.taken.add(definition.name);
    this.current = definition.name;
    const statement = parseFormula(definition.formula, { declarations: this.declarations }).statement;
    if (statement.kind === 'assignment' && statement.indices !== null) {
      this.emit(definition, undefined, undefined);
      return;
    }
    this.split(statement.kind === 'expression' ? statement.expr : statement.value, definition.name, definition.shape);
  }

  /**
   * Emits a node computing `expr`, named `name` or (a hidden node) after its operands, so that hidden
   * nodes number bottom-up: a pattern with its operands planned first, or the formula as it is.
   */
  private split(expr: Expr, name?: string, shape?: readonly (string | number)[]): string {
    const split = this.pattern(expr);
    const definition = { name: name ?? this.fresh(), formula: split ? split.text : printExpr(expr), ...(shape ? { shape } : {}) };
    this.emit(definition, split?.args, split?.rule);
    return definition.name;
  }

  private emit(definition: LetDefinition, args: readonly string[] | undefined, rule: RuleAt | undefined): void {
    const chain = checkLetChain([definition], this.declarations);
    const step = chain.steps[0]!;
    this.declarations = chain.declarations;
    this.shapes.set(step.name, step.shape);
    this.taken.add(step.name);
    this.nodes.push({ name: step.name, args: args ?? step.compiled.inputs, formula: step.compiled, ...(rule ? { rule } : {}) });
  }

  /** A graph value holding `expr`: a tensor's own name, a new hidden node, or a constant's text. */
  private operand(expr: Expr): Operand {
    if (isConstant(expr, this.shapes)) return { kind: 'constant', text: `(${printExpr(expr)})` };
    if (expr.kind === 'symbol' && this.shapes.has(expr.name)) return { kind: 'tensor', name: expr.name, shape: this.shapes.get(expr.name)! };
    const name = this.split(expr);
    return { kind: 'tensor', name, shape: this.shapes.get(name)! };
  }

  /** A hidden node's name: the public step's, numbered (H__1, H__2), and taken by nothing else. */
  private fresh(): string {
    for (let k = 1; ; k++) {
      const name = `${this.current}__${k}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }

  /** The operation `expr` is when the incremental evaluator has a rule for it, with its operands planned. */
  private pattern(expr: Expr): Split | undefined {
    switch (expr.kind) {
      case 'negate': {
        const a = this.operand(expr.arg);
        return a.kind === 'tensor' ? { text: `-${a.name}`, args: [a.name], rule: () => scaleIncremental(-1) } : undefined;
      }
      case 'call':
        return this.callPattern(expr.fn, expr.args);
      case 'binary':
        return this.binaryPattern(expr.op, expr.left, expr.right);
      default:
        return undefined;
    }
  }

  private callPattern(fn: string, args: readonly Expr[]): Split | undefined {
    const layer = layerOf(fn, args);
    if (layer) return this.layerPattern(fn, args, layer);
    if (args.length !== 1 || isConstant(args[0]!, this.shapes)) return undefined;
    const arg = args[0]!;
    const map = smoothMap(fn);
    if (map) {
      const a = this.operand(arg) as Operand & { kind: 'tensor' };
      return { text: `${fn}(${a.name})`, args: [a.name], rule: () => elementwiseIncremental(map) };
    }
    if (fn !== 'sum' || arg.kind !== 'binary') return undefined;
    if (arg.op === '.*' && !isConstant(arg.left, this.shapes) && !isConstant(arg.right, this.shapes)) {
      const a = this.operand(arg.left) as Operand & { kind: 'tensor' };
      const b = this.operand(arg.right) as Operand & { kind: 'tensor' };
      const text = `sum(${a.name} .* ${b.name})`;
      return sameSymbolicShape(a.shape, b.shape) ? { text, args: [a.name, b.name], rule: () => innerProductIncremental } : { text, args: [a.name, b.name] };
    }
    if (arg.op === '.^' && arg.right.kind === 'number' && arg.right.value === 2 && !isConstant(arg.left, this.shapes)) {
      const a = this.operand(arg.left) as Operand & { kind: 'tensor' };
      return { text: `sum(${a.name} .^ 2)`, args: [a.name], rule: () => sumOfSquaresIncremental };
    }
    return undefined;
  }

  /** A layer call of tensors (conv2d, corr2, avgpool2) with its rule; a corr2 whose kernel is not a matrix has none. */
  private layerPattern(fn: string, args: readonly Expr[], layer: Layer): Split | undefined {
    const tensors = args.slice(0, layer.operands);
    if (tensors.some((a) => isConstant(a, this.shapes))) return undefined;
    const operands = tensors.map((a) => this.operand(a) as Operand & { kind: 'tensor' });
    const names = operands.map((o) => o.name);
    const text = `${fn}(${[...names, ...args.slice(layer.operands).map(printExpr)].join(', ')})`;
    return layer.fits(operands.map((o) => o.shape)) ? { text, args: names, rule: layer.rule } : { text, args: names };
  }

  private binaryPattern(op: BinaryOp, left: Expr, right: Expr): Split | undefined {
    const leftConstant = isConstant(left, this.shapes);
    const rightConstant = isConstant(right, this.shapes);
    if (leftConstant && rightConstant) return undefined;
    if (!leftConstant && !rightConstant) {
      if (op !== '*' && op !== '+' && op !== '-') return undefined;
      const a = this.operand(left) as Operand & { kind: 'tensor' };
      const b = this.operand(right) as Operand & { kind: 'tensor' };
      const text = `${a.name} ${op} ${b.name}`;
      const args = [a.name, b.name];
      if (op === '*') return a.shape.length === 2 && b.shape.length === 2 ? { text, args, rule: () => matmulIncremental } : { text, args };
      return { text, args, rule: () => (op === '+' ? biasAddIncremental : differenceIncremental) };
    }
    // One constant operand c and one tensor operand.
    const scales = op === '*' || op === '.*' || ((op === '/' || op === './') && rightConstant);
    if (!scales && !CONSTANT_MAP_OPERATORS.has(op)) return undefined;
    const c = (leftConstant ? this.operand(left) : this.operand(right)) as Operand & { kind: 'constant' };
    const a = (leftConstant ? this.operand(right) : this.operand(left)) as Operand & { kind: 'tensor' };
    const text = leftConstant ? `${c.text} ${op} ${a.name}` : `${a.name} ${op} ${c.text}`;
    const value = constantValue(c.text, this.declarations);
    if (scales) {
      const divides = op === '/' || op === './';
      return { text, args: [a.name], rule: (dims) => scaleIncremental(divides ? 1 / value(dims) : value(dims)) };
    }
    const apply = OPERATORS[op].apply;
    return {
      text,
      args: [a.name],
      rule: (dims) => {
        const k = value(dims);
        return elementwiseIncremental(leftConstant ? (x) => apply(k, x) : (x) => apply(x, k));
      },
    };
  }
}

/** A call of tensors that the incremental evaluator has a rule for: how many leading arguments are tensors, which shapes it fits, its rule. */
interface Layer {
  readonly operands: number;
  readonly fits: (shapes: readonly SymbolicShape[]) => boolean;
  readonly rule: RuleAt;
}

/** The layer a call is (conv2d(X, K); corr2(A, K) and corr2(A, K, 'valid' or 'full') of a matrix kernel; avgpool2(X)), from its function and mode. */
function layerOf(fn: string, args: readonly Expr[]): Layer | undefined {
  switch (fn) {
    case 'conv2d':
      return args.length === 2 ? { operands: 2, fits: () => true, rule: () => conv2dIncremental() } : undefined;
    case 'avgpool2':
      return args.length === 1 ? { operands: 1, fits: () => true, rule: () => avgpool2Incremental } : undefined;
    case 'corr2': {
      const modeArg = args[2];
      const mode = modeArg === undefined ? 'valid' : modeArg.kind === 'string' ? modeArg.value : undefined;
      if ((args.length !== 2 && args.length !== 3) || (mode !== 'valid' && mode !== 'full')) return undefined;
      return { operands: 2, fits: ([, kernel]) => kernel!.length === 2, rule: () => corr2Incremental(mode) };
    }
    default:
      return undefined;
  }
}

/** Built from numbers, dimension names and constants (pi) only: no tensor is read. */
function isConstant(expr: Expr, tensors: ReadonlyMap<string, SymbolicShape>): boolean {
  switch (expr.kind) {
    case 'number':
      return true;
    case 'symbol':
      return !tensors.has(expr.name);
    case 'negate':
      return isConstant(expr.arg, tensors);
    case 'binary':
      return isConstant(expr.left, tensors) && isConstant(expr.right, tensors);
    default:
      return false;
  }
}

/** The value of a constant formula (over dimension names) at given sizes. */
function constantValue(text: string, declarations: Declarations): (dims: Dims) => number {
  const compiled = compileFormula(checkFormula(parseFormula(text, { declarations }), declarations));
  return (dims) => compiled(nameRecord<Tensor>(), dims).item();
}

/**
 * The nodes of the steps that can lie on an incremental path: the downstream path of some name in
 * `wrts` (the targets' inputs and let names) whose every node has a rule, declares no kinks and takes
 * one changed argument (src/fd/graph.ts's GraphObjective decides the same at run time).
 */
function incrementalNodes(nodes: readonly PlannedNode[], output: string, wrts: Iterable<string>): Set<string> {
  const needed = new Set([output]);
  for (let i = nodes.length - 1; i >= 0; i--) if (needed.has(nodes[i]!.name)) nodes[i]!.args.forEach((a) => needed.add(a));
  const useful = new Set<string>();
  for (const wrt of wrts) {
    const changed = new Set([wrt]);
    const path: PlannedNode[] = [];
    for (const node of nodes) {
      if (!node.args.some((a) => changed.has(a))) continue;
      changed.add(node.name);
      if (needed.has(node.name)) path.push(node);
    }
    const eligible = path.length > 0 && path.every((n) => n.rule !== undefined && !n.formula.piecewise && n.args.filter((a) => changed.has(a)).length === 1);
    if (eligible) path.forEach((n) => useful.add(n.name));
  }
  return useful;
}

/** A step as one node running its whole formula. */
function wholeStep(step: PlannedStep): PlannedNode {
  const { name, compiled } = checkLetChain([step.definition], step.declarations).steps[0]!;
  return { name, args: compiled.inputs, formula: compiled };
}

/**
 * Plans the forward graph of inputs, let steps and a scalar loss (already checked as a let chain and a
 * loss formula by the caller, whose errors carry the user's positions). `lossName` must be a name no
 * input, dimension or let step uses. With `wrts` (the names FD will differentiate with respect to), a
 * step split into hidden nodes none of which can lie on an incremental path is one node again: a full
 * evaluation then runs one formula instead of several (relu-softmax-ce's W x + b before its relu).
 */
export function planForward(declarations: Declarations, inputShapes: ReadonlyMap<string, SymbolicShape>, lets: readonly LetDefinition[], loss: string, lossName: string, wrts?: Iterable<string>): ForwardPlan {
  const planner = new Planner(declarations, inputShapes, [...lets.map((l) => l.name), lossName]);
  for (const definition of lets) planner.step(definition);
  planner.step({ name: lossName, formula: loss });
  const steps = planner.planned();
  const split = steps.flatMap((s) => s.nodes);
  const useful = wrts === undefined ? undefined : incrementalNodes(split, lossName, wrts);
  const nodes = useful === undefined ? split : steps.flatMap((s) => (s.nodes.length > 1 && !s.nodes.some((n) => useful.has(n.name)) ? [wholeStep(s)] : s.nodes));
  const inputs = [...inputShapes.keys()];
  return {
    inputs,
    nodes,
    output: lossName,
    graph: (dims) =>
      new Graph({
        inputs,
        // A node without a rule declares its formula's kinks (relu, max, comparisons) to FD.
        nodes: nodes.map(({ name, args, formula, rule }): GraphNode => ({ ...formulaNode(name, formula, args, dims), ...(rule ? { incremental: rule(dims) } : {}) })),
        output: lossName,
      }),
  };
}
