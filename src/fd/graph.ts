import { nameRecord, ownValue, withName } from '../names/records.js';
import { ShapeError } from '../tensor/errors.js';
import { Tensor, sameShape } from '../tensor/tensor.js';
import { GraphError } from './errors.js';
import { measureNoise } from './noise.js';
import { InPlaceMover, type LossChange, type ScalarObjective, type ScaledLossChanges, assertPerturbable, fullEvaluationRoundoff, storageOffsets } from './objective.js';
import { SparseChange } from './sparse.js';

/** Base values a node's incremental rule is built on: its arguments and its output at the unperturbed point. */
export interface IncrementalBase {
  readonly args: readonly Tensor[];
  readonly out: Tensor;
}

/**
 * Propagates a sparse change of argument `argIndex` to the change of the node's value, written into
 * `result` (which the graph preallocates with the node's size), with a round-off bound per entry that
 * includes the input change's bounds (see sparse.ts). A rule whose node is the scalar loss writes one
 * entry (`result.setScalar`).
 */
export interface IncrementalUpdate {
  (argIndex: number, change: SparseChange, result: SparseChange): void;
  /**
   * The update is linear in the change and forms its result from exact products and sums of the change
   * with base values (δ·coef, and the accumulation of several): scaling the change, bounds included, by
   * a power of two scales every result and bound by the same power, bit for bit (rounding commutes with
   * a power-of-two scale unless a value is subnormal, |v| < 2^-1022). A scaled move then propagates
   * through the node once for every lane (GraphObjective.changeScaled).
   */
  readonly linear?: boolean;
  /**
   * For the node that is the scalar loss: the loss change under `change` scaled by each of out.scale,
   * equal bit for bit to calling the update once per scaled change (out.delta[l] = its result's delta,
   * out.roundoff[l] = its bound), in one pass over the changed entries.
   */
  readonly scaled?: (argIndex: number, change: SparseChange, out: ScaledLossChanges) => void;
}

/** Builds a node's update from its base values (called once per objective; precompute and allocate here). */
export type IncrementalRule = (base: IncrementalBase) => IncrementalUpdate;

export interface GraphNode {
  readonly name: string;
  /** Names of inputs or other nodes, passed to `op` in this order. */
  readonly args: readonly string[];
  readonly op: (...args: Tensor[]) => Tensor;
  /** Optional incremental evaluator: a perturbation of one entry recomputes only what depends on it. */
  readonly incremental?: IncrementalRule;
  /**
   * Optional kink declaration for a piecewise op (ReLU, max, ceil): an integer code per piece in use
   * (sign of a ReLU input, argmax of a pooling window, floor of a ceil argument). When the codes at a
   * perturbed point differ from the base point's, a non-differentiable boundary lies within the step.
   * Nodes with pieces are evaluated in full (their incremental rule, if any, is not used).
   */
  readonly pieces?: (...args: Tensor[]) => ArrayLike<number>;
}

export interface GraphSpec {
  readonly inputs: readonly string[];
  readonly nodes: readonly GraphNode[];
  readonly output: string;
}

export type Values = Readonly<Record<string, Tensor>>;

/**
 * The forward computation as a named graph of tensor ops, so that FD can differentiate the loss with
 * respect to any input or intermediate value: perturbing a node's value recomputes only the nodes
 * downstream of it (incrementally where every one of them has a rule).
 */
export class Graph {
  readonly inputs: readonly string[];
  readonly output: string;
  /** Nodes in a topological order (every node after its arguments). */
  readonly nodes: readonly GraphNode[];

