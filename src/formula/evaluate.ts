import { DomainError, ShapeError, Tensor, TensorArgumentError, asTensor, matmul, mul, neg } from '../tensor/index.js';
import type { IndexBinding } from './annotations.js';
import { type CompileContext, type Evaluator, type NodeCompiler, type Value, boundValue, scalarOf, sizeOf, toValue } from './context.js';
import { FormulaDomainError, FormulaValueError } from './errors.js';
import { concatValues } from './functions/concat.js';
import { differenceSigns } from './functions/pieces.js';
import type { CallCompiler, ComputedRow } from './functions/row.js';
import { functionRow } from './functions/table.js';
import { compileScalarKernel } from './kernels.js';
import { printExpr } from './print.js';
import { type Runtime, checkClock } from './runtime.js';
import { OPERATORS } from './operators.js';
import type { BinaryNode, CallNode, Expr, IndexEntry, IndexNode, ListNode, MatrixNode, SliceNode } from './tree.js';

/**
 * The whole-tensor compiler: each node becomes a closure that calls one tensor-core kernel on its
 * children's values (scalars stay plain numbers); a call runs its row's evaluator (src/formula/functions).
 * Scalar-valued index sums are handed to the loop generator; slices and tensor-valued sums are evaluated
 * here, looping in JS over the index values.
 */

/** A checked call's row, which the checker has resolved to a computed one. */
function computedRow(node: CallNode): ComputedRow {
  const row = functionRow(node.fn);
  if (row?.kind !== 'computed') throw new Error(`internal: ${node.fn} has no evaluator`);
  return row;
}

/**
 * Appends piece codes to the trace. NaN codes (a NaN input) become one fixed code, so that a NaN does not
 * read as a change of piece at every point (NaN !== NaN).
 */
function record(rt: Runtime, codes: ArrayLike<number>): void {
  const sink = rt.pieces!;
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k]!;
    sink.push(c === c ? c : NAN_PIECE);
  }
}

/** The piece code recorded for NaN. */
const NAN_PIECE = Number.MAX_VALUE;

export class TensorCompiler implements NodeCompiler {
  constructor(private readonly ctx: CompileContext) {}

  compile(node: Expr): Evaluator {
    const info = this.ctx.info(node);
    // A scalar index sum runs as generated loops.
    if (node.kind === 'call' && info.shape.length === 0 && this.ctx.checked.annotations.plans.get(node)?.form === 'index') {
      return compileScalarKernel(this.ctx, node, this);
    }
    const evaluator = this.compileNode(node);
    if (node.kind !== 'call' && node.kind !== 'binary' && node.kind !== 'list' && node.kind !== 'matrix') return evaluator;
    // Tensor-core errors at run time are about values (a label outside 1..K, a singular matrix); say where.
    const ctx = this.ctx;
    return (rt) => {
      try {
        return evaluator(rt);
      } catch (err) {
        if (err instanceof DomainError) throw new FormulaDomainError(`${printExpr(node)}: ${err.message}`, ctx.site(node), 'the sample is outside the function\'s domain; draw other inputs', { cause: err });
        if (err instanceof ShapeError || err instanceof TensorArgumentError) {
          throw new FormulaValueError(`${printExpr(node)}: ${err.message}`, ctx.site(node), 'check the input values', { cause: err });
        }
        throw err;
      }
    };
  }

