import type { IndexBinding } from './check.js';
import { type CompileContext, type Evaluator, boundValue } from './context.js';
import type { Dim } from './dims.js';
import type { TensorCompiler } from './evaluate.js';
import { overBudget, type Runtime, timedOut } from './runtime.js';
import { SCALAR_FUNCTIONS, SCALAR_OPERATORS, type ScalarFunction } from './scalar.js';
import type { CallNode, Expr, IndexNode } from './tree.js';

/**
 * The loop generator for index notation. A scalar body such as
 *   dX[n, c, i, j] = sum(K[f, c, m, t] * dY[n, f, i - m + 1, j - t + 1], f, m, t)
 * becomes nested `for` loops over n, c, i, j (the free indices, filling the output row-major) and f, m, t
 * (the sum), compiled once with `new Function`.
 *
 * Safety: the source is generated from the checked tree only. Every identifier in it is made here from
 * a counter (v3 for index slot 3, d0 for tensor 0, ...), numbers are written with String() of a finite
 * float64 and checked, operators and functions come from fixed tables, and functions are passed in as
 * values, never as text. No character of the user's formula reaches the generated source.
 *
 * Speed: every subexpression is computed in the outermost loop where all its indices are known (loop-
 * invariant code motion by construction): an index expression, its bounds test and its offset term sit
 * in the loop of its deepest index; a read of K[f, c, m, t] inside loops n c i j f m t costs one
 * multiply-add per index level. An index used alone on an axis whose length equals its range needs no
 * bounds test. Reads outside a tensor give 0 (the zero-padding convention).
 *
 * Limits: before each innermost loop the trip count is charged to the iteration budget and, every
 * TIME_CHECK_EVERY innermost loops, the clock is compared with the deadline.
 */

/**
 * The clock is read at the head of the CLOCK_DEPTH outermost loops of a kernel, every TIME_CHECK_EVERY
 * iterations: inner loops are bounded by the iteration budget (counted before the run for static
 * bounds), so an outer iteration is short, and a clock read (~50 ns) stays out of hot loops.
 */
const CLOCK_DEPTH = 3;
const TIME_CHECK_EVERY = 16;

/** A node of the scalar subset the generator writes as JS expressions. */
function isNative(node: Expr, ctx: CompileContext): boolean {
  const info = ctx.info(node);
  if (info.shape.length !== 0) return false;
  switch (node.kind) {
    case 'number':
      return true;
    case 'symbol':
      return true;
    case 'negate':
      return true;
    case 'binary':
      return ctx.info(node.left).shape.length === 0 && ctx.info(node.right).shape.length === 0;
    case 'index':
      return node.entries.every((e) => e.kind !== 'colon' && e.kind !== 'range');
    case 'call': {
      const plan = ctx.checked.annotations.plans.get(node)!;
      if (plan.form === 'index') return true;
      const scalarForm = plan.form === 'map' || plan.form === 'scalar' || plan.form === 'pair';
      return scalarForm && SCALAR_FUNCTIONS.has(node.fn) && plan.operands.every((o) => ctx.info(o).shape.length === 0);
    }
    default:
      return false;
  }
}

