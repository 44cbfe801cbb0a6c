import type { Bound, IndexBinding } from './annotations.js';
import type { CheckedFormula } from './check.js';
import { CompileContext } from './context.js';
import type { SymbolicShape } from './dims.js';
import { type ErrorSite, LimitExceededError } from './errors.js';
import { POWER, entries } from './functions/cost.js';
import type { CallWork, ComputedRow } from './functions/row.js';
import { functionRow } from './functions/table.js';
import type { FormulaLimits } from './limits.js';
import { OPERATORS } from './operators.js';
import { printExpr } from './print.js';
import { type MachineRates, REFERENCE_RATES } from './rates.js';
import { isNative, nativeChildren } from './scalar-subset.js';
import type { BinaryOp, Expr, IndexEntry } from './tree.js';

/**
 * The price of one evaluation of a checked formula at given dimension sizes, computed from the tree
 * before anything runs: the work of every node (its row's cost rule, functions/cost.ts; a matrix
 * product's m·k·n multiply-adds; a generated loop's iterations and the arithmetic in them), the storage
 * it allocates, how often it runs (a node inside index-notation loops runs once per iteration of the
 * loops whose indices it uses, as the loop generator places it), and the peak bytes of the tensors alive
 * at once, following the compilers' order of evaluation: a node's operands are evaluated left to
 * right and kept until it has run, so `2*X + (2*X + (2*X + ...))` holds every left operand at once.
 * Time is the work at rates.ts's rates. The estimate follows the compilers (evaluate.ts, kernels.ts,
 * loops.ts); where it cannot know a count (a loop bound that depends on tensor values) it says so, and
 * the run-time iteration count and clock stand in.
 */
export interface FormulaCost {
  /** Scalar operations (rates.ts): elementwise entries weighted by their function, loop iterations and their arithmetic, JS factorisations. */
  readonly operations: number;
  /** Multiply-adds of the SIMD kernels (matrix products). */
  readonly multiplyAdds: number;
  /** Iterations of generated and JS loops over index values (part of `operations`). */
  readonly iterations: number;
  /** Tensor entries allocated, every time a node runs. */
  readonly allocated: number;
  /** Node evaluations by the tensor compiler. */
  readonly calls: number;
  /** Peak bytes of tensors alive at once during the evaluation. */
  readonly peakBytes: number;
  /** The estimated time at the reference rates. */
  readonly seconds: number;
  /** Piece codes a traced evaluation records (the piecewise nodes' entries, as CompiledFormula.pieces computes them). */
  readonly pieceCodes: number;
  /** The estimated time of a traced evaluation (the formula and its piece signature, which FD computes at every point it moves to). */
  readonly tracedSeconds: number;
  /** Some loop's trip count depends on tensor values: its iterations are counted as it runs. */
  readonly dynamic: boolean;
  /** The node whose own work takes the most time (with how often it runs), and the node at the memory peak. */
  readonly costliest?: { readonly node: Expr; readonly seconds: number; readonly times: number };
  readonly peakNode?: Expr;
}

/** Bytes of a float64 entry. */
const ENTRY_BYTES = 8;


/** What a node's evaluation holds and needs in memory. */
interface Memory {
  /** Bytes its value keeps alive (0 for a number, an input, or a view of one). */
  readonly held: number;
  /** Peak bytes while it is evaluated, its value included. */
  readonly peak: number;
  /** The node at that peak. */
  readonly at?: Expr;
}

const NOTHING: Memory = { held: 0, peak: 0 };

/** A loop around a node in generated code: its index slot and trip count (outermost first). */
interface Frame {
  readonly slot: number;
  readonly trips: number;
}

/** The seconds of some work at the rates. */
export function secondsOf(work: { operations: number; multiplyAdds: number; allocated: number; calls: number }, rates: MachineRates = REFERENCE_RATES): number {
  return work.operations / rates.operationsPerSecond + work.multiplyAdds / rates.multiplyAddsPerSecond + work.allocated / rates.allocatedPerSecond + work.calls * rates.secondsPerCall;
}

/** Operations per entry of a binary operator: a power costs POWER, unless it squares. */
function operatorWeight(op: BinaryOp, right: Expr): number {
  if (op !== '^' && op !== '.^') return 1;
  return right.kind === 'number' && right.value === 2 ? 1 : POWER;
}