  constructor(spec: GraphSpec) {
    const known = new Set<string>();
    for (const name of spec.inputs) {
      if (known.has(name)) throw new GraphError(name, 'is declared twice', 'give every input and node a distinct name');
      known.add(name);
    }
    const byName = new Map<string, GraphNode>();
    for (const node of spec.nodes) {
      if (known.has(node.name) || byName.has(node.name)) throw new GraphError(node.name, 'is declared twice', 'give every input and node a distinct name');
      byName.set(node.name, node);
    }
    for (const node of spec.nodes) {
      for (const arg of node.args) {
        if (!known.has(arg) && !byName.has(arg)) throw new GraphError(node.name, `argument '${arg}' is neither an input nor a node`, 'declare it among the inputs or define a node of that name');
      }
    }
    if (!known.has(spec.output) && !byName.has(spec.output)) throw new GraphError(spec.output, 'is the output but is not defined', 'name an input or node as the output');
    this.inputs = [...spec.inputs];
    this.output = spec.output;
    this.nodes = topologicalOrder(spec.nodes, byName);
  }

  /** Values of every input and node at `inputs`. */
  evaluate(inputs: Values): Record<string, Tensor> {
    for (const name of this.inputs) {
      if (!(ownValue(inputs, name) instanceof Tensor)) throw new GraphError(name, 'is an input without a value', 'pass a Tensor for every declared input');
    }
    for (const name of Object.keys(inputs)) {
      if (!this.inputs.includes(name)) throw new GraphError(name, 'was passed as an input but the graph does not declare it', `inputs are: ${this.inputs.join(', ')}`);
    }
    const values = nameRecord(Object.entries(inputs));
    for (const node of this.nodes) values[node.name] = runNode(node, values);
    return values;
  }

  /** The scalar output at `inputs`. */
  loss(inputs: Values): number {
    return scalarOf(this.output, this.evaluate(inputs)[this.output]!);
  }

  /** Nodes (topological order) that depend on `name` and on which `of` depends, `of` included when it depends on `name`. */
  downstream(name: string, of: string = this.output): GraphNode[] {
    this.assertKnown(name);
    this.assertKnown(of);
    const affected = new Set<string>([name]);
    const path: GraphNode[] = [];
    for (const node of this.nodes) {
      if (node.args.some((a) => affected.has(a))) {
        affected.add(node.name);
        path.push(node);
      }
    }
    const needed = new Set<string>([of]);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      if (needed.has(node.name)) for (const a of node.args) needed.add(a);
    }
    return path.filter((node) => needed.has(node.name));
  }

  /**
   * Whether FD's moves of `wrt` are computed by the nodes' incremental rules (GraphObjective): every node
   * between `wrt` and the output has a rule, none declares pieces, and each takes exactly one changed
   * argument (f(W, W) would need a second-order rule).
   */
  incrementalPath(wrt: string): boolean {
    const path = this.downstream(wrt);
    const changed = new Set<string>([wrt, ...path.map((n) => n.name)]);
    return path.length > 0 && path.every((n) => n.incremental !== undefined && n.pieces === undefined && n.args.filter((a) => changed.has(a)).length === 1);
  }

  /** The scalar output as a function of the value `wrt` (an input or a node), every other input fixed. */
  objective(wrt: string, inputs: Values, options: { incremental?: boolean } = {}): GraphObjective {
    this.assertKnown(wrt);
    return new GraphObjective(this, wrt, this.evaluate(inputs), options.incremental ?? true);
  }

  /**
   * The value of node `of` (default: the output) as a function of the value of `wrt`, every other input
   * fixed: for Jacobians of vector-valued maps such as h_t as a function of h_{t−1}.
   */
  restrict(wrt: string, inputs: Values, of: string = this.output): (value: Tensor) => Tensor {
    this.assertKnown(wrt);
    this.assertKnown(of);
    const base = this.evaluate(inputs);
    const path = this.downstream(wrt, of);
    const shape = base[wrt]!.shape;
    return (value) => {
      if (!sameShape(value.shape, shape)) throw new ShapeError(`value of '${wrt}'`, [shape, value.shape], 'the replacement must keep the shape');
      const values = withName(base, wrt, value);
      for (const node of path) values[node.name] = runNode(node, values);
      return values[of]!;
    };
  }

  private assertKnown(name: string): void {
    if (!this.inputs.includes(name) && !this.nodes.some((n) => n.name === name)) {
      throw new GraphError(name, 'is not an input or node of this graph', `names are: ${[...this.inputs, ...this.nodes.map((n) => n.name)].join(', ')}`);
    }
  }
}

