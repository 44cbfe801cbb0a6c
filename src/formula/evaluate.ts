import {
  ShapeError,
  Tensor,
  TensorArgumentError,
  abs,
  add,
  avgpool2,
  ceil,
  conv2,
  corr2,
  diag,
  div,
  eq,
  exp,
  eye,
  flip,
  floor,
  frobeniusNorm,
  ge,
  gt,
  kron,
  le,
  log,
  logsumexp,
  lt,
  matmul,
  max,
  maximum,
  maxpool2,
  mean,
  min,
  minimum,
  mul,
  ne,
  neg,
  onehot,
  ones,
  pad,
  pow,
  prod,
  relu,
  rot90,
  sigmoid,
  softmax,
  spectralNorm,
  sqrt,
  sub,
  sum,
  sumAll,
  tanh,
  zeros,
} from '../tensor/index.js';
import type { CallPlan, IndexBinding } from './check.js';
import { type CompileContext, type Evaluator, type Value, boundValue, scalarOf, sizeOf } from './context.js';
import { FormulaValueError } from './errors.js';
import { compileScalarKernel } from './kernels.js';
import { printExpr } from './print.js';
import { type Runtime, charge } from './runtime.js';
import { SCALAR_FUNCTIONS, SCALAR_OPERATORS } from './scalar.js';
import type { BinaryNode, CallNode, Expr, IndexNode } from './tree.js';

/**
 * The whole-tensor compiler: each node becomes a closure that calls one tensor-core kernel on its
 * children's values (scalars stay plain numbers). Scalar-valued index sums are handed to the loop
 * generator; slices and tensor-valued sums are evaluated here, looping in JS over the index values.
 */

const UNARY_KERNELS: ReadonlyMap<string, (t: Tensor) => Tensor> = new Map([
  ['exp', exp],
  ['log', log],
  ['sqrt', sqrt],
  ['abs', abs],
  ['tanh', tanh],
  ['ceil', ceil],
  ['floor', floor],
  ['sigmoid', sigmoid],
  ['relu', relu],
]);

type Operand = Tensor | number;

const BINARY_KERNELS: Readonly<Record<Exclude<BinaryNode['op'], '*' | '/' | '^'>, (a: Operand, b: Operand) => Tensor>> = {
  '+': add,
  '-': sub,
  '.*': mul,
  './': div,
  '.^': pow,
  '<': lt,
  '>': gt,
  '<=': le,
  '>=': ge,
  '==': eq,
  '!=': ne,
};

/** A rank-0 tensor becomes a number, so that scalars travel as numbers. */
function normal(t: Tensor): Value {
  return t.rank === 0 ? t.data[t.offset]! : t;
}

function asTensor(v: Value): Tensor {
  return typeof v === 'number' ? Tensor.scalar(v) : v;
}

export class TensorCompiler {
  constructor(private readonly ctx: CompileContext) {}