/** Children a native node's code is made of. */
function nativeChildren(node: Expr, ctx: CompileContext): readonly Expr[] {
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
function literal(value: number): string {
  const text = String(value);
  if (!Number.isFinite(value) || !/^[0-9.e+-]+$/.test(text) || Number(text) !== value) throw new Error(`internal: cannot write ${text} as a literal`);
  return `(${text})`;
}

interface Frame {
  readonly slot: number;
  readonly lo: string;
  readonly hi: string;
  /** Positions in B of the static bounds (lo, hi) of this loop and every loop around it; null if one is dynamic. */
  readonly path: readonly (readonly [number, number])[] | null;
  /** Statements at the top of the loop body: values known once this frame's index is. */
  readonly head: string[];
  /** Statements after the head (accumulation, nested loops of the frame's own level). */
  readonly body: string[];
  /** Extra lower and upper bounds (JS) that keep guarded reads in bounds (range tightening). */
  readonly los: string[];
  readonly his: string[];
}

/**
 * The reads that are factors of a summand (through * .* unary minus and numerators): when one falls
 * outside its tensor the whole term is zero, so the term can be skipped instead of multiplied by 0.
 */
function factorReads(node: Expr, ctx: CompileContext): IndexNode[] {
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
function unitCoefficient(node: Expr, slot: number, ctx: CompileContext): 1 | -1 | undefined {
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

/** Inputs computed outside the generated function for each run, by position. */
interface KernelInputs {
  readonly dims: string[];
  readonly bounds: { readonly dim: Dim; readonly node: Expr }[];
  /** For every loop with static bounds, the bounds of it and its enclosing loops (its trip count is their product). */
  readonly nests: (readonly (readonly [number, number])[])[];
  readonly hoisted: Evaluator[];
  readonly callbacks: ((rt: Runtime) => number)[];
  readonly functions: ScalarFunction[];
}

type KernelFunction = (
  rt: Runtime,
  T: readonly unknown[],
  Z: readonly number[],
  B: readonly number[],
  H: readonly number[],
  C: readonly ((rt: Runtime) => number)[],
  F: readonly ScalarFunction[],
  out: Float64Array | null,
  O: readonly number[],
) => number;

class KernelBuilder {
  private readonly prelude: string[] = [];
  private readonly frames: Frame[] = [];
  /** Index slots bound by loops of this kernel, and the depth of their loop. */
  private readonly depth = new Map<number, number>();
  private readonly declared = new Set<string>();
  private readonly functionSlots = new Map<string, number>();
  /** Index slots read as 0 while generating the v-free part of an index expression (range tightening). */
  private readonly zeroed = new Set<number>();
  /** Reads that are factors of a summand, with the shallowest loop level whose iterations they may skip. */
  private readonly guards = new Map<IndexNode, number>();
  private temp = 0;
  readonly inputs: KernelInputs = { dims: [], bounds: [], nests: [], hoisted: [], callbacks: [], functions: [] };
  /** Whether some index-dependent value is computed by a callback, which reads indices from rt.env. */
  readonly syncEnv: boolean;

  constructor(
    private readonly ctx: CompileContext,
    private readonly tc: TensorCompiler,
    roots: readonly Expr[],
    loopSlots: readonly number[],
  ) {
    const slots = new Set(loopSlots);
    const nonNative: Expr[] = [];
    const scan = (node: Expr): void => {
      if (!isNative(node, ctx)) {
        nonNative.push(node);
        return;
      }
      if (node.kind === 'call') ctx.checked.annotations.plans.get(node)!.bindings?.forEach((b) => slots.add(b.slot));
      nativeChildren(node, ctx).forEach(scan);
    };
    roots.forEach(scan);
    this.syncEnv = nonNative.some((n) => [...ctx.info(n).uses].some((s) => slots.has(s)));
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.temp++}`;
  }

  /** Loop depth at which a value is first known: the deepest of its indices bound in this kernel (−1: before all loops). */
  private levelOf(node: Expr): number {
    let level = -1;
    for (const slot of this.ctx.info(node).uses) if (!this.zeroed.has(slot)) level = Math.max(level, this.depth.get(slot) ?? -1);
    return level;
  }

  /** Where statements of a level go: the head of that loop, or the prelude. */
  private at(level: number): string[] {
    return level < 0 ? this.prelude : this.frames[level]!.head;
  }

  private once(name: string, declaration: string): string {
    if (!this.declared.has(name)) {
      this.declared.add(name);
      this.prelude.push(declaration);
    }
    return name;
  }

  private indexVar(slot: number): string {
    if (this.zeroed.has(slot)) return '(0)';
    if (this.depth.has(slot)) return `v${slot}`;
    return this.once(`v${slot}`, `const v${slot} = rt.env[${slot}];`);
  }

  private dimVar(name: string): string {
    let k = this.inputs.dims.indexOf(name);
    if (k < 0) k = this.inputs.dims.push(name) - 1;
    return this.once(`z${k}`, `const z${k} = Z[${k}];`);
  }

  private functionVar(name: string): string {
    let k = this.functionSlots.get(name);
    if (k === undefined) {
      k = this.inputs.functions.push(SCALAR_FUNCTIONS.get(name)!) - 1;
      this.functionSlots.set(name, k);
    }
    return this.once(`f${k}`, `const f${k} = F[${k}];`);
  }

  private tensorVars(name: string): { data: string; offset: string; stride: (axis: number) => string; size: (axis: number) => string } {
    const t = this.ctx.tensorSlot(name);
    const data = this.once(`d${t}`, `const d${t} = T[${t}].data;`);
    const offset = this.once(`o${t}`, `const o${t} = T[${t}].offset;`);
    return {
      data,
      offset,
      stride: (axis) => this.once(`s${t}_${axis}`, `const s${t}_${axis} = T[${t}].strides[${axis}];`),
      size: (axis) => this.once(`n${t}_${axis}`, `const n${t}_${axis} = T[${t}].shape[${axis}];`),
    };
  }

  /** A JS expression for a scalar node; statements it needs are placed at the level they depend on. */
  expr(node: Expr): string {
    if (!isNative(node, this.ctx)) return this.external(node);
    switch (node.kind) {
      case 'number':
        return literal(node.value);
      case 'symbol': {
        const ref = this.ctx.checked.annotations.refs.get(node)!;
        switch (ref.kind) {
          case 'index':
            return this.indexVar(ref.slot);
          case 'dim':
            return this.dimVar(ref.name);
          case 'constant':
            return literal(ref.value);
          case 'tensor': {
            const t = this.tensorVars(ref.name);
            return `${t.data}[${t.offset}]`;
          }
        }
        break;
      }
      case 'negate':
        return this.hoist(node, `(-${this.expr(node.arg)})`);
      case 'binary':
        return this.hoist(node, SCALAR_OPERATORS[node.op].code(this.expr(node.left), this.expr(node.right)));
      case 'call': {
        const plan = this.ctx.checked.annotations.plans.get(node)!;
        if (plan.form === 'index') return this.sum(node);
        const args = plan.operands.map((o) => this.expr(o));
        return this.hoist(node, `${this.functionVar(node.fn)}(${args.join(', ')})`);
      }
      case 'index':
        return this.read(node);
    }
    throw new Error(`internal: ${node.kind} is not native`);
  }

  /** Puts `code` in a const at the node's level when that is outside the current loop. */
  private hoist(node: Expr, code: string): string {
    const level = this.levelOf(node);
    if (level >= this.frames.length - 1) return code;
    const name = this.fresh('t');
    this.at(level).push(`const ${name} = ${code};`);
    return name;
  }

  /** A value the generator does not write as JS: computed once per run (index-free) or by a callback. */
  private external(node: Expr): string {
    const evaluator = this.tc.compile(node);
    const level = this.levelOf(node);
    if (level < 0) {
      const k = this.inputs.hoisted.push(evaluator) - 1;
      return this.once(`h${k}`, `const h${k} = H[${k}];`);
    }
    const k = this.inputs.callbacks.push((rt) => {
      const v = evaluator(rt);
      return typeof v === 'number' ? v : v.item();
    }) - 1;
    const fn = this.once(`c${k}`, `const c${k} = C[${k}];`);
    const name = this.fresh('t');
    this.at(level).push(`const ${name} = ${fn}(rt);`);
    return name;
  }

  /** A bare index whose range lies inside the axis (so the read needs no bounds test). */
  private inRange(entry: Expr, axisDim: Dim): string | undefined {
    if (entry.kind !== 'symbol') return undefined;
    const ref = this.ctx.checked.annotations.refs.get(entry);
    if (ref?.kind !== 'index') return undefined;
    const binding = this.ctx.checked.annotations.bindings[ref.slot]!;
    if (!('dim' in binding.lo) || !('dim' in binding.hi)) return undefined;
    const lo = binding.lo.dim.constantValue();
    return lo !== undefined && lo >= 1 && binding.hi.dim.equals(axisDim) ? this.indexVar(ref.slot) : undefined;
  }

  /**
   * A[e1, ..., ek], 0 outside A's bounds. The offset and the bounds test are built level by level: the
   * part known in an outer loop is a const there, so the innermost loop adds one term and tests one index.
   */
  private read(node: IndexNode): string {
    const declared = this.ctx.checked.scope.symbols.get(node.name)!;
    const t = this.tensorVars(node.name);
    const terms = new Map<number, string[]>();
    const checks = new Map<number, string[]>();
    const add = (map: Map<number, string[]>, level: number, item: string): void => {
      map.set(level, [...(map.get(level) ?? []), item]);
    };
    node.entries.forEach((entry, axis) => {
      const e = entry as Expr;
      const level = this.levelOf(e);
      const bare = this.inRange(e, declared.shape[axis]!);
      if (bare !== undefined) {
        add(terms, level, `${t.stride(axis)} * (${bare} - 1)`);
        return;
      }
      const i = this.fresh('i');
      this.at(level).push(`const ${i} = ${this.expr(e)} - 1;`);
      add(terms, level, `${t.stride(axis)} * ${i}`);
      const guardFrom = this.guards.get(node);
      if (guardFrom === undefined || level < guardFrom) {
        add(checks, level, `${i} >= 0 && ${i} < ${t.size(axis)}`);
        return;
      }
      // A factor of the summand: out of bounds, the term is zero, so it is skipped.
      const frame = this.frames[level];
      const coefficient = frame ? unitCoefficient(e, frame.slot, this.ctx) : undefined;
      if (frame && coefficient !== undefined) {
        this.tighten(frame, e, coefficient, t.size(axis));
      } else {
        this.at(level).push(`if (!(${i} >= 0 && ${i} < ${t.size(axis)})) ${level < 0 ? 'return 0' : 'continue'};`);
      }
    });
    const readLevel = this.levelOf(node);
    let ok = '';
    for (let level = -1; level < readLevel; level++) {
      const levelChecks = checks.get(level);
      if (!levelChecks) continue;
      const k = this.fresh('k');
      this.at(level).push(`const ${k} = ${[...(ok ? [ok] : []), ...levelChecks].join(' && ')};`);
      ok = k;
    }
    const address = this.offsetChain(t.offset, terms, readLevel);
    const test = [...(ok ? [ok] : []), ...(checks.get(readLevel) ?? [])].join(' && ');
    const name = this.fresh('r');
    this.at(readLevel).push(`const ${name} = ${test ? `${test} ? ${t.data}[${address}] : 0` : `${t.data}[${address}]`};`);
    return name;
  }

  /**
   * Narrows the loop of `frame` so that 1 ≤ e ≤ size, where e = c·v + rest (c = ±1) and v is the loop's
   * index: v ∈ [1 − rest, size − rest] for c = 1, v ∈ [rest − size, rest − 1] for c = −1.
   */
  private tighten(frame: Frame, e: Expr, coefficient: 1 | -1, size: string): void {
    this.zeroed.add(frame.slot);
    const rest = this.expr(e);
    this.zeroed.delete(frame.slot);
    if (coefficient === 1) {
      frame.los.push(`1 - ${rest}`);
      frame.his.push(`${size} - ${rest}`);
    } else {
      frame.los.push(`${rest} - ${size}`);
      frame.his.push(`${rest} - 1`);
    }
  }

  /** Marks the factor reads of a summand whose terms may be skipped by loops at `fromLevel` or deeper. */
  guardFactors(summand: Expr, fromLevel: number): void {
    for (const read of factorReads(summand, this.ctx)) this.guards.set(read, fromLevel);
  }

  /** Loop bounds as JS: dimension expressions are evaluated per run and passed in B (k is its position there). */
  private bound(binding: IndexBinding, which: 'lo' | 'hi', node: Expr): { code: string; k: number | null } {
    const bound = binding[which];
    if ('dim' in bound) {
      const k = this.inputs.bounds.push({ dim: bound.dim, node }) - 1;
      return { code: this.once(`b${k}`, `const b${k} = B[${k}];`), k };
    }
    return { code: this.expr(bound.expr), k: null };
  }

  /**
   * Opens loops for `bindings` at `level` (the outermost loop that encloses them), runs `inside` in the
   * innermost one, and returns the loop nest's statements for the caller to place.
   */
  loops(bindings: readonly IndexBinding[], level: number, node: Expr, inside: () => void): string[] {
    const saved = this.frames.splice(level + 1);
    const savedDepth = saved.map((f) => [f.slot, this.depth.get(f.slot)!] as const);
    for (const f of saved) this.depth.delete(f.slot);
    const opened: Frame[] = [];
    for (const b of bindings) {
      const lo = this.bound(b, 'lo', node);
      const hi = this.bound(b, 'hi', node);
      const parent = this.frames[this.frames.length - 1];
      const outer = parent === undefined ? [] : parent.path;
      const path = outer !== null && lo.k !== null && hi.k !== null ? [...outer, [lo.k, hi.k] as const] : null;
      const frame: Frame = { slot: b.slot, lo: lo.code, hi: hi.code, path, head: [], body: [], los: [], his: [] };
      this.frames.push(frame);
      this.depth.set(b.slot, this.frames.length - 1);
      opened.push(frame);
    }
    inside();
    let code: string[] = [];
    for (let k = opened.length - 1; k >= 0; k--) {
      const f = opened[k]!;
      this.frames.pop();
      this.depth.delete(f.slot);
      const depth = this.frames.length;
      const v = `v${f.slot}`;
      const narrowed: string[] = [];
      let lo = f.lo;
      let hi = f.hi;
      if (f.los.length > 0) {
        lo = this.fresh('l');
        hi = this.fresh('u');
        narrowed.push(`const ${lo} = Math.max(${[f.lo, ...f.los].join(', ')});`, `const ${hi} = Math.min(${[f.hi, ...f.his].join(', ')});`);
      }
      const sync = this.syncEnv ? [`rt.env[${f.slot}] = ${v};`] : [];
      const clock = depth < CLOCK_DEPTH ? [`if (--tick === 0) { tick = ${TIME_CHECK_EVERY}; if (now() > rt.deadline) tmo(rt); }`] : [];
      const loop = [`for (let ${v} = ${lo}; ${v} <= ${hi}; ${v}++) {`, ...sync, ...clock, ...f.head, ...f.body, ...code, '}'];
      // Loops with static bounds are counted before the run (runner); the others are charged as they start.
      const charge = f.path === null ? [`if ((rt.budget -= (${hi} >= ${lo} ? ${hi} - ${lo} + 1 : 0)) < 0) ovb(rt);`] : [];
      code = [...narrowed, ...charge, ...loop];
      if (f.path !== null) this.inputs.nests.push(f.path);
    }
    this.frames.push(...saved);
    for (const [slot, d] of savedDepth) this.depth.set(slot, d);
    return code;
  }

  /** sum(body, i, ...) with a scalar body: an accumulator and a loop nest at the sum's own level. */
  private sum(node: CallNode): string {
    const plan = this.ctx.checked.annotations.plans.get(node)!;
    const level = this.levelOf(node);
    const acc = this.fresh('a');
    const target = this.at(level);
    const nest = this.loops(plan.bindings!, level, node, () => {
      this.guardFactors(plan.operands[0]!, level + 1);
      this.innermost(`${acc} += ${this.expr(plan.operands[0]!)};`);
    });
    target.push(`let ${acc} = 0;`, ...nest);
    return acc;
  }

  /** Appends statements to the body of the innermost open loop. */
  innermost(...statements: string[]): void {
    this.frames[this.frames.length - 1]!.body.push(...statements);
  }

  /** The depth of the innermost open loop (−1 outside all loops). */
  currentLevel(): number {
    return this.frames.length - 1;
  }

  /**
   * `base + Σ terms` with each term placed at its level: the partial sum known in a loop is a const at
   * its head. Returns the JS for the full sum at `finalLevel`.
   */
  private offsetChain(base: string, terms: ReadonlyMap<number, readonly string[]>, finalLevel: number): string {
    let offset = base;
    for (let level = -1; level < finalLevel; level++) {
      const levelTerms = terms.get(level);
      if (!levelTerms) continue;
      const p = this.fresh('p');
      this.at(level).push(`const ${p} = ${[offset, ...levelTerms].join(' + ')};`);
      offset = p;
    }
    return [offset, ...(terms.get(finalLevel) ?? [])].join(' + ');
  }

  /** The row-major position in `out` of the element at the free indices (output strides are passed in O). */
  outputOffset(free: readonly IndexBinding[]): string {
    const terms = new Map<number, string[]>();
    free.forEach((b, axis) => {
      const level = this.depth.get(b.slot)!;
      const q = this.once(`q${axis}`, `const q${axis} = O[${axis}];`);
      terms.set(level, [...(terms.get(level) ?? []), `${q} * (v${b.slot} - 1)`]);
    });
    return this.offsetChain('0', terms, this.currentLevel());
  }

  /** The generated function's source around `main` (statements) and `result` (a JS expression). */
  source(main: readonly string[], result: string): string {
    return [
      '"use strict";',
      'return function kernel(rt, T, Z, B, H, C, F, out, O) {',
      `let tick = ${TIME_CHECK_EVERY};`,
      ...this.prelude,
      ...main,
      `return ${result};`,
      '};',
    ].join('\n');
  }
}

/** Compiles the source; the helpers are passed as values. */
function instantiate(source: string): KernelFunction {
  // Generated from the checked tree only (see the module comment): no user text is in `source`.
  const factory = new Function('ovb', 'tmo', 'now', source) as (ovb: (rt: Runtime) => never, tmo: (rt: Runtime) => never, now: () => number) => KernelFunction;
  return factory((rt) => overBudget(rt), (rt) => timedOut(rt), () => performance.now());
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
    const H = hoisted.map((h) => {
      const v = h(rt);
      return typeof v === 'number' ? v : v.item();
    });
    return kernel(rt, rt.tensors, Z, B, H, callbacks, functions, out, O);
  };
}

/** A scalar index sum (anywhere in a formula) as generated loops returning its value. */
export function compileScalarKernel(ctx: CompileContext, node: CallNode, tc: TensorCompiler): Evaluator {
  const plan = ctx.checked.annotations.plans.get(node)!;
  const builder = new KernelBuilder(ctx, tc, [node], plan.bindings!.map((b) => b.slot));
  const value = builder.expr(node);
  const run = runner(ctx, builder, instantiate(builder.source([], value)));
  return (rt) => run(rt, null, []);
}

/**
 * Index notation with a scalar body: loops over the free indices writing `out` (row-major, strides in
 * O). When the body is one sum, its loops go just outside the last free index, accumulating into `out`:
 * the innermost loop then runs along a row of the output (long, contiguous) instead of over a short
 * kernel window. Each output element still receives its terms in the sum's index order, from 0, so the
 * result is identical to summing into an accumulator.
 */
export function compileFillKernel(ctx: CompileContext, free: readonly IndexBinding[], body: Expr, tc: TensorCompiler): (rt: Runtime, out: Float64Array, O: readonly number[]) => void {
  const builder = new KernelBuilder(ctx, tc, [body], free.map((b) => b.slot));
  const plan = body.kind === 'call' ? ctx.checked.annotations.plans.get(body) : undefined;
  const last = free[free.length - 1]!;
  const boundUses = (b: IndexBinding, slot: number): boolean => [b.lo, b.hi].some((x) => 'expr' in x && ctx.info(x.expr).uses.has(slot));
  const sums = plan?.form === 'index' ? plan.bindings! : [];
  let main: string[];
  if (sums.length > 0 && !sums.some((b) => boundUses(b, last.slot))) {
    const sumNest = (): string[] =>
      builder.loops(sums, builder.currentLevel(), body, () => {
        const row = builder.loops([last], builder.currentLevel(), body, () => {
          // Every loop here only accumulates this sum into zeroed output: any level may skip a zero term.
          builder.guardFactors(plan!.operands[0]!, -1);
          const value = builder.expr(plan!.operands[0]!);
          builder.innermost(`out[${builder.outputOffset(free)}] += ${value};`);
        });
        builder.innermost(...row);
      });
    const outer = free.slice(0, -1);
    main = outer.length === 0 ? sumNest() : builder.loops(outer, -1, body, () => builder.innermost(...sumNest()));
  } else {
    main = ['let w = 0;', ...builder.loops(free, -1, body, () => builder.innermost(`out[w++] = ${builder.expr(body)};`))];
  }
  const run = runner(ctx, builder, instantiate(builder.source(main, '0')));
  return (rt, out, O) => {
    run(rt, out, O);
  };
}