function topologicalOrder(nodes: readonly GraphNode[], byName: ReadonlyMap<string, GraphNode>): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: GraphNode, trail: string[]): void => {
    const s = state.get(node.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new GraphError(node.name, `is part of a cycle (${[...trail, node.name].join(' → ')})`, 'a forward computation must be acyclic');
    state.set(node.name, 'visiting');
    for (const arg of node.args) {
      const dep = byName.get(arg);
      if (dep) visit(dep, [...trail, node.name]);
    }
    state.set(node.name, 'done');
    order.push(node);
  };
  for (const node of nodes) visit(node, []);
  return order;
}

function runNode(node: GraphNode, values: Values): Tensor {
  const out = node.op(...node.args.map((a) => values[a]!));
  if (!(out instanceof Tensor)) throw new GraphError(node.name, 'op did not return a Tensor', 'make the op return a Tensor');
  return out;
}

function scalarOf(name: string, t: Tensor): number {
  if (t.size !== 1) throw new GraphError(name, `is the loss but has shape [${t.shape.join(', ')}]`, 'end the graph in a scalar, or use restrict + jacobian for a vector output');
  return t.data[t.offset]!;
}

/** An incremental step: a node's update, which argument position carries the change, where that change comes from (null: the move itself) and the node's result buffer. */
interface IncrementalStep {
  readonly update: IncrementalUpdate;
  readonly argIndex: number;
  readonly source: SparseChange | null;
  readonly result: SparseChange;
}

/**
 * The graph's scalar output as a function of one value, as FD sees it. Incremental when every node
 * between `wrt` and the output has a rule, none declares pieces, and each takes exactly one changed
 * argument (f(W, W) would need a second-order rule); otherwise the value is perturbed in place, the
 * downstream nodes re-run and the value restored bit-exactly.
 */
export class GraphObjective implements ScalarObjective {
  readonly shape: readonly number[];
  readonly size: number;
  /** The tensor FD perturbs (the caller's input tensor, or the graph's value of an intermediate). */
  readonly point: Tensor;
  /** True when changes are computed by the nodes' incremental rules. */
  readonly incremental: boolean;
  /**
   * True when a move can be taken at several scales in one pass (changeScaled): incremental, every node
   * before the loss linear, and the loss's rule has a scaled form.
   */
  readonly scalable: boolean;
  /** The output at the unperturbed point. */
  readonly baseLoss: number;
  private readonly path: GraphNode[];
  private readonly mover: InPlaceMover;
  private readonly steps: IncrementalStep[] = [];
  /** Piece codes of the path's nodes at the base point, in path order (null for a node without pieces). */
  private readonly basePieces: (ArrayLike<number> | null)[] = [];
  /** Values of the graph as a full evaluation sees them: the base values, path nodes overwritten by each evaluation. */
  private readonly current: Record<string, Tensor>;
  /** Whether the last full evaluation crossed a declared piece boundary. */
  private crossed = false;
  /** Noise σ of a full evaluation, measured at the first change (noise.ts); −1 until then. */
  private noise = -1;

