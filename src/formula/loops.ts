import type { IndexBinding } from './annotations.js';
import { type CompileContext, type Evaluator, type NodeCompiler, scalarOf } from './context.js';
import type { Dim } from './dims.js';
import type { Runtime } from './runtime.js';
import type { ScalarKernel } from './functions/row.js';
import { functionRow } from './functions/table.js';
import { OPERATORS } from './operators.js';
import { factorReads, isNative, literal, nativeChildren, unitCoefficient } from './scalar-subset.js';
import type { CallNode, Expr, IndexNode } from './tree.js';

/**
 * The loop generator for index notation: writes the JS source of nested `for` loops for a scalar body,
 * such as dX[n, c, i, j] = sum(K[f, c, m, t] * dY[n, f, i - m + 1, j - t + 1], f, m, t). kernels.ts
 * decides the loop structure and compiles the source.
 *
 * Safety: the source is generated from the checked tree only. Every identifier in it is made here from
 * a counter (v3 for index slot 3, d0 for tensor 0, ...), numbers are written with String() of a finite
 * float64 and checked, operators and functions come from fixed tables, and functions are passed in as
 * values, never as text. No character of the user's formula reaches the generated source.
 *
 * Speed:
 * - every subexpression is computed in the outermost loop where all its indices are known (loop-
 *   invariant code motion by construction): an index expression, its bounds test and its offset term
 *   sit in the loop of its deepest index, so a read of K[f, c, m, t] inside loops n c i j f m t costs one
 *   multiply-add per index level;
 * - an index used alone on an axis whose length equals its range needs no bounds test;
 * - a read that is a factor of a summand and falls outside its tensor makes the term zero, so the loop
 *   range is narrowed (index ±v + rest in the loop of v) or the iteration skipped, instead of testing
 *   and multiplying by 0 in the innermost loop;
 * - lanes (kernels.ts): the code of a summand can be generated for v, v + 1, ..., sharing the values
 *   that do not depend on v.
 *
 * Limits: loops with static bounds are counted before the run; others charge the iteration budget as
 * they start. The CLOCK_DEPTH outermost loops compare the clock with the deadline.
 */

/**
 * The clock is read at the head of the CLOCK_DEPTH outermost loops of a kernel, every TIME_CHECK_EVERY
 * iterations: inner loops are bounded by the iteration budget, so an outer iteration is short, and a
 * clock read (~50 ns) stays out of hot loops.
 */
const CLOCK_DEPTH = 3;
const TIME_CHECK_EVERY = 16;

interface Frame {
  readonly slot: number;
  readonly lo: string;
  readonly hi: string;
  /** Iterations advance the index by `step` (lanes) and stop while v + step − 1 ≤ hi. */
  readonly step: number;
  /** Positions in B of the static bounds (lo, hi) of this loop and every loop around it; null if one is dynamic. */
  readonly path: readonly (readonly [number, number])[] | null;
  /** Statements at the top of the loop body: values known once this frame's index is. */
  readonly head: string[];
  /** Statements after the head (accumulation, nested loops). */
  readonly body: string[];
  /** Extra lower and upper bounds (JS) that keep guarded reads in bounds (range tightening). */
  readonly los: string[];
  readonly his: string[];
  /** Consts already in the head, by their JS: the same pure value is computed once per iteration. */
  readonly consts: Map<string, string>;
}

/** Inputs computed outside the generated function for each run, by position. */
export interface KernelInputs {
  readonly dims: string[];
  readonly bounds: { readonly dim: Dim; readonly node: Expr }[];
  /** For every loop with static bounds, the bounds of it and its enclosing loops (its trip count is their product). */
  readonly nests: (readonly (readonly [number, number])[])[];
  readonly hoisted: Evaluator[];
  readonly callbacks: ((rt: Runtime) => number)[];
  readonly functions: ScalarKernel[];
}

/** Code placed at a level, valid while the loop it was placed in is open (null: the prelude). */
interface Placed<T> {
  readonly value: T;
  readonly frame: Frame | null;
  readonly level: number;
}

interface AxisCode {
  readonly term: string;
  readonly check: string | undefined;
  readonly level: number;
}

/** While generating lane k of a summand, index `slot` reads v + k; lane-independent code is shared. */
interface Lane {
  readonly slot: number;
  k: number;
  readonly shared: Map<Expr, Placed<string>>;
  readonly axes: Map<Expr, Placed<AxisCode>>;
}

