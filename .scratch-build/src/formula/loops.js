import { boundValue } from './context.js';
import { overBudget, timedOut } from './runtime.js';
import { SCALAR_FUNCTIONS, SCALAR_OPERATORS } from './scalar.js';
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
/** Innermost loops entered between two clock reads: a clock read costs ~50 ns, a loop far more. */
const TIME_CHECK_EVERY = 256;
/** A node of the scalar subset the generator writes as JS expressions. */
function isNative(node, ctx) {
    const info = ctx.info(node);
    if (info.shape.length !== 0)
        return false;
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
            const plan = ctx.checked.annotations.plans.get(node);
            if (plan.form === 'index')
                return true;
            const scalarForm = plan.form === 'map' || plan.form === 'scalar' || plan.form === 'pair';
            return scalarForm && SCALAR_FUNCTIONS.has(node.fn) && plan.operands.every((o) => ctx.info(o).shape.length === 0);
        }
        default:
            return false;
    }
}
/** Children a native node's code is made of. */
function nativeChildren(node, ctx) {
    switch (node.kind) {
        case 'negate':
            return [node.arg];
        case 'binary':
            return [node.left, node.right];
        case 'index':
            return node.entries;
        case 'call':
            return ctx.checked.annotations.plans.get(node).operands;
        default:
            return [];
    }
}
/** A finite number as a JS literal; anything else is an internal error, never emitted. */
function literal(value) {
    const text = String(value);
    if (!Number.isFinite(value) || !/^[0-9.e+-]+$/.test(text) || Number(text) !== value)
        throw new Error(`internal: cannot write ${text} as a literal`);
    return `(${text})`;
}
class KernelBuilder {
    ctx;
    tc;
    prelude = [];
    frames = [];
    /** Index slots bound by loops of this kernel, and the depth of their loop. */
    depth = new Map();
    declared = new Set();
    functionSlots = new Map();
    temp = 0;
    inputs = { dims: [], bounds: [], hoisted: [], callbacks: [], functions: [] };
    /** Whether some index-dependent value is computed by a callback, which reads indices from rt.env. */
    syncEnv;
    constructor(ctx, tc, roots, loopSlots) {
        this.ctx = ctx;
        this.tc = tc;
        const slots = new Set(loopSlots);
        const nonNative = [];
        const scan = (node) => {
            if (!isNative(node, ctx)) {
                nonNative.push(node);
                return;
            }
            if (node.kind === 'call')
                ctx.checked.annotations.plans.get(node).bindings?.forEach((b) => slots.add(b.slot));
            nativeChildren(node, ctx).forEach(scan);
        };
        roots.forEach(scan);
        this.syncEnv = nonNative.some((n) => [...ctx.info(n).uses].some((s) => slots.has(s)));
    }
    fresh(prefix) {
        return `${prefix}${this.temp++}`;
    }
    /** Loop depth at which a value is first known: the deepest of its indices bound in this kernel (−1: before all loops). */
    levelOf(node) {
        let level = -1;
        for (const slot of this.ctx.info(node).uses)
            level = Math.max(level, this.depth.get(slot) ?? -1);
        return level;
    }
    /** Where statements of a level go: the head of that loop, or the prelude. */
    at(level) {
        return level < 0 ? this.prelude : this.frames[level].head;
    }
    once(name, declaration) {
        if (!this.declared.has(name)) {
            this.declared.add(name);
            this.prelude.push(declaration);
        }
        return name;
    }
    indexVar(slot) {
        if (this.depth.has(slot))
            return `v${slot}`;
        return this.once(`v${slot}`, `const v${slot} = rt.env[${slot}];`);
    }
    dimVar(name) {
        let k = this.inputs.dims.indexOf(name);
        if (k < 0)
            k = this.inputs.dims.push(name) - 1;
        return this.once(`z${k}`, `const z${k} = Z[${k}];`);
    }
    functionVar(name) {
        let k = this.functionSlots.get(name);
        if (k === undefined) {
            k = this.inputs.functions.push(SCALAR_FUNCTIONS.get(name)) - 1;
            this.functionSlots.set(name, k);
        }
        return this.once(`f${k}`, `const f${k} = F[${k}];`);
    }
    tensorVars(name) {
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
    expr(node) {
        if (!isNative(node, this.ctx))
            return this.external(node);
        switch (node.kind) {
            case 'number':
                return literal(node.value);
            case 'symbol': {
                const ref = this.ctx.checked.annotations.refs.get(node);
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
                const plan = this.ctx.checked.annotations.plans.get(node);
                if (plan.form === 'index')
                    return this.sum(node);
                const args = plan.operands.map((o) => this.expr(o));
                return this.hoist(node, `${this.functionVar(node.fn)}(${args.join(', ')})`);
            }
            case 'index':
                return this.read(node);
        }
        throw new Error(`internal: ${node.kind} is not native`);
    }
    /** Puts `code` in a const at the node's level when that is outside the current loop. */
    hoist(node, code) {
        const level = this.levelOf(node);
        if (level >= this.frames.length - 1)
            return code;
        const name = this.fresh('t');
        this.at(level).push(`const ${name} = ${code};`);
        return name;
    }
    /** A value the generator does not write as JS: computed once per run (index-free) or by a callback. */
    external(node) {
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
    inRange(entry, axisDim) {
        if (entry.kind !== 'symbol')
            return undefined;
        const ref = this.ctx.checked.annotations.refs.get(entry);
        if (ref?.kind !== 'index')
            return undefined;
        const binding = this.ctx.checked.annotations.bindings[ref.slot];
        if (!('dim' in binding.lo) || !('dim' in binding.hi))
            return undefined;
        const lo = binding.lo.dim.constantValue();
        return lo !== undefined && lo >= 1 && binding.hi.dim.equals(axisDim) ? this.indexVar(ref.slot) : undefined;
    }
    /** A[e1, ..., ek]: 0 outside A's bounds. */
    read(node) {
        const declared = this.ctx.checked.scope.symbols.get(node.name);
        const t = this.tensorVars(node.name);
        const terms = [];
        const checks = [];
        node.entries.forEach((entry, axis) => {
            const e = entry;
            const bare = this.inRange(e, declared.shape[axis]);
            if (bare !== undefined) {
                terms.push(`${t.stride(axis)} * (${bare} - 1)`);
                return;
            }
            const level = this.levelOf(e);
            const i = this.fresh('i');
            this.at(level).push(`const ${i} = ${this.expr(e)} - 1;`);
            checks.push(`${i} >= 0 && ${i} < ${t.size(axis)}`);
            terms.push(`${t.stride(axis)} * ${i}`);
        });
        const address = [t.offset, ...terms].join(' + ');
        const code = checks.length === 0 ? `${t.data}[${address}]` : `(${checks.join(' && ')} ? ${t.data}[${address}] : 0)`;
        const level = this.levelOf(node);
        const name = this.fresh('r');
        this.at(level).push(`const ${name} = ${code};`);
        return name;
    }
    /** Loop bounds as JS: dimension expressions are evaluated per run and passed in B. */
    bound(binding, which, node) {
        const bound = binding[which];
        if ('dim' in bound) {
            const k = this.inputs.bounds.push({ dim: bound.dim, node }) - 1;
            return this.once(`b${k}`, `const b${k} = B[${k}];`);
        }
        return this.expr(bound.expr);
    }
    /**
     * Opens loops for `bindings` at `level` (the outermost loop that encloses them), runs `inside` in the
     * innermost one, and returns the loop nest's statements for the caller to place.
     */
    loops(bindings, level, node, inside) {
        const saved = this.frames.splice(level + 1);
        const savedDepth = saved.map((f) => [f.slot, this.depth.get(f.slot)]);
        for (const f of saved)
            this.depth.delete(f.slot);
        const opened = [];
        for (const b of bindings) {
            const lo = this.bound(b, 'lo', node);
            const hi = this.bound(b, 'hi', node);
            const frame = { slot: b.slot, lo, hi, head: [], body: [], nested: false };
            const parent = this.frames[this.frames.length - 1];
            if (parent)
                parent.nested = true;
            this.frames.push(frame);
            this.depth.set(b.slot, this.frames.length - 1);
            opened.push(frame);
        }
        inside();
        let code = [];
        for (let k = opened.length - 1; k >= 0; k--) {
            const f = opened[k];
            this.frames.pop();
            this.depth.delete(f.slot);
            const v = `v${f.slot}`;
            const sync = this.syncEnv ? [`rt.env[${f.slot}] = ${v};`] : [];
            const loop = [`for (let ${v} = ${f.lo}; ${v} <= ${f.hi}; ${v}++) {`, ...sync, ...f.head, ...f.body, ...code, '}'];
            const charge = f.nested || code.length > 0 ? [] : [
                `if ((rt.budget -= (${f.hi} >= ${f.lo} ? ${f.hi} - ${f.lo} + 1 : 0)) < 0) ovb(rt);`,
                `if (--tick === 0) { tick = ${TIME_CHECK_EVERY}; if (now() > rt.deadline) tmo(rt); }`,
            ];
            code = [...charge, ...loop];
        }
        this.frames.push(...saved);
        for (const [slot, d] of savedDepth)
            this.depth.set(slot, d);
        return code;
    }
    /** sum(body, i, ...) with a scalar body: an accumulator and a loop nest at the sum's own level. */
    sum(node) {
        const plan = this.ctx.checked.annotations.plans.get(node);
        const level = this.levelOf(node);
        const acc = this.fresh('a');
        const target = this.at(level);
        const nest = this.loops(plan.bindings, level, node, () => {
            this.innermost(`${acc} += ${this.expr(plan.operands[0])};`);
        });
        target.push(`let ${acc} = 0;`, ...nest);
        return acc;
    }
    /** Appends a statement to the body of the innermost open loop. */
    innermost(statement) {
        this.frames[this.frames.length - 1].body.push(statement);
    }
    /** The generated function's source around `main` (statements) and `result` (a JS expression). */
    source(main, result) {
        return [
            '"use strict";',
            'return function kernel(rt, T, Z, B, H, C, F, out) {',
            `let tick = ${TIME_CHECK_EVERY};`,
            ...this.prelude,
            ...main,
            `return ${result};`,
            '};',
        ].join('\n');
    }
}
/** Compiles the source; the helpers are passed as values. */
function instantiate(source) {
    // Generated from the checked tree only (see the module comment): no user text is in `source`.
    const factory = new Function('ovb', 'tmo', 'now', source);
    return factory((rt) => overBudget(rt), (rt) => timedOut(rt), () => performance.now());
}
/** Runs a built kernel: computes its per-run inputs, then calls the generated function. */
function runner(ctx, builder, kernel) {
    const { dims, bounds, hoisted, callbacks, functions } = builder.inputs;
    return (rt, out) => {
        const tensors = rt.tensors;
        const Z = dims.map((d) => rt.sizes.get(d));
        const B = bounds.map((b) => boundValue({ dim: b.dim }, rt, ctx, b.node));
        const H = hoisted.map((h) => {
            const v = h(rt);
            return typeof v === 'number' ? v : v.item();
        });
        return kernel(rt, tensors, Z, B, H, callbacks, functions, out);
    };
}
/** A scalar index sum (anywhere in a formula) as generated loops returning its value. */
export function compileScalarKernel(ctx, node, tc) {
    const plan = ctx.checked.annotations.plans.get(node);
    const builder = new KernelBuilder(ctx, tc, [node], plan.bindings.map((b) => b.slot));
    const value = builder.expr(node);
    const run = runner(ctx, builder, instantiate(builder.source([], value)));
    return (rt) => run(rt, null);
}
/** Index notation with a scalar body: loops over the free indices (row-major) writing `out`. */
export function compileFillKernel(ctx, free, body, tc) {
    const builder = new KernelBuilder(ctx, tc, [body], free.map((b) => b.slot));
    const nest = builder.loops(free, -1, body, () => builder.innermost(`out[w++] = ${builder.expr(body)};`));
    const run = runner(ctx, builder, instantiate(builder.source(['let w = 0;', ...nest], '0')));
    return (rt, out) => {
        run(rt, out);
    };
}
