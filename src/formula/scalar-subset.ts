import type { CompileContext } from './context.js';
import { functionRow } from './functions/table.js';
import { OPERATORS } from './operators.js';
import type { Expr, IndexNode } from './tree.js';

/**
 * The scalar subset of the formula language that the loop generator writes as JS expressions, and the
 * small analyses it needs on it. Everything outside the subset is computed by the tensor compiler and
 * handed to the generated code as a value.
 */

/** A node of the scalar subset: numbers, names, element reads, scalar operators and functions, index sums. */
export function isNative(node: Expr, ctx: CompileContext): boolean {
  const info = ctx.info(node);
  if (info.shape.length !== 0) return false;
  switch (node.kind) {
    case 'number':
    case 'symbol':
    case 'negate':
      return true;
    case 'binary':
      // While tracing pieces, steps go through the tensor compiler, which records them.
      if (ctx.tracePieces && OPERATORS[node.op].piecewise) return false;
      return ctx.info(node.left).shape.length === 0 && ctx.info(node.right).shape.length === 0;
    case 'index':
      return node.entries.every((e) => e.kind !== 'colon' && e.kind !== 'range');
    case 'call': {
      const plan = ctx.checked.annotations.plans.get(node)!;
      if (plan.form === 'index') return true;
      const row = functionRow(node.fn);
      if (row?.kind !== 'computed' || row.scalar === undefined || (ctx.tracePieces && row.smoothness !== 'smooth')) return false;
      const scalarForm = plan.form === 'map' || plan.form === 'scalar' || plan.form === 'pair';
      return scalarForm && plan.operands.every((o) => ctx.info(o).shape.length === 0);
    }
    default:
      return false;
  }
}

/** The children a native node's code is made of. */
export function nativeChildren(node: Expr, ctx: CompileContext): readonly Expr[] {
  switch (node.kind) {
    case 'negate':
      return [node.arg];
    case 'binary':
      return [node.left, node.right];
    case 'index':
      return node.entries as readonly Expr[];
    case 'call':
      return ctx.checked.annotations.plans.get(node)!.operands;
    default:
      return [];
  }
}

/** A finite number as a JS literal; anything else is an internal error, never emitted. */
export function literal(value: number): string {
  const text = String(value);
  if (!Number.isFinite(value) || !/^[0-9.e+-]+$/.test(text) || Number(text) !== value) throw new Error(`internal: cannot write ${text} as a literal`);
  return `(${text})`;
}

/**
 * The reads that are factors of a summand (through * .* unary minus and numerators): when one falls
 * outside its tensor the whole term is zero, so the term can be skipped instead of multiplied by 0.
 * (The result differs from adding 0·x only when x is infinite or NaN, where skipping is what the
 * tensor-core convolutions do too.)
 */
export function factorReads(node: Expr, ctx: CompileContext): IndexNode[] {
  if (!isNative(node, ctx)) return [];
  switch (node.kind) {
    case 'index':
      return [node];
    case 'negate':
      return factorReads(node.arg, ctx);
    case 'binary':
      if (node.op === '*' || node.op === '.*') return [...factorReads(node.left, ctx), ...factorReads(node.right, ctx)];
      if (node.op === '/' || node.op === './') return factorReads(node.left, ctx);
      return [];
    default:
      return [];
  }
}

/** +1 or −1 when `node` is ±v + (terms without v) for the index in `slot`; undefined otherwise. */
export function unitCoefficient(node: Expr, slot: number, ctx: CompileContext): 1 | -1 | undefined {
  if (!ctx.info(node).uses.has(slot)) return undefined;
  switch (node.kind) {
    case 'symbol': {
      const ref = ctx.checked.annotations.refs.get(node);
      return ref?.kind === 'index' && ref.slot === slot ? 1 : undefined;
    }
    case 'negate': {
      const c = unitCoefficient(node.arg, slot, ctx);
      return c === undefined ? undefined : c === 1 ? -1 : 1;
    }
    case 'binary': {
      if (node.op !== '+' && node.op !== '-') return undefined;
      const inLeft = ctx.info(node.left).uses.has(slot);
      const inRight = ctx.info(node.right).uses.has(slot);
      if (inLeft && inRight) return undefined;
      if (inLeft) return unitCoefficient(node.left, slot, ctx);
      const c = unitCoefficient(node.right, slot, ctx);
      return c === undefined ? undefined : node.op === '-' ? (c === 1 ? -1 : 1) : c;
    }
    default:
      return undefined;
  }
}