export class KernelBuilder {
  private readonly prelude: string[] = [];
  private readonly preludeConsts = new Map<string, string>();
  private readonly frames: Frame[] = [];
  /** Index slots bound by open loops of this kernel, and the depth of their loop. */
  private readonly depth = new Map<number, number>();
  private readonly declared = new Set<string>();
  private readonly functionSlots = new Map<string, number>();
  /** Index slots read as 0 while generating the v-free part of an index expression (range tightening). */
  private readonly zeroed = new Set<number>();
  /** Reads that are factors of a summand, with the shallowest loop level whose iterations they may skip. */
  private readonly guards = new Map<IndexNode, number>();
  private lane: Lane | undefined;
  private temp = 0;
  readonly inputs: KernelInputs = { dims: [], bounds: [], nests: [], hoisted: [], callbacks: [], functions: [] };
  /** Whether some index-dependent value is computed by a callback, which reads indices from rt.env. */
  private readonly syncEnv: boolean;

  constructor(
    private readonly ctx: CompileContext,
    private readonly tc: NodeCompiler,
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

  fresh(prefix: string): string {
    return `${prefix}${this.temp++}`;
  }

  /** Loop depth at which a value is first known: the deepest of its indices bound in this kernel (−1: before all loops). */
  private levelOf(node: Expr): number {
    let level = -1;
    for (const slot of this.ctx.info(node).uses) if (!this.zeroed.has(slot)) level = Math.max(level, this.depth.get(slot) ?? -1);
    return level;
  }

  /** Where statements of a level go: the head of that loop, or the prelude. */
  at(level: number): string[] {
    return level < 0 ? this.prelude : this.frames[level]!.head;
  }

  /** `const name = code;` at a level, or the name of the same const already there. */
  private constAt(level: number, prefix: string, code: string): string {
    const consts = level < 0 ? this.preludeConsts : this.frames[level]!.consts;
    const known = consts.get(code);
    if (known !== undefined) return known;
    const name = this.fresh(prefix);
    consts.set(code, name);
    this.at(level).push(`const ${name} = ${code};`);
    return name;
  }

  /** Remembers lane-shared code together with the loop it lives in. */
  private place<T>(value: T, level: number): Placed<T> {
    return { value, level, frame: level < 0 ? null : this.frames[level]! };
  }

  /** Shared code is reusable while the loop it was placed in is still open. */
  private stillOpen<T>(placed: Placed<T> | undefined): placed is Placed<T> {
    return placed !== undefined && (placed.level < 0 || this.frames[placed.level] === placed.frame);
  }

  /** The depth of the innermost open loop (−1 outside all loops). */
  currentLevel(): number {
    return this.frames.length - 1;
  }

  /** Appends statements to the body of the innermost open loop. */
  innermost(...statements: string[]): void {
    this.frames[this.frames.length - 1]!.body.push(...statements);
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
    if (this.lane?.slot === slot && this.lane.k > 0) return `(v${slot} + ${this.lane.k})`;
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
      const row = functionRow(name);
      if (row?.kind !== 'computed' || row.scalar === undefined) throw new Error(`internal: ${name} has no scalar kernel`);
      k = this.inputs.functions.push(row.scalar) - 1;
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

  /** True while generating lanes, for a node that is the same in every lane. */
  private sharedAcrossLanes(node: Expr): boolean {
    return this.lane !== undefined && this.zeroed.size === 0 && !this.ctx.info(node).uses.has(this.lane.slot);
  }

  /** A JS expression for a scalar node; statements it needs are placed at the level they depend on. */
  expr(node: Expr): string {
    if (this.sharedAcrossLanes(node)) {
      const known = this.lane!.shared.get(node);
      if (this.stillOpen(known)) return known.value;
      const code = this.exprOnce(node);
      this.lane!.shared.set(node, this.place(code, this.levelOf(node)));
      return code;
    }
    return this.exprOnce(node);
  }

  private exprOnce(node: Expr): string {
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
        return this.hoist(node, OPERATORS[node.op].code(this.expr(node.left), this.expr(node.right)));
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
    return level >= this.frames.length - 1 ? code : this.constAt(level, 't', code);
  }

  /**
   * An index expression built from indices, dimensions, integers, + and − as one linear form
   * (`j - t + 1 - 1` is written `v3 - v6`), plus `shift`; undefined for other expressions.
   */
  private linear(node: Expr, shift: number): string | undefined {
    const terms = new Map<string, number>();
    let constant = shift;
    const visit = (e: Expr, sign: number): boolean => {
      switch (e.kind) {
        case 'number':
          if (!Number.isSafeInteger(e.value)) return false;
          constant += sign * e.value;
          return true;
        case 'symbol': {
          const ref = this.ctx.checked.annotations.refs.get(e);
          const add = (name: string): void => {
            terms.set(name, (terms.get(name) ?? 0) + sign);
          };
          if (ref?.kind === 'dim') add(this.dimVar(ref.name));
          else if (ref?.kind !== 'index') return false;
          else if (this.zeroed.has(ref.slot)) return true; // the loop index, read as 0 (range tightening)
          else if (this.lane?.slot === ref.slot) {
            constant += sign * this.lane.k;
            add(`v${ref.slot}`);
          } else add(this.indexVar(ref.slot));
          return true;
        }
        case 'negate':
          return visit(e.arg, -sign);
        case 'binary':
          if (e.op !== '+' && e.op !== '-') return false;
          return visit(e.left, sign) && visit(e.right, e.op === '-' ? -sign : sign);
        default:
          return false;
      }
    };
    if (!visit(node, 1)) return undefined;
    let code = '';
    for (const [name, coefficient] of terms) {
      if (coefficient === 0) continue;
      const magnitude = Math.abs(coefficient) === 1 ? name : `${Math.abs(coefficient)} * ${name}`;
      code += code === '' ? (coefficient < 0 ? `-${magnitude}` : magnitude) : coefficient < 0 ? ` - ${magnitude}` : ` + ${magnitude}`;
    }
    if (code === '') return `${constant}`;
    return constant === 0 ? code : `${code} ${constant < 0 ? '-' : '+'} ${Math.abs(constant)}`;
  }

  /** A value the generator does not write as JS: computed once per run (index-free) or by a callback. */
  private external(node: Expr): string {
    const evaluator = this.tc.compile(node);
    const level = this.levelOf(node);
    if (level < 0) {
      const k = this.inputs.hoisted.push(evaluator) - 1;
      return this.once(`h${k}`, `const h${k} = H[${k}];`);
    }
    const k = this.inputs.callbacks.push((rt) => scalarOf(evaluator(rt))) - 1;
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
   * One axis of a read: its offset term and, unless guarded or proven in range, its bounds test, at
   * the level of its index expression. Shared across lanes when the expression is.
   */
  private axis(node: IndexNode, entry: Expr, axis: number): AxisCode {
    const shared = this.sharedAcrossLanes(entry);
    const known = shared ? this.lane!.axes.get(entry) : undefined;
    if (this.stillOpen(known)) return known.value;
    const declared = this.ctx.checked.scope.symbols.get(node.name)!;
    const t = this.tensorVars(node.name);
    const level = this.levelOf(entry);
    let result: AxisCode;
    const bare = this.inRange(entry, declared.shape[axis]!);
    if (bare !== undefined) {
      result = { term: `${t.stride(axis)} * (${bare} - 1)`, check: undefined, level };
    } else {
      const i = this.constAt(level, 'i', this.linear(entry, -1) ?? `${this.expr(entry)} - 1`);
      const test = `${i} >= 0 && ${i} < ${t.size(axis)}`;
      const guardFrom = this.guards.get(node);
      const laneDependent = this.lane !== undefined && this.ctx.info(entry).uses.has(this.lane.slot);
      if (guardFrom === undefined || level < guardFrom || laneDependent) {
        result = { term: `${t.stride(axis)} * ${i}`, check: test, level };
      } else {
        // A factor of the summand: out of bounds, the term is zero, so it is skipped.
        const frame = this.frames[level];
        const coefficient = frame ? unitCoefficient(entry, frame.slot, this.ctx) : undefined;
        if (frame && coefficient !== undefined && frame.step === 1) this.tighten(frame, entry, coefficient, t.size(axis));
        else this.at(level).push(`if (!(${test})) ${level < 0 ? 'return 0' : 'continue'};`);
        result = { term: `${t.stride(axis)} * ${i}`, check: undefined, level };
      }
    }
    if (shared) this.lane!.axes.set(entry, this.place(result, level));
    return result;
  }

  /**
   * A[e1, ..., ek], 0 outside A's bounds. The offset and the bounds test are built level by level: the
   * part known in an outer loop is a const there, so the innermost loop adds one term and tests one index.
   */
  private read(node: IndexNode): string {
    const t = this.tensorVars(node.name);
    const terms = new Map<number, string[]>();
    const checks = new Map<number, string[]>();
    node.entries.forEach((entry, axis) => {
      const a = this.axis(node, entry as Expr, axis);
      terms.set(a.level, [...(terms.get(a.level) ?? []), a.term]);
      if (a.check) checks.set(a.level, [...(checks.get(a.level) ?? []), a.check]);
    });
    const readLevel = this.levelOf(node);
    let ok = '';
    for (let level = -1; level < readLevel; level++) {
      const levelChecks = checks.get(level);
      if (levelChecks) ok = this.constAt(level, 'k', [...(ok ? [ok] : []), ...levelChecks].join(' && '));
    }
    const address = this.offsetChain(t.offset, terms, readLevel);
    const test = [...(ok ? [ok] : []), ...(checks.get(readLevel) ?? [])].join(' && ');
    return this.constAt(readLevel, 'r', test ? `${test} ? ${t.data}[${address}] : 0` : `${t.data}[${address}]`);
  }

  /**
   * Narrows the loop of `frame` so that 1 ≤ e ≤ size, where e = c·v + rest (c = ±1) and v is the loop's
   * index: v ∈ [1 − rest, size − rest] for c = 1, v ∈ [rest − size, rest − 1] for c = −1.
   */
  private tighten(frame: Frame, e: Expr, coefficient: 1 | -1, size: string): void {
    this.zeroed.add(frame.slot);
    const rest = `(${this.linear(e, 0) ?? this.expr(e)})`;
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

  /**
   * Generates `summand` once per lane (index `slot` read as v, v + 1, ...), sharing lane-independent
   * code; returns the lanes' JS expressions.
   */
  lanes(slot: number, count: number, summand: Expr): string[] {
    this.lane = { slot, k: 0, shared: new Map(), axes: new Map() };
    const codes: string[] = [];
    for (let k = 0; k < count; k++) {
      this.lane.k = k;
      codes.push(this.expr(summand));
    }
    this.lane = undefined;
    return codes;
  }

  /** Loop bounds as JS: dimension expressions are evaluated per run and passed in B (k is its position there). */
  bound(binding: IndexBinding, which: 'lo' | 'hi', node: Expr): { code: string; k: number | null } {
    const bound = binding[which];
    if ('dim' in bound) {
      const k = this.inputs.bounds.push({ dim: bound.dim, node }) - 1;
      return { code: this.once(`b${k}`, `const b${k} = B[${k}];`), k };
    }
    return { code: this.expr(bound.expr), k: null };
  }

  /**
   * Opens a loop over `slot` from lo to hi inside the innermost open loop. `counted` says whether its trip
   * count is static (B positions) and part of the count made before the run; otherwise it is charged
   * to the budget as it starts.
   */
  open(slot: number, lo: string, hi: string, counted: readonly [number, number] | null, step = 1): void {
    const parent = this.frames[this.frames.length - 1];
    const outer = parent === undefined ? [] : parent.path;
    const path = outer !== null && counted !== null ? [...outer, counted] : null;
    this.frames.push({ slot, lo, hi, step, path, head: [], body: [], los: [], his: [], consts: new Map() });
    this.depth.set(slot, this.frames.length - 1);
  }

  /** Closes the innermost loop; returns its statements (narrowed bounds, budget charge, the loop). */
  close(): string[] {
    const f = this.frames.pop()!;
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
    const header = f.step === 1 ? `for (let ${v} = ${lo}; ${v} <= ${hi}; ${v}++) {` : `for (let ${v} = ${lo}; ${v} <= ${hi} - ${f.step - 1}; ${v} += ${f.step}) {`;
    const loop = [header, ...sync, ...clock, ...f.head, ...f.body, '}'];
    // Loops with static bounds are counted before the run (runner); the others are charged as they start.
    const charge = f.path === null ? [`if ((rt.budget -= (${hi} >= ${lo} ? ${hi} - ${lo} + 1 : 0)) < 0) ovb(rt);`] : [];
    if (f.path !== null) this.inputs.nests.push(f.path);
    return [...narrowed, ...charge, ...loop];
  }

  /**
   * Opens loops for `bindings` at `level` (the outermost loop that encloses them), runs `inside` in the
   * innermost one, and returns the loop nest's statements for the caller to place. Loops deeper than
   * `level` are set aside meanwhile: the nest depends on none of their indices.
   */
  loops(bindings: readonly IndexBinding[], level: number, node: Expr, inside: () => void): string[] {
    const saved = this.frames.splice(level + 1);
    const savedDepth = saved.map((f) => [f.slot, this.depth.get(f.slot)!] as const);
    for (const f of saved) this.depth.delete(f.slot);
    for (const b of bindings) {
      const lo = this.bound(b, 'lo', node);
      const hi = this.bound(b, 'hi', node);
      this.open(b.slot, lo.code, hi.code, lo.k !== null && hi.k !== null ? [lo.k, hi.k] : null);
    }
    inside();
    let code: string[] = [];
    for (let k = 0; k < bindings.length; k++) {
      this.innermost(...code);
      code = this.close();
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

  /**
   * `base + Σ terms` with each term placed at its level: the partial sum known in a loop is a const at
   * its head. Returns the JS for the full sum at `finalLevel`.
   */
  private offsetChain(base: string, terms: ReadonlyMap<number, readonly string[]>, finalLevel: number): string {
    let offset = base;
    for (let level = -1; level < finalLevel; level++) {
      const levelTerms = terms.get(level);
      if (levelTerms) offset = this.constAt(level, 'p', [offset, ...levelTerms].join(' + '));
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
