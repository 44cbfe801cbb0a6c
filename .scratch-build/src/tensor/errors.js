/** Shapes are written the way course derivations write them: 3×4, 2×3×5, "scalar". */
export function formatShape(shape) {
    return shape.length === 0 ? 'scalar' : shape.join('×');
}
/** A kernel was given operands whose shapes do not fit; names the operation and every shape involved. */
export class ShapeError extends Error {
    op;
    shapes;
    detail;
    name = 'ShapeError';
    constructor(op, shapes, detail) {
        super(`${op}: ${detail} (shapes ${shapes.map(formatShape).join(', ')})`);
        this.op = op;
        this.shapes = shapes;
        this.detail = detail;
    }
}
/** A value that is not a valid argument for reasons other than shape (a negative size, a bad axis, a non-integer label). */
export class TensorArgumentError extends Error {
    op;
    name = 'TensorArgumentError';
    constructor(op, detail) {
        super(`${op}: ${detail}`);
        this.op = op;
    }
}
