import { asTensor, diag, eye, kron, onehot, ones, zeros } from '../../tensor/index.js';
import { toValue } from '../context.js';
import { Dim, type SymbolicShape, formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { checkClock } from '../runtime.js';
import type { Expr } from '../tree.js';
import { type ComputedRow, computedRow, MANY_ARGUMENTS } from './row.js';

/** Tensors built from sizes or from other tensors: constants, identities, one-hot labels, diagonals, Kronecker products. */

function constant(name: 'ones' | 'zeros'): ComputedRow {
  const make = name === 'ones' ? ones : zeros;
  return computedRow({
    name,
    family: 'construction',
    arity: [0, MANY_ARGUMENTS],
    usage: `${name}(m, n, ...) | ${name}(n) (n×n)`,
    doc: `a tensor of ${name === 'ones' ? '1' : '0'}s; \`${name}(n)\` is n×n (MATLAB)`,
    shape: (call) => {
      const sizes = call.sizeList(call.args);
      const shape = sizes.length === 1 ? [sizes[0]!, sizes[0]!] : sizes;
      return call.result({ form: 'sizes', sizes: shape, operands: [] }, shape, true);
    },
    compile: (call) => (rt) => toValue(make(call.sizes(rt))),
  });
}

export const CONSTRUCTION: readonly ComputedRow[] = [
  constant('ones'),
  constant('zeros'),
  computedRow({
    name: 'eye',
    family: 'construction',
    arity: [1, 2],
    usage: 'eye(n) | eye(m, n)',
    doc: 'identity matrix',
    shape: (call) => {
      const [first, second] = call.args;
      const n = call.staticArg(first!, 'the size of eye');
      const m = second !== undefined ? call.staticArg(second, 'the size of eye') : n;
      return call.result({ form: 'sizes', sizes: [n, m], operands: [] }, [n, m], true);
    },
    compile: (call) => (rt) => {
      const [n, m] = call.sizes(rt);
      return eye(n!, m!);
    },
  }),
  computedRow({
    name: 'onehot',
    family: 'construction',
    arity: [2, 2],
    usage: 'onehot(c, K)',
    doc: "labels 1..K (declared `dtype: 'index'`): a B-vector gives B×K, a B×1 column gives B×K, a 1×B row gives K×B (one column per example), a scalar gives 1×K",
    shape: (call) => {
      const [labels, classes] = call.args as [Expr, Expr];
      const c = call.value(labels);
      if (!c.integer) {
        throw call.error(labels, `onehot needs whole-number labels 1..K, and ${printExpr(labels)} is not declared with dtype 'index'`, "declare the labels with dtype: 'index'");
      }
      const K = call.staticArg(classes, 'the number of classes');
      const s = c.shape;
      const rows = (shape: SymbolicShape) => call.result({ form: 'rows', sizes: [K], operands: [labels] }, shape, true);
      if (s.length === 0) return rows([Dim.constant(1), K]);
      if (s.length === 1 || (s.length === 2 && s[1]!.isOne())) return rows([s[0]!, K]);
      if (s.length === 2 && s[0]!.isOne()) return call.result({ form: 'columns', sizes: [K], operands: [labels] }, [K, s[1]!], true);
      throw call.error(labels, `onehot takes a vector of labels, and ${printExpr(labels)} is ${formatSymbolicShape(s)}`, 'pass a B-vector, a B×1 column or a 1×B row');
    },
    compile: (call) => {
      const [x] = call.operands;
      const columns = call.plan.form === 'columns';
      return (rt) => {
        const [k] = call.sizes(rt);
        const labels = asTensor(x!(rt));
        const flat = labels.reshape([labels.size]);
        return columns ? onehot(flat, k!, 0) : onehot(flat, k!);
      };
    },
  }),
  computedRow({
    name: 'diag',
    family: 'construction',
    arity: [1, 1],
    usage: 'diag(v) | diag(M)',
    doc: 'vector (or 1×n / n×1) → diagonal matrix; square matrix → its diagonal (a vector)',
    latex: ['\\operatorname{diag}'],
    shape: (call) => {
      const x = call.value(call.args[0]!);
      const s = x.shape;
      if (s.length === 1) return call.result({ form: 'map', operands: call.args }, [s[0]!, s[0]!], x.integer);
      if (s.length === 2 && s[0]!.equals(s[1]!)) return call.result({ form: 'map', operands: call.args }, [s[0]!], x.integer);
      if (s.length === 2 && (s[0]!.isOne() || s[1]!.isOne())) {
        const n = s[0]!.isOne() ? s[1]! : s[0]!;
        return call.result({ form: 'rows', operands: call.args }, [n, n], x.integer);
      }
      throw call.error(call.node, `diag takes a vector or a square matrix, and ${printExpr(call.args[0]!)} is ${formatSymbolicShape(s)}`);
    },
    compile: (call) => {
      const [x] = call.operands;
      const flatten = call.plan.form === 'rows';
      return (rt) => {
        const t = asTensor(x!(rt));
        return diag(flatten ? t.reshape([t.size]) : t);
      };
    },
  }),
  computedRow({
    name: 'kron',
    family: 'construction',
    arity: [2, 2],
    usage: 'kron(A, B)',
    doc: 'Kronecker product (operands of different rank align on the right, NumPy `kron`)',
    shape: (call) => {
      const [a, b] = call.args.map((arg) => call.value(arg));
      const rank = Math.max(a!.shape.length, b!.shape.length);
      const pad = (s: SymbolicShape) => [...new Array<Dim>(rank - s.length).fill(Dim.constant(1)), ...s];
      const pa = pad(a!.shape);
      const pb = pad(b!.shape);
      return call.result({ form: 'pair', operands: call.args }, pa.map((d, k) => d.mul(pb[k]!)), a!.integer && b!.integer);
    },
    compile: ({ operands: [x, y], site }) => (rt) => {
      const out = kron(asTensor(x!(rt)), asTensor(y!(rt)));
      checkClock(rt, site);
      return toValue(out);
    },
  }),
];
