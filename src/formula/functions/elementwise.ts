import { asTensor, gt, lt, map, maximum, minimum, sub } from '../../tensor/index.js';
import { erf, erfc, gelu, geluExact, logSigmoid, sigmoid, softplus } from '../../tensor/special.js';
import { formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { broadcastSymbolic } from '../shape-algebra.js';
import { entrywise, signOfArgument } from './pieces.js';
import { TRANSCENDENTAL, perResultEntry } from './cost.js';
import { type ComputedRow, computedRow, type PieceRule, type ScalarKernel } from './row.js';

/**
 * Elementwise functions: the same shape out as in, the function applied to every entry (generated
 * loops call the same scalar function, so both compilers agree bit for bit).
 */

interface UnarySpec {
  readonly doc: string;
  readonly scalar: (x: number) => number;
  readonly latex?: readonly string[];
  readonly aliases?: readonly string[];
  /** Whether the results are whole numbers: always (ceil), when the argument is (abs), or not (default). */
  readonly integer?: 'always' | 'preserved';
  /** For a function with kinks: which piece each entry is on. */
  readonly pieces?: PieceRule;
  /** Operations per entry (cost.ts): 1 for a function as cheap as an add (default), TRANSCENDENTAL for exp and its kin. */
  readonly operations?: number;
}

function unary(name: string, spec: UnarySpec): ComputedRow {
  const f = spec.scalar;
  return computedRow({
    name,
    aliases: spec.aliases ?? [],
    family: 'elementwise',
    arity: [1, 1],
    usage: `${name}(X)`,
    doc: spec.doc,
    latex: spec.latex ?? [],
    shape: (call) => {
      const x = call.value(call.args[0]!);
      const integer = spec.integer === 'always' || (spec.integer === 'preserved' && x.integer);
      return call.result({ form: 'map', operands: call.args }, x.shape, integer);
    },
    compile: ({ operands: [x] }) => (rt) => {
      const v = x!(rt);
      return typeof v === 'number' ? f(v) : map(v, f);
    },
    scalar: f,
    smoothness: spec.pieces ? { pieces: spec.pieces } : 'smooth',
    cost: perResultEntry(spec.operations ?? 1),
  });
}

/** clip on numbers: min(max(x, lo), hi), as the tensor kernels maximum and minimum compute it (NaN stays NaN). */
const clipScalar: ScalarKernel = (x, lo, hi) => Math.min(Math.max(x!, lo!), hi!);

const clip: ComputedRow = computedRow({
  name: 'clip',
  aliases: ['clamp'],
  family: 'elementwise',
  arity: [3, 3],
  usage: 'clip(X, lo, hi)',
  doc: 'X limited to [lo, hi], NumPy `clip`, PyTorch `clamp` (lo and hi broadcast against X: scalars, rows, columns)',
  latex: ['\\operatorname{clip}'],
  shape: (call) => {
    const infos = call.args.map((a) => call.value(a));
    let shape = infos[0]!.shape;
    for (let k = 1; k < 3; k++) {
      const joined = broadcastSymbolic(shape, infos[k]!.shape);
      if (joined === undefined) {
        throw call.error(call.args[k]!, `clip: ${printExpr(call.args[k]!)} is ${formatSymbolicShape(infos[k]!.shape)}, which does not broadcast against ${printExpr(call.args[0]!)} (${formatSymbolicShape(infos[0]!.shape)})`, 'the bounds are scalars, or rows and columns that broadcast');
      }
      shape = joined;
    }
    return call.result({ form: 'map', operands: call.args }, shape, infos.every((i) => i.integer));
  },
  compile: ({ operands: [x, lo, hi] }) => (rt) => {
    const v = x!(rt);
    const a = lo!(rt);
    const b = hi!(rt);
    if (typeof v === 'number' && typeof a === 'number' && typeof b === 'number') return clipScalar(v, a, b);
    return minimum(maximum(v, a), b);
  },
  scalar: clipScalar,
  cost: perResultEntry(2),
  // −1 below lo, 1 above hi, 0 between: the kinks are at lo and at hi.
  smoothness: {
    pieces: ([x, lo, hi]) => {
      if (typeof x === 'number' && typeof lo === 'number' && typeof hi === 'number') return [(x > hi ? 1 : 0) - (x < lo ? 1 : 0)];
      return sub(gt(asTensor(x!), asTensor(hi!)), lt(asTensor(x!), asTensor(lo!))).data;
    },
  },
});

export const ELEMENTWISE: readonly ComputedRow[] = [
  unary('exp', { doc: 'eˣ', scalar: Math.exp, latex: ['\\exp'], operations: TRANSCENDENTAL }),
  unary('expm1', { doc: 'eˣ − 1, accurate for small x', scalar: Math.expm1, operations: TRANSCENDENTAL }),
  unary('log', { doc: 'natural logarithm', scalar: Math.log, latex: ['\\log', '\\ln'], operations: TRANSCENDENTAL }),
  unary('log1p', { doc: 'log(1 + x), accurate for small x', scalar: Math.log1p, operations: TRANSCENDENTAL }),
  unary('sqrt', { doc: 'square root', scalar: Math.sqrt }),
  unary('square', { doc: 'x² (same as `X .^ 2`)', scalar: (x) => x * x, integer: 'preserved' }),
  unary('abs', { doc: '|x|', scalar: Math.abs, integer: 'preserved', pieces: signOfArgument }),
  unary('sign', { doc: '−1, 0 or 1 (MATLAB/NumPy `sign`)', scalar: Math.sign, aliases: ['sgn'], latex: ['\\operatorname{sgn}', '\\mathrm{sgn}', '\\sgn'], integer: 'always', pieces: signOfArgument }),
  clip,
  unary('sin', { doc: 'sine', scalar: Math.sin, latex: ['\\sin'], operations: TRANSCENDENTAL }),
  unary('cos', { doc: 'cosine', scalar: Math.cos, latex: ['\\cos'], operations: TRANSCENDENTAL }),
  unary('tan', { doc: 'tangent', scalar: Math.tan, latex: ['\\tan'], operations: TRANSCENDENTAL }),
  unary('atan', { doc: 'arctangent', scalar: Math.atan, aliases: ['arctan'], latex: ['\\arctan'], operations: TRANSCENDENTAL }),
  unary('sinh', { doc: 'hyperbolic sine', scalar: Math.sinh, latex: ['\\sinh'], operations: TRANSCENDENTAL }),
  unary('cosh', { doc: 'hyperbolic cosine', scalar: Math.cosh, latex: ['\\cosh'], operations: TRANSCENDENTAL }),
  unary('tanh', { doc: 'hyperbolic tangent', scalar: Math.tanh, latex: ['\\tanh'], operations: TRANSCENDENTAL }),
  unary('sigmoid', { doc: 'logistic σ(x) = 1/(1 + e⁻ˣ), without overflow', scalar: sigmoid, latex: ['\\sigma'], operations: TRANSCENDENTAL }),
  unary('logsigmoid', { doc: 'log σ(x) = −softplus(−x), without overflow', scalar: logSigmoid, operations: TRANSCENDENTAL }),
  unary('softplus', { doc: 'log(1 + eˣ), without overflow', scalar: softplus, operations: TRANSCENDENTAL }),
  unary('relu', { doc: 'max(x, 0)', scalar: (x) => (x < 0 ? 0 : x), latex: ['\\operatorname{ReLU}', '\\mathrm{ReLU}'], integer: 'preserved', pieces: signOfArgument }),
  unary('gelu', { doc: "GELU, tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's approximate='tanh')", scalar: gelu, latex: ['\\operatorname{GELU}', '\\mathrm{GELU}'], operations: TRANSCENDENTAL }),
  unary('gelu_exact', { doc: "GELU x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default)", scalar: geluExact, operations: TRANSCENDENTAL }),
  unary('erf', { doc: 'error function (2/√π)∫₀ˣ e^(−t²) dt, to a few ulp', scalar: erf, latex: ['\\operatorname{erf}', '\\mathrm{erf}'], operations: TRANSCENDENTAL }),
  unary('erfc', { doc: '1 − erf(x), without cancellation for large x', scalar: erfc, latex: ['\\operatorname{erfc}', '\\mathrm{erfc}'], operations: TRANSCENDENTAL }),
  unary('ceil', { doc: 'rounded up (whole numbers: may index)', scalar: Math.ceil, integer: 'always', pieces: entrywise(Math.ceil) }),
  unary('floor', { doc: 'rounded down (whole numbers: may index)', scalar: Math.floor, integer: 'always', pieces: entrywise(Math.floor) }),
];