  compile(node: Expr): Evaluator {
    const info = this.ctx.info(node);
    // A scalar index sum runs as generated loops.
    if (node.kind === 'call' && info.shape.length === 0 && this.ctx.checked.annotations.plans.get(node)?.form === 'index') {
      return compileScalarKernel(this.ctx, node, this);
    }
    const evaluator = this.compileNode(node);
    if (node.kind !== 'call' && node.kind !== 'binary') return evaluator;
    // Tensor-core errors at run time are about values (a label outside 1..K); say where.
    const ctx = this.ctx;
    return (rt) => {
      try {
        return evaluator(rt);
      } catch (err) {
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
            return (rt) => normal(rt.tensors[slot]!);
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
      case 'string':
      case 'list':
        break;
    }
    throw new Error(`internal: ${node.kind} nodes are not values`);
  }

  private binary(node: BinaryNode): Evaluator {
    const a = this.compile(node.left);
    const b = this.compile(node.right);
    const scalar = SCALAR_OPERATORS[node.op].apply;
    const site = this.ctx.site(node);
    if (node.op === '*') {
      return (rt) => {
        const x = a(rt);
        const y = b(rt);
        if (typeof x === 'number' && typeof y === 'number') return scalar(x, y);
        if (typeof x === 'number' || typeof y === 'number') return mul(x, y);
        const inner = x.shape[x.rank - 1]!;
        const product = matmul(x, y);
        charge(rt, product.size * inner, site);
        return normal(product);
      };
    }
    const kernel = node.op === '/' ? div : node.op === '^' ? pow : BINARY_KERNELS[node.op];
    return (rt) => {
      const x = a(rt);
      const y = b(rt);
      if (typeof x === 'number' && typeof y === 'number') return scalar(x, y);
      return normal(kernel(x, y));
    };
  }

  private call(node: CallNode): Evaluator {
    const plan = this.ctx.checked.annotations.plans.get(node)!;
    const operands = plan.operands.map((o) => this.compile(o));
    const [x, y] = operands;
    const fn = node.fn;
    const ctx = this.ctx;
    const scalarFn = SCALAR_FUNCTIONS.get(fn);
    const unary = UNARY_KERNELS.get(fn);
    if (unary) {
      return (rt) => {
        const v = x!(rt);
        return typeof v === 'number' ? scalarFn!(v) : unary(v);
      };
    }
    const sizes = (rt: Runtime): number[] => (plan.sizes ?? []).map((d) => sizeOf(d, rt, ctx, node, `a size of ${fn}`));
    switch (fn) {
      case 'delta':
      case 'mod':
        return (rt) => scalarFn!(scalarOf(x!(rt)), scalarOf(y!(rt)));
      case 'max':
      case 'min':
        return this.maxMin(plan, x!, y, fn);
      case 'sum':
        if (plan.form === 'index') return this.tensorSum(node, plan);
        return this.reduction(plan, x!, (t) => sumAll(t), (t, axis) => sum(t, axis, true));
      case 'mean':
        return this.reduction(plan, x!, (t) => mean(t).item(), (t, axis) => mean(t, axis, true));
      case 'prod':
        return this.reduction(plan, x!, (t) => prod(t).item(), (t, axis) => prod(t, axis, true));
      case 'logsumexp':
        return this.reduction(plan, x!, (t) => logsumexp(t).item(), (t, axis) => logsumexp(t, axis, true));
      case 'norm': {
        const norm = plan.form === 'spectral' ? spectralNorm : frobeniusNorm;
        return (rt) => norm(asTensor(x!(rt)));
      }
      case 'softmax': {
        const axis = plan.axis!;
        return (rt) => softmax(asTensor(x!(rt)), axis);
      }
      case 'ones':
      case 'zeros': {
        const make = fn === 'ones' ? ones : zeros;
        return (rt) => normal(make(sizes(rt)));
      }
      case 'eye':
        return (rt) => {
          const [n, m] = sizes(rt);
          return eye(n!, m!);
        };
      case 'onehot':
        return (rt) => {
          const [k] = sizes(rt);
          const labels = asTensor(x!(rt));
          const flat = labels.reshape([labels.size]);
          return plan.form === 'columns' ? onehot(flat, k!, 0) : onehot(flat, k!);
        };
      case 'diag':
        return (rt) => {
          const t = asTensor(x!(rt));
          return diag(plan.form === 'rows' ? t.reshape([t.size]) : t);
        };
      case 'kron': {
        const site = this.ctx.site(node);
        return (rt) => {
          const out = kron(asTensor(x!(rt)), asTensor(y!(rt)));
          charge(rt, out.size, site);
          return normal(out);
        };
      }
      case 'reshape':
        return (rt) => normal(asTensor(x!(rt)).reshape(sizes(rt)));
      case 'rot90': {
        const turns = plan.turns ?? 1;
        return (rt) => rot90(asTensor(x!(rt)), turns);
      }
      case 'flip': {
        const axes = plan.form === 'axis' ? plan.axis! : undefined;
        return (rt) => {
          const v = x!(rt);
          return typeof v === 'number' ? v : normal(flip(v, axes));
        };
      }
      case 'pad':
        return (rt) => pad(asTensor(x!(rt)), sizes(rt)[0]!);
      case 'conv2':
      case 'corr2': {
        const kernel = fn === 'conv2' ? conv2 : corr2;
        const mode = plan.mode!;
        const site = this.ctx.site(node);
        return (rt) => {
          const k = asTensor(y!(rt));
          const out = kernel(asTensor(x!(rt)), k, mode);
          charge(rt, out.size * k.size, site);
          return out;
        };
      }
      case 'avgpool2':
        return (rt) => avgpool2(asTensor(x!(rt)));
      case 'maxpool2':
        return (rt) => maxpool2(asTensor(x!(rt)));
    }
    throw new Error(`internal: no evaluator for ${fn}`);
  }

  private maxMin(plan: CallPlan, x: Evaluator, y: Evaluator | undefined, fn: 'max' | 'min'): Evaluator {
    const scalar = SCALAR_FUNCTIONS.get(fn)!;
    if (plan.form === 'pair') {
      const kernel = fn === 'max' ? maximum : minimum;
      return (rt) => {
        const a = x(rt);
        const b = y!(rt);
        return typeof a === 'number' && typeof b === 'number' ? scalar(a, b) : normal(kernel(a, b));
      };
    }
    const reduce = fn === 'max' ? max : min;
    return this.reduction(plan, x, (t) => reduce(t).item(), (t, axis) => reduce(t, axis, true));
  }

  /** all → a number; axis → keepdims along it (MATLAB). */
  private reduction(plan: CallPlan, x: Evaluator, all: (t: Tensor) => number, along: (t: Tensor, axis: number) => Tensor): Evaluator {
    if (plan.form === 'all') return (rt) => all(asTensor(x(rt)));
    const axis = plan.axis!;
    return (rt) => {
      const v = x(rt);
      return typeof v === 'number' ? all(Tensor.scalar(v)) : normal(along(v, axis));
    };
  }

  /**
   * sum(body, i, ...) with a tensor-valued body (slices, conv2 of slices): loops over the index values,
   * accumulating the body's values in place. An empty range gives zeros of the body's shape.
   */
  private tensorSum(node: CallNode, plan: CallPlan): Evaluator {
    const body = this.compile(plan.operands[0]!);
    const bindings = plan.bindings!;
    const bounds = bindings.map((b) => ({ lo: this.boundEvaluator(b, 'lo', node), hi: this.boundEvaluator(b, 'hi', node) }));
    const shape = this.ctx.info(node).shape;
    const ctx = this.ctx;
    const site = ctx.site(node);
    return (rt) => {
      const dims = shape.map((d) => sizeOf(d, rt, ctx, node, 'a size of the summed value'));
      const acc = new Float64Array(dims.reduce((a, b) => a * b, 1));
      const visit = (level: number): void => {
        const slot = bindings[level]!.slot;
        const lo = bounds[level]!.lo(rt);
        const hi = bounds[level]!.hi(rt);
        for (let v = lo; v <= hi; v++) {
          rt.env[slot] = v;
          if (level + 1 < bindings.length) {
            visit(level + 1);
            continue;
          }
          charge(rt, acc.length, site);
          const value = body(rt);
          if (typeof value === 'number') {
            for (let k = 0; k < acc.length; k++) acc[k]! += value;
          } else {
            const src = value.contiguous().data;
            for (let k = 0; k < acc.length; k++) acc[k]! += src[k]!;
          }
        }
      };
      visit(0);
      return normal(new Tensor(acc, dims));
    };
  }

  /** A loop bound: a dimension expression evaluated per run, or an expression over outer indices. */
  boundEvaluator(binding: IndexBinding, which: 'lo' | 'hi', node: Expr): (rt: Runtime) => number {
    const bound = binding[which];
    if ('dim' in bound) return (rt) => boundValue(bound, rt, this.ctx, node);
    const e = this.compile(bound.expr);
    return (rt) => scalarOf(e(rt));
  }

  /** A[i, j] (0 outside A's bounds) or a slice A[n, f, :, :] (zeros where it falls outside A). */
  private index(node: IndexNode): Evaluator {
    const slot = this.ctx.tensorSlot(node.name);
    const ctx = this.ctx;
    const entries = node.entries.map((entry) => {
      if (entry.kind === 'colon') return { kind: 'colon' as const };
      if (entry.kind === 'range') {
        const lo = this.compile(entry.start);
        const hi = this.compile(entry.end);
        return { kind: 'range' as const, lo, hi };
      }
      return { kind: 'scalar' as const, at: this.compile(entry) };
    });
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
    const shape = ctx.info(node).shape;
    return (rt) => {
      const t = rt.tensors[slot]!;
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
      const dims = shape.map((d) => sizeOf(d, rt, ctx, node, 'a slice size'));
      if (outside) return normal(Tensor.zeros(dims));
      const view = t.slice(ranges);
      if (!partial) return normal(view);
      const out = Tensor.zeros(dims);
      out.slice(clipped).assign(view);
      return normal(out);
    };
  }
}