class Pricer {
  private readonly ctx: CompileContext;
  private operations = 0;
  private multiplyAdds = 0;
  private iterations = 0;
  private allocated = 0;
  private calls = 0;
  private codes = 0;
  private dynamic = false;
  private costliest: FormulaCost['costliest'];
  /** Each index slot's range (for bounds that are expressions of outer indices). */
  private readonly ranges = new Map<number, readonly [number, number]>();

  constructor(
    private readonly checked: CheckedFormula,
    private readonly sizes: ReadonlyMap<string, number>,
  ) {
    this.ctx = new CompileContext(checked);
  }

  /**
   * The price, written out field by field: a grader prices each answer at its 16 samples, and spreading
   * the work and the optional fields into the result (V8 clones each spread object) was the largest
   * single cost of pricing in a grading worker's profile.
   */
  result(memory: Memory): FormulaCost {
    const { operations, multiplyAdds, allocated, calls, codes } = this;
    const seconds = secondsOf({ operations, multiplyAdds, allocated, calls }) + REFERENCE_RATES.secondsPerEvaluation;
    const cost: { -readonly [K in keyof FormulaCost]: FormulaCost[K] } = {
      operations,
      multiplyAdds,
      allocated,
      calls,
      iterations: this.iterations,
      peakBytes: memory.peak,
      seconds,
      pieceCodes: codes,
      tracedSeconds: seconds + codes * REFERENCE_RATES.secondsPerPieceCode,
      dynamic: this.dynamic,
    };
    if (this.costliest) cost.costliest = this.costliest;
    if (memory.at) cost.peakNode = memory.at;
    return cost;
  }

  private dims(shape: SymbolicShape): number[] {
    return shape.map((d) => Math.max(0, d.evaluate(this.sizes)));
  }

  private shape(node: Expr): number[] {
    return this.dims(this.ctx.info(node).shape);
  }

  /** Books a node's own work, `times` runs of it, and remembers the costliest node. */
  private book(node: Expr, times: number, work: CallWork, allocated: number): void {
    const operations = times * work.operations;
    const multiplyAdds = times * (work.multiplyAdds ?? 0);
    const fresh = times * allocated;
    this.operations += operations;
    this.multiplyAdds += multiplyAdds;
    this.allocated += fresh;
    this.calls += times;
    const seconds = secondsOf({ operations, multiplyAdds, allocated: fresh, calls: times });
    if (!this.costliest || seconds > this.costliest.seconds) this.costliest = { node, seconds, times };
  }

  /** Operands evaluated left to right and kept, then the node's own value of `own` bytes. */
  private sequence(node: Expr, parts: readonly Memory[], own: number): Memory {
    let running = 0;
    let peak = 0;
    let at: Expr | undefined;
    for (const part of parts) {
      if (running + part.peak > peak) {
        peak = running + part.peak;
        at = part.at;
      }
      running += part.held;
    }
    if (running + own > peak || at === undefined) {
      peak = Math.max(peak, running + own);
      at = node;
    }
    return { held: own, peak, at };
  }

  /** A node the tensor compiler evaluates, `times` times. */
  tensor(node: Expr, times: number): Memory {
    const info = this.ctx.info(node);
    if (node.kind === 'call' && info.shape.length === 0 && this.checked.annotations.plans.get(node)?.form === 'index') {
      this.book(node, times, { operations: 0 }, 0);
      return this.loopSum(node, [], -1, times);
    }
    const n = entries(this.dims(info.shape));
    const bytes = info.shape.length === 0 ? 0 : n * ENTRY_BYTES;
    const fresh = info.shape.length === 0 ? 0 : n;
    switch (node.kind) {
      case 'number':
      case 'symbol':
      case 'string':
        return NOTHING;
      case 'negate': {
        const arg = this.tensor(node.arg, times);
        this.book(node, times, { operations: Math.max(n, 1) }, fresh);
        return this.sequence(node, [arg], bytes);
      }
      case 'transpose':
        // A view: it holds what its argument holds.
        return this.tensor(node.arg, times);
      case 'binary': {
        const parts = [this.tensor(node.left, times), this.tensor(node.right, times)];
        this.book(node, times, this.binaryWork(node.op, node.left, node.right, n), fresh);
        if (OPERATORS[node.op].piecewise) this.codes += times * n;
        return this.sequence(node, parts, bytes);
      }
      case 'call':
        return this.call(node, times, n, bytes);
      case 'index':
      case 'slice': {
        const parts = node.kind === 'slice' ? [this.tensor(node.object, times)] : [];
        for (const entry of node.entries) parts.push(this.entry(entry, times));
        // A slice is a view unless it is clipped (zeros where it falls outside); priced as a copy.
        const slices = node.entries.some((e) => e.kind === 'colon' || e.kind === 'range');
        this.book(node, times, { operations: slices ? n : 1 }, slices ? fresh : 0);
        return this.sequence(node, parts, slices ? bytes : 0);
      }
      case 'list':
      case 'matrix': {
        const plan = this.checked.annotations.plans.get(node)!;
        const parts = plan.operands.map((o) => this.tensor(o, times));
        this.book(node, times, { operations: n }, fresh);
        return this.sequence(node, parts, bytes);
      }
    }
  }

