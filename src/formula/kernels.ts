import type { IndexBinding } from './annotations.js';
import { type CompileContext, type Evaluator, type NodeCompiler, boundValue, scalarOf } from './context.js';
import { KernelBuilder } from './loops.js';
import { overBudget, type Runtime, timedOut } from './runtime.js';
import type { ScalarKernel } from './functions/row.js';
import type { CallNode, Expr } from './tree.js';

/**
 * Generated kernels: the loop structure of each kind of index-notation formula, built with
 * KernelBuilder, compiled once with `new Function`, and run with per-run inputs (dimension values,
 * static loop bounds, values computed outside the loops).
 */

/**
 * Lanes of the jammed loop: 4 accumulators hide the latency of floating-point adds and share each
 * lane-independent load (K[f, c, m, t] of the conv gradient) among 4 multiply-adds; on the conv input
 * gradient this measured 25% faster than accumulating into the output one element at a time.
 */
const LANES = 4;

type KernelFunction = (
  rt: Runtime,
  T: readonly unknown[],
  Z: readonly number[],
  B: readonly number[],
  H: readonly number[],
  C: readonly ((rt: Runtime) => number)[],
  F: readonly ScalarKernel[],
  out: Float64Array | null,
  O: readonly number[],
) => number;

/**
 * Kernels compiled so far, by source. A kernel's source is a function of the checked tree's loop
 * structure alone (its inputs come per run), so formulas of one shape (a class's index-notation answers
 * to one target) share one function, which V8 then optimizes once: a function new to V8 runs in its
 * interpreter until it is called often, and each answer calls its kernels a few dozen times.
 */
const kernelsBySource = new Map<string, KernelFunction>();
/** Sources kept (a few kB each): far more than the shapes of one batch's answers. */
const KEPT_KERNELS = 512;

/** Compiles the source (or takes the kernel compiled from it before); the helpers are passed as values. */
function instantiate(source: string): KernelFunction {
  const kept = kernelsBySource.get(source);
  if (kept) return kept;
  // Generated from the checked tree only (see loops.ts): no user text is in `source`.
  const factory = new Function('ovb', 'tmo', 'now', source) as (ovb: (rt: Runtime) => never, tmo: (rt: Runtime) => never, now: () => number) => KernelFunction;
  const kernel = factory((rt) => overBudget(rt), (rt) => timedOut(rt), () => performance.now());
  if (kernelsBySource.size < KEPT_KERNELS) kernelsBySource.set(source, kernel);
  return kernel;
}

/** Runs a built kernel: computes its per-run inputs, then calls the generated function. */
function runner(ctx: CompileContext, builder: KernelBuilder, kernel: KernelFunction): (rt: Runtime, out: Float64Array | null, O: readonly number[]) => number {
  const { dims, bounds, nests, hoisted, callbacks, functions } = builder.inputs;
  return (rt, out, O) => {
    const Z = dims.map((d) => rt.sizes.get(d)!);
    const B = bounds.map((b) => boundValue({ dim: b.dim }, rt, ctx, b.node));
    // Loops with static bounds are charged here, before running: their trip count is known.
    let trips = 0;
    for (const nest of nests) trips += nest.reduce((n, [lo, hi]) => n * Math.max(0, B[hi]! - B[lo]! + 1), 1);
    rt.budget -= trips;
    if (rt.budget < 0) overBudget(rt);
    const H = hoisted.map((h) => scalarOf(h(rt)));
    return kernel(rt, rt.tensors, Z, B, H, callbacks, functions, out, O);
  };
}

/** A scalar index sum (anywhere in a formula) as generated loops returning its value. */
export function compileScalarKernel(ctx: CompileContext, node: CallNode, tc: NodeCompiler): Evaluator {
  const plan = ctx.checked.annotations.plans.get(node)!;
  const builder = new KernelBuilder(ctx, tc, [node], plan.bindings!.map((b) => b.slot));
  const value = builder.expr(node);
  const run = runner(ctx, builder, instantiate(builder.source([], value)));
  return (rt) => run(rt, null, []);
}

/**
 * The jammed form of `out[..., j] = sum(summand, f, m, t)`: the loop over the last free index j
 * advances by LANES, and inside it one loop nest over the summation indices accumulates the summand
 * for j, j + 1, ..., j + LANES − 1 in LANES accumulators (values that do not depend on j are read
 * once for all lanes). A remainder loop finishes the last j values one at a time. Each output element
 * receives its terms in the sum's index order, from 0, as a plain accumulator would.
 */
