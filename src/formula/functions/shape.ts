import { asTensor, flip, pad, rot90 } from '../../tensor/index.js';
import { toValue } from '../context.js';
import { formatSymbolicShape, symbolicSize } from '../dims.js';
import { printExpr } from '../print.js';
import { computedRow, type FunctionRow, MANY_ARGUMENTS, type SpellingRow } from './row.js';

/** The same entries in another arrangement: reshapes, transposes, turns, flips, padding. */

const transposeRow: SpellingRow = {
  kind: 'spelling',
  name: 'transpose',
  aliases: [],
  family: 'shape',
  arity: [1, 1],
  usage: 'transpose(X)',
  doc: "the transpose, read as `X'`",
  latex: [],
  read: ([arg], span) => ({ kind: 'transpose', arg: arg!, span }),
};

export const SHAPE: readonly FunctionRow[] = [
  computedRow({
    name: 'reshape',
    family: 'shape',
    arity: [2, MANY_ARGUMENTS],
    usage: 'reshape(X, m, n, ...) | reshape(X, [m, n, ...])',
    doc: "same entries, new shape, **row-major** (NumPy order, not MATLAB's column order); the sizes must multiply to the same count",
    shape: (call) => {
      const [arg, ...rest] = call.args;
      const x = call.value(arg!);
      const sizes = call.sizeList(rest);
      if (!symbolicSize(sizes).equals(symbolicSize(x.shape))) {
        throw call.error(call.node, `reshape: ${printExpr(arg!)} is ${formatSymbolicShape(x.shape)}, which has ${symbolicSize(x.shape).toString()} entries, not ${symbolicSize(sizes).toString()}`, 'the sizes must multiply to the same number of entries (reshape reads row-major, as NumPy)');
      }
      return call.result({ form: 'sizes', sizes, operands: [arg!] }, sizes, x.integer);
    },
    compile: (call) => {
      const [x] = call.operands;
      return (rt) => toValue(asTensor(x!(rt)).reshape(call.sizes(rt)));
    },
  }),
  transposeRow,
  computedRow({
    name: 'rot90',
    family: 'shape',
    arity: [1, 2],
    usage: 'rot90(X) | rot90(X, k)',
    doc: 'the last two axes turned k·90° counter-clockwise (MATLAB/NumPy)',
    shape: (call) => {
      const [arg, k] = call.args;
      const x = call.value(arg!);
      if (x.shape.length < 2) throw call.error(call.node, `rot90 turns the last two axes, and ${printExpr(arg!)} is ${formatSymbolicShape(x.shape)}`);
      const turns = k !== undefined ? call.constantArg(k, 'the number of quarter turns') : 1;
      const s = [...x.shape];
      if (Math.abs(turns) % 2 === 1) [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
      return call.result({ form: 'map', turns, operands: [arg!] }, s, x.integer);
    },
    compile: ({ plan, operands: [x] }) => {
      const turns = plan.turns ?? 1;
      return (rt) => rot90(asTensor(x!(rt)), turns);
    },
  }),
  computedRow({
    name: 'flip',
    family: 'shape',
    arity: [1, 2],
    usage: 'flip(X) | flip(X, dim)',
    doc: 'every axis reversed (NumPy), or dim d',
    shape: (call) => {
      const [arg, dim] = call.args;
      const x = call.value(arg!);
      if (dim === undefined) return call.result({ form: 'all', operands: [arg!] }, x.shape, x.integer);
      const axis = call.dimArg(dim, x.shape);
      return call.result({ form: 'axis', axis, operands: [arg!] }, x.shape, x.integer);
    },
    compile: ({ plan, operands: [x] }) => {
      const axes = plan.form === 'axis' ? plan.axis! : undefined;
      return (rt) => {
        const v = x!(rt);
        return typeof v === 'number' ? v : toValue(flip(v, axes));
      };
    },
  }),
  computedRow({
    name: 'pad',
    family: 'shape',
    arity: [2, 2],
    usage: 'pad(X, p)',
    doc: 'p zeros on every side of the last two axes',
    shape: (call) => {
      const [arg, width] = call.args;
      const x = call.value(arg!);
      if (x.shape.length < 2) throw call.error(call.node, `pad adds rows and columns to the last two axes, and ${printExpr(arg!)} is ${formatSymbolicShape(x.shape)}`);
      const p = call.staticArg(width!, 'the pad width');
      const grow = p.add(p);
      const s = x.shape.map((d, k) => (k >= x.shape.length - 2 ? d.add(grow) : d));
      return call.result({ form: 'sizes', sizes: [p], operands: [arg!] }, s, x.integer);
    },
    compile: (call) => {
      const [x] = call.operands;
      return (rt) => pad(asTensor(x!(rt)), call.sizes(rt)[0]!);
    },
  }),
];
