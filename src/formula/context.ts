import type { Tensor } from '../tensor/index.js';
import type { Bound, NodeInfo } from './annotations.js';
import type { CheckedFormula } from './check.js';
import type { Dim } from './dims.js';
import { type ErrorSite, FormulaValueError } from './errors.js';
import type { Runtime } from './runtime.js';
import type { Expr } from './tree.js';

/** What a compiled node computes: a tensor, or a number for every scalar (rank-0) value. */
export type Value = Tensor | number;
export type Evaluator = (rt: Runtime) => Value;

/** A rank-0 tensor becomes a number, so that scalars travel as numbers. */
export function toValue(t: Tensor): Value {
  return t.rank === 0 ? t.data[t.offset]! : t;
}

/** The single value of a scalar (or 1×1) value. */
export function scalarOf(v: Value): number {
  return typeof v === 'number' ? v : v.item();
}

/** Compiles a node of a checked formula (the tensor compiler; the loop generator hands it what it does not write as loops). */
export interface NodeCompiler {
  compile(node: Expr): Evaluator;
}

/** Shared by the tensor compiler and the loop generator: the checked formula and the input slots. */
export class CompileContext {
  private readonly slots = new Map<string, number>();

  constructor(
    readonly checked: CheckedFormula,
    /**
     * Compile so that every piecewise node (relu, max, comparisons, ...) records its piece codes in
     * Runtime.pieces, through the tensor compiler (generated loops leave such nodes to it).
     */
    readonly tracePieces = false,
  ) {}

  /** The position of a declared tensor in Runtime.tensors, assigned on first use. */
  tensorSlot(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** Tensor names by slot. */
  tensorNames(): string[] {
    return [...this.slots.keys()];
  }

  info(node: Expr): NodeInfo {
    const info = this.checked.annotations.info.get(node);
    if (!info) throw new Error(`internal: node ${node.kind} was not checked`);
    return info;
  }

  site(node: { span: { start: number; end: number } }): ErrorSite {
    return { text: this.checked.parsed.text, span: node.span };
  }
}

/** A dimension's value for this evaluation; a non-integer (H/2 with odd H) is a value error at `node`. */
export function sizeOf(dim: Dim, sizes: ReadonlyMap<string, number>, ctx: CompileContext, node: { span: { start: number; end: number } }, what: () => string): number {
  const v = dim.evaluate(sizes);
  if (!Number.isInteger(v) || v < 0) {
    throw new FormulaValueError(`${what()} is ${dim.toString()} = ${v}, which is not a whole number ≥ 0 for these dimensions`, ctx.site(node), 'choose dimension values that make every size a whole number (2×2 pooling needs even sizes)');
  }
  return v;
}

/** A loop bound given by a dimension expression, for this evaluation (may be ≤ 0: an empty range). */
export function boundValue(bound: Extract<Bound, { dim: Dim }>, rt: Runtime, ctx: CompileContext, node: { span: { start: number; end: number } }): number {
  const v = bound.dim.evaluate(rt.sizes);
  if (!Number.isInteger(v)) {
    throw new FormulaValueError(`a summation bound is ${bound.dim.toString()} = ${v}, which is not a whole number for these dimensions`, ctx.site(node), 'choose dimension values that make the bound a whole number');
  }
  return v;
}