  private entry(entry: IndexEntry, times: number): Memory {
    if (entry.kind === 'colon') return NOTHING;
    if (entry.kind === 'range') return this.sequence(entry.start, [this.tensor(entry.start, times), this.tensor(entry.end, times)], 0);
    return this.tensor(entry, times);
  }

  /** `*` of two tensors is a matrix product; the rest are elementwise (broadcast), one operation per entry (a power more). */
  private binaryWork(op: BinaryOp, left: Expr, right: Expr, n: number): CallWork {
    const l = this.ctx.info(left).shape;
    const r = this.ctx.info(right).shape;
    if (op === '*' && l.length > 0 && r.length > 0) {
      const inner = this.dims(l)[l.length - 1]!;
      return { operations: n, multiplyAdds: n * inner };
    }
    return { operations: operatorWeight(op, right) * Math.max(n, 1) };
  }

  private call(node: Extract<Expr, { kind: 'call' }>, times: number, n: number, bytes: number): Memory {
    const plan = this.checked.annotations.plans.get(node)!;
    const row = functionRow(node.fn) as ComputedRow;
    if (plan.form === 'index') return this.tensorSum(node, times, n, bytes);
    const parts = plan.operands.map((o) => this.tensor(o, times));
    const shapes = plan.operands.map((o) => this.shape(o));
    const work = row.cost({ operands: shapes, result: this.dims(this.ctx.info(node).shape), form: plan.form });
    this.book(node, times, work, bytes / ENTRY_BYTES);
    // A piece rule gives a code per entry of the result, or of the operand it reduces (max's winners).
    if (row.smoothness !== 'smooth') this.codes += times * Math.max(n, entries(shapes[0] ?? []));
    return this.sequence(node, parts, bytes);
  }

  /**
   * sum(body, i, ...) with a tensor-valued body: JS loops over the index values, the body evaluated and
   * added into an accumulator each time (reductions.ts's tensorSum).
   */
  private tensorSum(node: Extract<Expr, { kind: 'call' }>, times: number, n: number, bytes: number): Memory {
    const plan = this.checked.annotations.plans.get(node)!;
    let runs = times;
    const parts: Memory[] = [];
    for (const b of plan.bindings!) {
      parts.push(...this.boundMemory(b, runs));
      const trips = this.trips(b);
      runs *= trips;
      this.iterations += runs;
    }
    this.book(node, 1, { operations: runs * n }, times * n);
    const body = this.tensor(plan.operands[0]!, runs);
    return this.sequence(node, [...parts, { held: 0, peak: bytes + body.peak, ...(body.at ? { at: body.at } : {}) }], bytes);
  }

  /** The bound expressions of a binding, evaluated each time its loop starts. */
  private boundMemory(b: IndexBinding, times: number): Memory[] {
    return [b.lo, b.hi].flatMap((bound) => ('expr' in bound ? [this.tensor(bound.expr, times)] : []));
  }

  /** The trip count of a binding at these sizes: exact for dimension bounds, an upper bound for bounds over outer indices. */
  private trips(b: IndexBinding): number {
    const lo = this.boundRange(b.lo);
    const hi = this.boundRange(b.hi);
    if (lo === undefined || hi === undefined) {
      this.dynamic = true;
      this.ranges.set(b.slot, [1, 1]);
      return 1;
    }
    this.ranges.set(b.slot, [lo[0], hi[1]]);
    return Math.max(0, Math.floor(hi[1]) - Math.ceil(lo[0]) + 1);
  }

  private boundRange(bound: Bound): readonly [number, number] | undefined {
    if ('dim' in bound) {
      const v = bound.dim.evaluate(this.sizes);
      return [v, v];
    }
    return this.interval(bound.expr);
  }