  private compileNode(node: Expr): Evaluator {
    switch (node.kind) {
      case 'number': {
        const v = node.value;
        return () => v;
      }
      case 'symbol': {
        const ref = this.ctx.checked.annotations.refs.get(node)!;
        switch (ref.kind) {
          case 'tensor': {
            const slot = this.ctx.tensorSlot(ref.name);
            return (rt) => toValue(rt.tensors[slot]!);
          }
          case 'dim': {
            const name = ref.name;
            return (rt) => rt.sizes.get(name)!;
          }
          case 'index': {
            const slot = ref.slot;
            return (rt) => rt.env[slot]!;
          }
          case 'constant': {
            const v = ref.value;
            return () => v;
          }
        }
        break;
      }
      case 'negate': {
        const a = this.compile(node.arg);
        return (rt) => {
          const v = a(rt);
          return typeof v === 'number' ? -v : neg(v);
        };
      }
      case 'transpose': {
        const a = this.compile(node.arg);
        return (rt) => {
          const v = a(rt);
          return typeof v === 'number' || v.rank < 2 ? v : v.transpose();
        };
      }
      case 'binary':
        return this.binary(node);
      case 'call':
        return this.call(node);
      case 'index':
        return this.index(node);
      case 'slice':
        return this.slice(node);
      case 'list':
      case 'matrix':
        return this.join(node);
      case 'string':
        break;
    }
    throw new Error(`internal: ${node.kind} nodes are not values`);
  }

  private binary(node: BinaryNode): Evaluator {
    const a = this.compile(node.left);
    const b = this.compile(node.right);
    const operator = OPERATORS[node.op];
    const scalar = operator.apply;
    const site = this.ctx.site(node);
    if (node.op === '*') {
      return (rt) => {
        const x = a(rt);
        const y = b(rt);
        if (typeof x === 'number' && typeof y === 'number') return scalar(x, y);
        if (typeof x === 'number' || typeof y === 'number') return mul(x, y);
        const product = matmul(x, y);
        checkClock(rt, site);
        return toValue(product);
      };
    }
    const kernel = operator.tensor;
    // A comparison is a step: the side of the boundary each entry is on is its piece (sign of a − b).
    const trace = this.ctx.tracePieces && operator.piecewise;
    return (rt) => {
      const x = a(rt);
      const y = b(rt);
      if (trace) record(rt, differenceSigns(x, y));
      if (typeof x === 'number' && typeof y === 'number') return scalar(x, y);
      return toValue(kernel(x, y));
    };
  }

  private call(node: CallNode): Evaluator {
    const row = computedRow(node);
    const ctx = this.ctx;
    const plan = ctx.checked.annotations.plans.get(node)!;
    const smoothness = row.smoothness;
    const tracing = ctx.tracePieces && smoothness !== 'smooth';
    // While tracing, each operand's value is kept for the row's piece rule (no operand runs twice).
    const seen: Value[] = [];
    const operands = plan.operands.map((o, k) => {
      const e = this.compile(o);
      return tracing ? (rt: Runtime) => (seen[k] = e(rt)) : e;
    });
    const call: CallCompiler = {
      node,
      plan,
      operands,
      site: ctx.site(node),
      sizes: (rt) => (plan.sizes ?? []).map((d) => sizeOf(d, rt.sizes, ctx, node, () => `a size of ${node.fn}`)),
      dims: (shape, rt) => shape.map((d) => sizeOf(d, rt.sizes, ctx, node, () => `a size of ${printExpr(node)}`)),
      shapeOf: (e) => ctx.info(e).shape,
      compile: (e) => this.compile(e),
      bound: (binding, which) => this.boundEvaluator(binding, which, node),
    };
    const evaluator = row.compile(call);
    if (!ctx.tracePieces || smoothness === 'smooth') return evaluator;
    const pieces = smoothness.pieces;
    return (rt) => {
      const value = evaluator(rt);
      record(rt, pieces(seen, plan));
      return value;
    };
  }

  /** A loop bound: a dimension expression evaluated per run, or an expression over outer indices. */
  boundEvaluator(binding: IndexBinding, which: 'lo' | 'hi', node: Expr): (rt: Runtime) => number {
    const bound = binding[which];
    if ('dim' in bound) return (rt) => boundValue(bound, rt, this.ctx, node);
    const e = this.compile(bound.expr);
    return (rt) => scalarOf(e(rt));
  }

