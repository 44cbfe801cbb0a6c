import { FormulaValueError } from './errors.js';
/** Shared by the tensor compiler and the loop generator: the checked formula and the input slots. */
export class CompileContext {
    checked;
    slots = new Map();
    constructor(checked) {
        this.checked = checked;
    }
    /** The position of a declared tensor in Runtime.tensors, assigned on first use. */
    tensorSlot(name) {
        let slot = this.slots.get(name);
        if (slot === undefined) {
            slot = this.slots.size;
            this.slots.set(name, slot);
        }
        return slot;
    }
    /** Tensor names by slot. */
    tensorNames() {
        return [...this.slots.keys()];
    }
    info(node) {
        const info = this.checked.annotations.info.get(node);
        if (!info)
            throw new Error(`internal: node ${node.kind} was not checked`);
        return info;
    }
    site(node) {
        return { text: this.checked.parsed.text, span: node.span };
    }
}
/** A dimension's value for this evaluation; a non-integer (H/2 with odd H) is a value error at `node`. */
export function sizeOf(dim, rt, ctx, node, what) {
    const v = dim.evaluate(rt.sizes);
    if (!Number.isInteger(v) || v < 0) {
        throw new FormulaValueError(`${what} is ${dim.toString()} = ${v}, which is not a whole number ≥ 0 for these dimensions`, ctx.site(node), 'choose dimension values that make every size a whole number (2×2 pooling needs even sizes)');
    }
    return v;
}
/** A loop bound given by a dimension expression, for this evaluation (may be ≤ 0: an empty range). */
export function boundValue(bound, rt, ctx, node) {
    const v = bound.dim.evaluate(rt.sizes);
    if (!Number.isInteger(v)) {
        throw new FormulaValueError(`a summation bound is ${bound.dim.toString()} = ${v}, which is not a whole number for these dimensions`, ctx.site(node), 'choose dimension values that make the bound a whole number');
    }
    return v;
}
