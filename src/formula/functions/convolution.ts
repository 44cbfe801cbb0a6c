import { type ConvMode, asTensor, avgpool2, conv2, conv2d, corr2, kron, maxpool2, ones } from '../../tensor/index.js';
import { Dim, formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import type { Expr } from '../tree.js';
import { checkClock } from '../runtime.js';
import { entries, operandSize, resultTimesKernel } from './cost.js';
import { winners } from './pieces.js';
import { type ComputedRow, computedRow } from './row.js';

/** 2-D convolution, correlation and 2×2 pooling of the last two axes (leading axes are a batch). */

const MODES: readonly ConvMode[] = ['full', 'valid', 'same'];

function convolution(name: 'conv2' | 'corr2'): ComputedRow {
  const kernel = name === 'conv2' ? conv2 : corr2;
  const defaultMode: ConvMode = name === 'conv2' ? 'full' : 'valid';
  return computedRow({
    name,
    family: 'convolution',
    arity: [2, 3],
    usage: `${name}(A, K) | ${name}(A, K, mode)`,
    doc:
      name === 'conv2'
        ? "true convolution of the last two axes of A (leading axes a batch) with a matrix K, MATLAB `conv2`; mode 'full' (default), 'valid', 'same'"
        : "cross-correlation (the \"filt\" of course notes), mode 'valid' (default), 'full', 'same'",
    shape: (call) => {
      const [xNode, kNode, modeNode] = call.args;
      const x = call.value(xNode!);
      const k = call.value(kNode!);
      const mode = modeNode !== undefined ? call.mode(modeNode, MODES) : defaultMode;
      if (x.shape.length < 2) throw call.error(xNode!, `${name} works on the last two axes, and ${printExpr(xNode!)} is ${formatSymbolicShape(x.shape)}`, 'a vector must be reshaped to 1×n or n×1');
      if (k.shape.length !== 2) throw call.error(kNode!, `the kernel of ${name} must be a matrix, and ${printExpr(kNode!)} is ${formatSymbolicShape(k.shape)}`, 'index a kernel plane: K[f, c, :, :]');
      const [H, W] = x.shape.slice(-2) as [Dim, Dim];
      const [kh, kw] = k.shape as [Dim, Dim];
      const one = Dim.constant(1);
      const size = (n: Dim, kn: Dim): Dim => (mode === 'full' ? n.add(kn).sub(one) : mode === 'valid' ? n.sub(kn).add(one) : n);
      return call.result({ form: 'conv', mode, operands: [xNode!, kNode!] }, [...x.shape.slice(0, -2), size(H, kh), size(W, kw)]);
    },
    compile: ({ plan, operands: [x, y], site }) => {
      const mode = plan.mode!;
      return (rt) => {
        const k = asTensor(y!(rt));
        const out = kernel(asTensor(x!(rt)), k, mode);
        checkClock(rt, site);
        return out;
      };
    },
    cost: resultTimesKernel,
  });
}

/**
 * The convolution layer of CNNs as PyTorch's `conv2d` computes it (a cross-correlation summed over the
 * channels, stride 1, no padding): X N×C×H×W, K F×C×kh×kw, Y[n,f] = Σ_c corr2(X[n,c], K[f,c], 'valid'),
 * N×F×(H−kh+1)×(W−kw+1). The same as the slice formula, one call (and one FD rule) instead of a loop.
 */
const convLayer: ComputedRow = computedRow({
  name: 'conv2d',
  family: 'convolution',
  arity: [2, 2],
  usage: 'conv2d(X, K)',
  doc: "convolution layer of CNNs, PyTorch's `conv2d` (a cross-correlation, stride 1, no padding): X N×C×H×W, K F×C×kh×kw give N×F×(H−kh+1)×(W−kw+1), `Y[n,f,:,:] = sum(corr2(X[n,c,:,:], K[f,c,:,:], 'valid'), c)`",
  shape: (call) => {
    const [xNode, kNode] = call.args as [Expr, Expr];
    const x = call.value(xNode);
    const k = call.value(kNode);
    if (x.shape.length !== 4) throw call.error(xNode, `conv2d takes a batch of images N×C×H×W, and ${printExpr(xNode)} is ${formatSymbolicShape(x.shape)}`, 'for one image, use corr2(A, K)');
    if (k.shape.length !== 4) throw call.error(kNode, `conv2d takes filters F×C×kh×kw, and ${printExpr(kNode)} is ${formatSymbolicShape(k.shape)}`, 'for one matrix kernel, use corr2(A, K)');
    const [N, C, H, W] = x.shape as [Dim, Dim, Dim, Dim];
    const [F, KC, kh, kw] = k.shape as [Dim, Dim, Dim, Dim];
    if (!C.equals(KC)) throw call.error(call.node, `conv2d: ${printExpr(xNode)} has ${C.toString()} channels and the filters ${printExpr(kNode)} take ${KC.toString()}`, 'the second axes of X and K must agree');
    const one = Dim.constant(1);
    return call.result({ form: 'conv', mode: 'valid', operands: [xNode, kNode] }, [N, F, H.sub(kh).add(one), W.sub(kw).add(one)]);
  },
  compile: ({ operands: [x, k], site }) => (rt) => {
    const kernel = asTensor(k!(rt));
    const out = conv2d(asTensor(x!(rt)), kernel);
    checkClock(rt, site);
    return out;
  },
  // Every output entry is C·kh·kw multiply-adds of the SIMD kernel (the filter's size); each image is
  // copied into the kernel's padded buffer once.
  cost: ({ operands, result }) => {
    const [, C = 1, kh = 1, kw = 1] = operands[1] ?? [];
    return { operations: entries(operands[0] ?? []), multiplyAdds: entries(result) * C * kh * kw };
  },
});

function pooling(name: 'avgpool2' | 'maxpool2'): ComputedRow {
  const pool = name === 'avgpool2' ? avgpool2 : maxpool2;
  return computedRow({
    name,
    family: 'convolution',
    arity: [1, 1],
    usage: `${name}(X)`,
    doc: `2×2 ${name === 'avgpool2' ? 'average' : 'max'} pooling with stride 2 of the last two axes (sizes must be even: H/2 is checked when dims are known)`,
    shape: (call) => {
      const x = call.value(call.args[0]!);
      if (x.shape.length < 2) throw call.error(call.node, `${name} pools the last two axes, and ${printExpr(call.args[0]!)} is ${formatSymbolicShape(x.shape)}`);
      const half = Dim.constant(2);
      return call.result({ form: 'map', operands: call.args }, x.shape.map((d, k) => (k >= x.shape.length - 2 ? d.divide(half)! : d)));
    },
    compile: ({ operands: [x] }) => (rt) => pool(asTensor(x!(rt))),
    cost: operandSize,
    // Max pooling: which entry of each window is the largest (the window's max spread back over the window).
    smoothness:
      name === 'maxpool2'
        ? {
            pieces: ([x]) => {
              const t = asTensor(x!);
              return winners(t, kron(maxpool2(t), ones([...new Array<number>(t.rank - 2).fill(1), 2, 2])));
            },
          }
        : 'smooth',
  });
}

export const CONVOLUTION: readonly ComputedRow[] = [convolution('conv2'), convolution('corr2'), convLayer, pooling('avgpool2'), pooling('maxpool2')];