  /** `[A, B]`, `[A; B]`: the operands joined along the checked axis. */
  private join(node: ListNode | MatrixNode): Evaluator {
    const plan = this.ctx.checked.annotations.plans.get(node)!;
    const parts = plan.operands.map((o) => this.compile(o));
    const axis = plan.axis!;
    const rank = this.ctx.info(node).shape.length;
    return (rt) => concatValues(parts.map((p) => p(rt)), axis, rank);
  }

  /** A[i, j] (0 outside A's bounds) or a slice A[n, f, :, :] (zeros where it falls outside A). */
  private index(node: IndexNode): Evaluator {
    const slot = this.ctx.tensorSlot(node.name);
    const entries = this.entries(node.entries);
    if (entries.every((e) => e.kind === 'scalar')) {
      const at = entries.map((e) => (e as { at: Evaluator }).at);
      return (rt) => {
        const t = rt.tensors[slot]!;
        let offset = t.offset;
        for (let axis = 0; axis < at.length; axis++) {
          const i = scalarOf(at[axis]!(rt));
          if (!(i >= 1 && i <= t.shape[axis]!)) return 0;
          offset += (i - 1) * t.strides[axis]!;
        }
        return t.data[offset]!;
      };
    }
    const read = this.sliceReader(node, entries);
    return (rt) => read(rt.tensors[slot]!, rt);
  }

  /** `(X * W)[:, 1:H]`: the same reading, of the object's value. */
  private slice(node: SliceNode): Evaluator {
    const object = this.compile(node.object);
    const read = this.sliceReader(node, this.entries(node.entries));
    return (rt) => read(asTensor(object(rt)), rt);
  }

  private entries(entries: readonly IndexEntry[]): SliceEntry[] {
    return entries.map((entry): SliceEntry => {
      if (entry.kind === 'colon') return { kind: 'colon' };
      if (entry.kind === 'range') return { kind: 'range', lo: this.compile(entry.start), hi: this.compile(entry.end) };
      return { kind: 'scalar', at: this.compile(entry) };
    });
  }

  /** Reads entries of a tensor: scalar entries drop their axis, ranges keep theirs; zeros where it falls outside. */
  private sliceReader(node: IndexNode | SliceNode, entries: readonly SliceEntry[]): (t: Tensor, rt: Runtime) => Value {
    const ctx = this.ctx;
    const shape = ctx.info(node).shape;
    return (t, rt) => {
      const ranges: (number | [number, number] | null)[] = [];
      const clipped: [number, number][] = [];
      let outside = false;
      let partial = false;
      entries.forEach((e, axis) => {
        const n = t.shape[axis]!;
        if (e.kind === 'colon') {
          ranges.push(null);
          clipped.push([0, n]);
        } else if (e.kind === 'scalar') {
          const i = scalarOf(e.at(rt));
          if (!(i >= 1 && i <= n)) outside = true;
          ranges.push(i - 1);
        } else {
          const lo = scalarOf(e.lo(rt));
          const hi = scalarOf(e.hi(rt));
          const from = Math.max(lo, 1);
          const to = Math.min(hi, n);
          if (from > to) outside = true;
          if (from !== lo || to !== hi) partial = true;
          ranges.push([from - 1, to]);
          clipped.push([from - lo, from - lo + to - from + 1]);
        }
      });
      const dims = shape.map((d) => sizeOf(d, rt.sizes, ctx, node, () => 'a slice size'));
      if (outside) return toValue(Tensor.zeros(dims));
      const view = t.slice(ranges);
      if (!partial) return toValue(view);
      const out = Tensor.zeros(dims);
      out.slice(clipped).assign(view);
      return toValue(out);
    };
  }
}

type SliceEntry = { readonly kind: 'colon' } | { readonly kind: 'scalar'; readonly at: Evaluator } | { readonly kind: 'range'; readonly lo: Evaluator; readonly hi: Evaluator };