function jammedSum(builder: KernelBuilder, free: readonly IndexBinding[], sum: CallNode, plan: { bindings: readonly IndexBinding[]; summand: Expr }): string[] {
  const last = free[free.length - 1]!;
  const lo = builder.bound(last, 'lo', sum);
  const hi = builder.bound(last, 'hi', sum);
  const lanes = Array.from({ length: LANES }, (_, k) => k);

  builder.open(last.slot, lo.code, hi.code, lo.k !== null && hi.k !== null ? [lo.k, hi.k] : null, LANES);
  const jamLevel = builder.currentLevel();
  const base = builder.fresh('w');
  builder.at(jamLevel).push(`const ${base} = ${builder.outputOffset(free)};`);
  const acc = lanes.map(() => builder.fresh('a'));
  builder.innermost(`let ${acc.map((a) => `${a} = 0`).join(', ')};`);
  const nest = builder.loops(plan.bindings, jamLevel, sum, () => {
    builder.guardFactors(plan.summand, jamLevel + 1);
    const codes = builder.lanes(last.slot, LANES, plan.summand);
    builder.innermost(...codes.map((code, k) => `${acc[k]} += ${code};`));
  });
  builder.innermost(...nest, ...lanes.map((k) => `out[${base} + ${k}] = ${acc[k]};`));
  const jammed = builder.close();

  // The last (hi − lo + 1) mod LANES values of j; their work is already in the jammed loop's count.
  const start = builder.fresh('s');
  const startCode = `const ${start} = ${lo.code} + (${hi.code} >= ${lo.code} ? (${hi.code} - ${lo.code} + 1) - (${hi.code} - ${lo.code} + 1) % ${LANES} : 0);`;
  builder.open(last.slot, start, hi.code, null);
  const value = builder.expr(sum);
  builder.innermost(`out[${builder.outputOffset(free)}] = ${value};`);
  const remainder = builder.close();
  return [...jammed, startCode, ...remainder];
}

/**
 * sum(sum(e, m, t), f) as sum(e, f, m, t): the same terms in the same order, so that nested sums (as
 * LaTeX writes them) take the jammed form too.
 */
function flattened(ctx: CompileContext, bindings: readonly IndexBinding[], summand: Expr): { bindings: readonly IndexBinding[]; summand: Expr } {
  const inner = summand.kind === 'call' ? ctx.checked.annotations.plans.get(summand) : undefined;
  if (inner?.form !== 'index' || ctx.info(summand).shape.length !== 0) return { bindings, summand };
  return flattened(ctx, [...bindings, ...inner.bindings!], inner.operands[0]!);
}

/**
 * Index notation with a scalar body: loops over the free indices writing `out` (row-major, strides in
 * O). A body that is one sum whose bounds do not depend on the last free index takes the jammed form;
 * any other body is written element by element in row-major order.
 */
export function compileFillKernel(ctx: CompileContext, free: readonly IndexBinding[], body: Expr, tc: NodeCompiler): (rt: Runtime, out: Float64Array, O: readonly number[]) => void {
  const builder = new KernelBuilder(ctx, tc, [body], free.map((b) => b.slot));
  const plan = body.kind === 'call' ? ctx.checked.annotations.plans.get(body) : undefined;
  const last = free[free.length - 1]!;
  const boundUses = (b: IndexBinding): boolean => [b.lo, b.hi].some((x) => 'expr' in x && ctx.info(x.expr).uses.has(last.slot));
  let main: string[];
  if (body.kind === 'call' && plan?.form === 'index' && !plan.bindings!.some(boundUses)) {
    const sum = flattened(ctx, plan.bindings!, plan.operands[0]!);
    const outer = free.slice(0, -1);
    main = outer.length === 0 ? jammedSum(builder, free, body, sum) : builder.loops(outer, -1, body, () => builder.innermost(...jammedSum(builder, free, body, sum)));
  } else {
    main = ['let w = 0;', ...builder.loops(free, -1, body, () => builder.innermost(`out[w++] = ${builder.expr(body)};`))];
  }
  const run = runner(ctx, builder, instantiate(builder.source(main, '0')));
  return (rt, out, O) => {
    run(rt, out, O);
  };
}
