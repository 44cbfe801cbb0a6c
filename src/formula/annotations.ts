import type { Dim, SymbolicShape } from './dims.js';
import type { CallNode, Expr, IndexNode, ListNode, MatrixNode, SymbolNode } from './tree.js';

/**
 * What the shape checker records about a formula, node by node, for the compilers: each node's type
 * (NodeInfo), what each name refers to, how each call was resolved (CallPlan), and the index bindings
 * of index notation.
 */

export interface NodeInfo {
  readonly shape: SymbolicShape;
  /** Every value is a whole number (so a scalar of this kind may index a tensor). */
  readonly integer: boolean;
  /** The value as a dimension expression when it is built from integers and dimension names only. */
  readonly static: Dim | undefined;
  /** Index slots the value depends on (empty: the same value in every iteration of every loop). */
  readonly uses: ReadonlySet<number>;
}

/** A summation or left-side index bound: a dimension expression, or an expression over outer indices. */
export type Bound = { readonly dim: Dim } | { readonly expr: Expr };

export interface IndexBinding {
  readonly name: string;
  /** Position in the evaluation's index environment. */
  readonly slot: number;
  readonly lo: Bound;
  readonly hi: Bound;
  readonly role: 'free' | 'sum';
}

export type SymbolRef =
  | { readonly kind: 'tensor'; readonly name: string }
  | { readonly kind: 'dim'; readonly name: string }
  | { readonly kind: 'index'; readonly slot: number }
  | { readonly kind: 'constant'; readonly value: number };

/** How a call (or a bracket concatenation) was resolved: which form of the function, and its static arguments. */
export interface CallPlan {
  readonly form: 'map' | 'scalar' | 'pair' | 'all' | 'axis' | 'index' | 'sizes' | 'euclid' | 'spectral' | 'fro' | 'rows' | 'columns' | 'conv' | 'lower' | 'upper';
  /** 0-based axis (reductions, softmax, flip, concatenation). */
  readonly axis?: number;
  /** Sizes (ones, zeros, eye, reshape), the pad width, onehot's class count. */
  readonly sizes?: readonly Dim[];
  /** Quarter turns of rot90. */
  readonly turns?: number;
  readonly mode?: 'full' | 'valid' | 'same';
  /** Summation indices of sum(expr, i, ...), outermost first. */
  readonly bindings?: readonly IndexBinding[];
  /** The arguments evaluated as values, in order. */
  readonly operands: readonly Expr[];
}

/** The nodes a plan is recorded for: calls, and bracket concatenations `[A, B]`, `[A; B]`. */
export type PlannedNode = CallNode | ListNode | MatrixNode;

/** Everything the compilers need, keyed by tree node. */
export interface Annotations {
  readonly info: ReadonlyMap<Expr, NodeInfo>;
  readonly refs: ReadonlyMap<SymbolNode | IndexNode, SymbolRef>;
  readonly plans: ReadonlyMap<PlannedNode, CallPlan>;
  /** Every index binding, by slot. */
  readonly bindings: readonly IndexBinding[];
  /** Left-side indices of index notation (one per target axis; undefined for `:`). */
  readonly free: readonly (IndexBinding | undefined)[];
}

export const NO_USES: ReadonlySet<number> = new Set();

/** The index slots any of `infos` depends on. */
export function unionUses(...infos: readonly NodeInfo[]): ReadonlySet<number> {
  const nonEmpty = infos.filter((i) => i.uses.size > 0);
  if (nonEmpty.length === 0) return NO_USES;
  if (nonEmpty.length === 1) return nonEmpty[0]!.uses;
  const out = new Set<number>();
  for (const i of nonEmpty) for (const slot of i.uses) out.add(slot);
  return out;
}