  constructor(
    private readonly graph: Graph,
    wrt: string,
    values: Values,
    allowIncremental: boolean,
  ) {
    this.point = values[wrt]!;
    assertPerturbable(this.point, `'${wrt}'`);
    this.shape = this.point.shape;
    this.size = this.point.size;
    this.path = graph.downstream(wrt);
    this.current = nameRecord(Object.entries(values));
    this.mover = new InPlaceMover(this.point.data, storageOffsets(this.point));
    const changed = new Set<string>([wrt, ...this.path.map((n) => n.name)]);
    const eligible = allowIncremental && graph.incrementalPath(wrt);
    this.incremental = eligible;
    if (eligible) {
      const results = new Map<string, SparseChange>();
      for (const node of this.path) {
        const argIndex = node.args.findIndex((a) => changed.has(a));
        const base = { args: node.args.map((a) => values[a]!), out: values[node.name]! };
        const result = new SparseChange(values[node.name]!.size);
        results.set(node.name, result);
        this.steps.push({ update: node.incremental!(base), argIndex, source: results.get(node.args[argIndex]!) ?? null, result });
      }
      const last = this.steps.length - 1;
      this.scalable = this.steps.every((step, s) => (s < last ? step.update.linear === true : step.update.scaled !== undefined));
    } else {
      this.scalable = false;
      for (const node of this.path) this.basePieces.push(node.pieces ? Array.from(node.pieces(...node.args.map((a) => values[a]!))) : null);
    }
    this.baseLoss = scalarOf(graph.output, values[graph.output]!);
  }

  valueAt(flat: number): number {
    return this.mover.valueAt(flat);
  }

  change(move: SparseChange, out: LossChange): void {
    if (this.incremental) this.changeIncrementally(move, out);
    else this.changeByEvaluation(move, out);
  }

  /**
   * The loss changes of `move` at every scale of `out` (ScalarObjective.changeScaled): the linear nodes
   * propagate the move once, since their results at a power-of-two multiple of it are that multiple of
   * their results bit for bit; the loss's rule then forms each lane's change in one pass.
   */
  changeScaled(move: SparseChange, out: ScaledLossChanges): boolean {
    if (!this.scalable) return false;
    const steps = this.steps;
    const last = steps.length - 1;
    for (let s = 0; s < last; s++) {
      const step = steps[s]!;
      step.update(step.argIndex, step.source ?? move, step.result);
    }
    const loss = steps[last]!;
    loss.update.scaled!(loss.argIndex, loss.source ?? move, out);
    return true;
  }

  private changeIncrementally(move: SparseChange, out: LossChange): void {
    let last = move;
    const steps = this.steps;
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      step.update(step.argIndex, step.source ?? move, step.result);
      last = step.result;
    }
    out.delta = last.count > 0 ? last.delta[0]! : 0;
    out.roundoff = last.count > 0 ? last.roundoff[0]! : 0;
    out.crossedKink = false;
  }

  private changeByEvaluation(move: SparseChange, out: LossChange): void {
    if (this.noise < 0) this.noise = measureNoise(this.size, (i) => this.valueAt(i), (m) => [this.evaluateMoved(m)])[0]!;
    const loss = this.evaluateMoved(move);
    out.delta = loss - this.baseLoss;
    out.roundoff = fullEvaluationRoundoff(loss, this.baseLoss, this.noise);
    out.crossedKink = this.crossed;
  }

  /** Loss at point + move by re-running the downstream nodes (point perturbed in place, restored bit-exactly); `crossed` says whether a declared piece changed. */
  private evaluateMoved(move: SparseChange): number {
    return this.mover.run(move, () => this.evaluatePath());
  }

  /**
   * Runs the downstream nodes on `current` (the point as it stands, path nodes overwritten in order) and
   * returns the loss; sets `crossed` when a node's piece codes differ from the base point's (a node's
   * codes are computed only until a first difference is found).
   */
  private evaluatePath(): number {
    const current = this.current;
    let crossed = false;
    for (let n = 0; n < this.path.length; n++) {
      const node = this.path[n]!;
      current[node.name] = runNode(node, current);
      const before = this.basePieces[n];
      if (before && !crossed) crossed = piecesDiffer(before, node.pieces!(...node.args.map((a) => current[a]!)));
    }
    this.crossed = crossed;
    return scalarOf(this.graph.output, current[this.graph.output]!);
  }
}

function piecesDiffer(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return true;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  return false;
}