  /** The range of an integer expression of dimensions, numbers and outer indices; undefined when it reads values. */
  private interval(e: Expr): readonly [number, number] | undefined {
    switch (e.kind) {
      case 'number':
        return [e.value, e.value];
      case 'symbol': {
        const ref = this.checked.annotations.refs.get(e);
        if (ref?.kind === 'dim') {
          const v = this.sizes.get(ref.name) ?? 0;
          return [v, v];
        }
        if (ref?.kind === 'constant') return [ref.value, ref.value];
        if (ref?.kind === 'index') return this.ranges.get(ref.slot);
        return undefined;
      }
      case 'negate': {
        const a = this.interval(e.arg);
        return a && [-a[1], -a[0]];
      }
      case 'binary': {
        const a = this.interval(e.left);
        const b = this.interval(e.right);
        if (!a || !b) return undefined;
        if (e.op === '+') return [a[0] + b[0], a[1] + b[1]];
        if (e.op === '-') return [a[0] - b[1], a[1] - b[0]];
        if (e.op === '*' || e.op === '.*') {
          const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
          return [Math.min(...p), Math.max(...p)];
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** The deepest loop (index into frames) whose index the node uses: the loop generator computes it there. */
  private levelOf(node: Expr, frames: readonly Frame[]): number {
    const uses = this.ctx.info(node).uses;
    let level = -1;
    frames.forEach((f, k) => {
      if (uses.has(f.slot)) level = k;
    });
    return level;
  }

  private runsAt(level: number, frames: readonly Frame[], times: number): number {
    let runs = times;
    for (let k = 0; k <= level; k++) runs *= frames[k]!.trips;
    return runs;
  }

  /** A scalar node in generated loops: native code at its loop level, or a value the tensor compiler computes there. */
  private loopNode(node: Expr, frames: readonly Frame[], times: number): Memory {
    const level = this.levelOf(node, frames);
    const runs = this.runsAt(level, frames, times);
    if (!isNative(node, this.ctx)) return this.tensor(node, runs);
    if (node.kind === 'call' && this.checked.annotations.plans.get(node)!.form === 'index') return this.loopSum(node, frames, level, times);
    let weight = 1;
    if (node.kind === 'number' || node.kind === 'symbol') weight = 0;
    else if (node.kind === 'binary') {
      weight = operatorWeight(node.op, node.right);
      // Traced, a step leaves the loop for the tensor compiler and records its code.
      if (OPERATORS[node.op].piecewise) this.codes += runs;
    } else if (node.kind === 'call') {
      const plan = this.checked.annotations.plans.get(node)!;
      const row = functionRow(node.fn) as ComputedRow;
      weight = row.cost({ operands: plan.operands.map(() => []), result: [], form: plan.form }).operations;
      if (row.smoothness !== 'smooth') this.codes += runs;
    }
    if (weight > 0) {
      this.operations += runs * weight;
      const seconds = (runs * weight) / REFERENCE_RATES.operationsPerSecond;
      if (!this.costliest || seconds > this.costliest.seconds) this.costliest = { node, seconds, times: runs };
    }
    let peak: Memory = NOTHING;
    for (const child of nativeChildren(node, this.ctx)) {
      const m = this.loopNode(child, frames, times);
      if (m.peak > peak.peak) peak = { held: 0, peak: m.peak, ...(m.at ? { at: m.at } : {}) };
    }
    return peak;
  }

  /** Opens loops for `bindings` after frames[0..level] (the loop generator sets deeper loops aside), one iteration each per trip. */
  private openLoops(bindings: readonly IndexBinding[], frames: readonly Frame[], level: number, times: number, node: Expr): { inner: Frame[]; memory: Memory } {
    const inner = frames.slice(0, level + 1);
    let memory: Memory = NOTHING;
    let runs = this.runsAt(level, frames, times);
    for (const b of bindings) {
      for (const bound of [b.lo, b.hi]) {
        if ('expr' in bound) {
          const m = this.loopNode(bound.expr, inner, times);
          if (m.peak > memory.peak) memory = m;
        }
      }
      const trips = this.trips(b);
      inner.push({ slot: b.slot, trips });
      runs *= trips;
      this.iterations += runs;
      this.operations += runs;
    }
    const seconds = runs / REFERENCE_RATES.operationsPerSecond;
    if (!this.costliest || seconds > this.costliest.seconds) this.costliest = { node, seconds, times: runs };
    return { inner, memory };
  }

  /** A scalar index sum in generated loops, at loop `level` of `frames`. */
  private loopSum(node: Extract<Expr, { kind: 'call' }>, frames: readonly Frame[], level: number, times: number): Memory {
    const plan = this.checked.annotations.plans.get(node)!;
    const { inner, memory } = this.openLoops(plan.bindings!, frames, level, times, node);
    const body = this.loopNode(plan.operands[0]!, inner, times);
    return body.peak > memory.peak ? body : memory;
  }

  /** The whole statement: an expression, an assignment, or index notation (generated loops or a slice per index value). */
  statement(): Memory {
    const checked = this.checked;
    const statement = checked.parsed.statement;
    const target = entries(this.dims(checked.shape));
    const targetBytes = target * ENTRY_BYTES;
    if (statement.kind === 'expression' || statement.indices === null) {
      const value = statement.kind === 'expression' ? statement.expr : statement.value;
      const m = this.tensor(value, 1);
      // An answer that is an input or a view of one is copied (the caller may mutate either).
      if (m.held >= targetBytes || checked.shape.length === 0) return m;
      this.allocated += target;
      return this.sequence(value, [m], targetBytes);
    }
    const free = checked.annotations.free;
    this.allocated += target;
    if (free.every((b): b is IndexBinding => b !== undefined)) {
      const { inner, memory } = this.openLoops(free, [], -1, 1, statement.value);
      const body = this.loopNode(statement.value, inner, 1);
      const peak = Math.max(body.peak, memory.peak);
      return { held: targetBytes, peak: targetBytes + peak, ...(body.at ? { at: body.at } : {}) };
    }
    // dX[n, c, :, :] = body: the body's tensor for each value of the named indices.
    let runs = 1;
    for (const b of free) {
      if (b === undefined) continue;
      runs *= this.trips(b);
      this.iterations += runs;
    }
    this.operations += target;
    const body = this.tensor(statement.value, runs);
    return { held: targetBytes, peak: targetBytes + body.peak, ...(body.at ? { at: body.at } : {}) };
  }
}

/** The price of one evaluation of `checked` at these dimension sizes. */
export function priceFormula(checked: CheckedFormula, sizes: ReadonlyMap<string, number>): FormulaCost {
  const pricer = new Pricer(checked, sizes);
  return pricer.result(pricer.statement());
}

function formatCount(n: number): string {
  return n < 1e4 ? String(Math.round(n)) : n.toExponential(1).replace('e+', 'e');
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** The work of a cost in words: `9.0e8 loop iterations, 1.8e9 operations`. */
export function describeWork(cost: FormulaCost): string {
  const parts: string[] = [];
  if (cost.iterations > 0) parts.push(`${formatCount(cost.iterations)} loop iterations`);
  if (cost.multiplyAdds > 0) parts.push(`${formatCount(cost.multiplyAdds)} multiply-adds`);
  parts.push(`${formatCount(cost.operations)} operations`);
  if (cost.allocated > 0) parts.push(`${formatCount(cost.allocated)} entries allocated`);
  return parts.join(', ');
}

/**
 * Refuses an evaluation over the limits, before it runs: the node that costs most is named (and
 * pointed at), with what to shrink.
 */
export function assertWithinLimits(cost: FormulaCost, limits: FormulaLimits, siteOf: (node: Expr | undefined) => ErrorSite): void {
  if (cost.peakBytes > limits.maxLiveBytes) {
    const node = cost.peakNode;
    throw new LimitExceededError(
      `evaluating this formula would keep ${formatBytes(cost.peakBytes)} of tensors alive at once${node ? ` (at ${printExpr(node)})` : ''}, more than the ${formatBytes(limits.maxLiveBytes)} an evaluation may hold`,
      siteOf(node),
      'maxLiveBytes',
      'use smaller dimensions, or compute fewer large intermediate values at a time',
    );
  }
  if (cost.iterations > limits.maxIterations) {
    const node = cost.costliest?.node;
    throw new LimitExceededError(
      `this formula needs ${formatCount(cost.iterations)} loop iterations at these dimensions, more than the ${formatCount(limits.maxIterations)} an evaluation may run`,
      siteOf(node),
      'maxIterations',
      'use smaller dimensions or summation ranges',
    );
  }
  if (cost.seconds > limits.maxSeconds) {
    const worst = cost.costliest;
    const where = worst ? `; most of it is ${printExpr(worst.node)}${worst.times > 1 ? `, run ${formatCount(worst.times)} times` : ''}` : '';
    throw new LimitExceededError(
      `this formula needs about ${Number(cost.seconds.toPrecision(2))} s of work at these dimensions (${describeWork(cost)})${where}; an evaluation may take ${limits.maxSeconds} s`,
      siteOf(worst?.node),
      'maxSeconds',
      'use smaller dimensions or summation ranges, or fewer and smaller matrix products',
    );
  }
}
