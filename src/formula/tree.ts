import type { SourceSpan } from './errors.js';

/**
 * The formula tree: what the parser (plain or LaTeX) produces, the printer prints, the checker types and
 * the compilers translate. Every node carries its span in the user's text. `W'`, `W^T` and
 * `transpose(W)` all become a `transpose` node; parentheses leave no node (the printer restores them).
 */
export type BinaryOp = '+' | '-' | '*' | '/' | '.*' | './' | '^' | '.^' | '<' | '>' | '<=' | '>=' | '==' | '!=';

export type Expr = NumberNode | StringNode | SymbolNode | NegateNode | BinaryNode | TransposeNode | CallNode | IndexNode | SliceNode | ListNode | MatrixNode;

export interface NumberNode {
  readonly kind: 'number';
  readonly value: number;
  readonly span: SourceSpan;
}

/** Only as a mode argument: conv2(A, B, 'full'), norm(X, 'fro'). */
export interface StringNode {
  readonly kind: 'string';
  readonly value: string;
  readonly span: SourceSpan;
}

/** A declared tensor, a dimension name, a bound index, or the constant pi. */
export interface SymbolNode {
  readonly kind: 'symbol';
  readonly name: string;
  readonly span: SourceSpan;
}

export interface NegateNode {
  readonly kind: 'negate';
  readonly arg: Expr;
  readonly span: SourceSpan;
}

export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: SourceSpan;
  /** The operator's own characters; empty (start = end) for implicit multiplication `2x`. */
  readonly opSpan: SourceSpan;
}

export interface TransposeNode {
  readonly kind: 'transpose';
  readonly arg: Expr;
  readonly span: SourceSpan;
}

export interface CallNode {
  readonly kind: 'call';
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
}

/** `A[i, j]` (an element), `A[n, f, :, :]` (a slice); only a named tensor can be indexed. */
export interface IndexNode {
  readonly kind: 'index';
  readonly name: string;
  readonly entries: readonly IndexEntry[];
  readonly span: SourceSpan;
  readonly nameSpan: SourceSpan;
}

/**
 * `(X * W)[:, 1:H]`, `[A, B][:, 1:D]`: an element or slice of a value that is not a name (a declared
 * name indexed is an IndexNode).
 */
export interface SliceNode {
  readonly kind: 'slice';
  readonly object: Expr;
  readonly entries: readonly IndexEntry[];
  readonly span: SourceSpan;
}

/**
 * A bracketed list: a size list (reshape(X, [m, n])), the `[]` of max(X, [], d), and as a value the
 * horizontal concatenation `[A, B]` (MATLAB).
 */
export interface ListNode {
  readonly kind: 'list';
  readonly items: readonly Expr[];
  readonly span: SourceSpan;
}

/** `[A, B; C, D]`: rows separated by `;`, each a horizontal concatenation, stacked vertically (MATLAB). */
export interface MatrixNode {
  readonly kind: 'matrix';
  readonly rows: readonly ListNode[];
  readonly span: SourceSpan;
}

/** A whole axis `:` inside an index. */
export interface ColonNode {
  readonly kind: 'colon';
  readonly span: SourceSpan;
}

/** `lo:hi` inside an index (1-based, inclusive, MATLAB-style). */
export interface RangeNode {
  readonly kind: 'range';
  readonly start: Expr;
  readonly end: Expr;
  readonly span: SourceSpan;
}

export type IndexEntry = Expr | ColonNode | RangeNode;

export interface IndexName {
  readonly kind: 'indexName';
  readonly name: string;
  readonly span: SourceSpan;
}

export interface ExpressionStatement {
  readonly kind: 'expression';
  readonly expr: Expr;
  readonly span: SourceSpan;
}

/**
 * The one assignment a formula may hold: `dW = X' * dY` (names the answer) or index notation
 * `dS[i, j] = ...` / `dX[n, c, :, :] = ...` (free indices span the target's shape).
 */
export interface AssignmentStatement {
  readonly kind: 'assignment';
  readonly target: string;
  readonly targetSpan: SourceSpan;
  /** null for `name = expr`; otherwise one entry per axis of the target. */
  readonly indices: readonly (IndexName | ColonNode)[] | null;
  readonly value: Expr;
  readonly span: SourceSpan;
}

export type Statement = ExpressionStatement | AssignmentStatement;

/** A span-free rendering of the tree, so that two readings of a formula can be compared for equality. */
export function treeShape(statement: Statement): string {
  return JSON.stringify(statement, (key, value: unknown) => (key === 'span' || key === 'opSpan' || key === 'nameSpan' || key === 'targetSpan' ? undefined : value));
}
