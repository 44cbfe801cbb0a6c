import { scalarOf } from '../context.js';
import { formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { signOfDifference } from './pieces.js';
import { type CallChecker, type CallResult, type ComputedRow, computedRow, type PieceRule, type ScalarKernel } from './row.js';

/** Functions of numbers (typically indices): the Kronecker delta and MATLAB's mod. */

/** MATLAB's mod: the result has the sign of the divisor, and mod(a, 0) = a. */
function mod(a: number, b: number): number {
  return b === 0 ? a : a - Math.floor(a / b) * b;
}

/** Both arguments must be numbers. */
function scalarPair(call: CallChecker, usage: string, integer: (a: boolean, b: boolean) => boolean): CallResult {
  const [a, b] = call.args.map((arg) => {
    const info = call.value(arg);
    if (info.shape.length !== 0) throw call.error(arg, `${call.node.fn} takes numbers (such as indices), and ${printExpr(arg)} is ${formatSymbolicShape(info.shape)}`, `usage: ${usage}`);
    return info;
  });
  return call.result({ form: 'scalar', operands: call.args }, [], integer(a!.integer, b!.integer));
}

function scalarRow(name: string, usage: string, doc: string, f: ScalarKernel, integer: (a: boolean, b: boolean) => boolean, pieces: PieceRule): ComputedRow {
  return computedRow({
    name,
    family: 'integer',
    arity: [2, 2],
    usage,
    doc,
    shape: (call) => scalarPair(call, usage, integer),
    compile: ({ operands: [x, y] }) => (rt) => f(scalarOf(x!(rt)), scalarOf(y!(rt))),
    scalar: f,
    smoothness: { pieces },
  });
}

export const INTEGER: readonly ComputedRow[] = [
  scalarRow('delta', 'delta(i, j)', 'Kronecker delta: 1 where i = j, else 0 (`\\delta_{ij}` in LaTeX)', (a, b) => (a === b ? 1 : 0), () => true, signOfDifference),
  // A jump wherever a / b crosses a whole number.
  scalarRow('mod', 'mod(a, b)', 'MATLAB mod: the sign of the divisor, `mod(a, 0) = a`', mod, (a, b) => a && b, ([a, b]) => [Math.floor(scalarOf(a!) / scalarOf(b!))]),
];
