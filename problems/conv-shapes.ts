/**
 * Sizes and costs of a convolution layer: C×H×W input, F filters of C×K×K, stride S, zero padding P.
 * Output rows out_size = ⌊(H + 2P − K)/S⌋ + 1 (columns: the same in W), parameters F(C·K² + 1),
 * multiply-adds F·C·K²·Ho·Wo. The references are read off the tensor core (problems/layer-counts.ts);
 * the formulas are functions of the dims alone. A fully-connected layer is the case K = H = W, P = 0;
 * pooling layers appear in the lenet5 table.
 */
import fc from 'fast-check';
import { Graph } from '../src/fd/graph.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import type { Dims, Problem, ValueTarget } from '../src/problem/types.js';
import { add } from '../src/tensor/broadcast.js';
import { zeros } from '../src/tensor/construct.js';
import { conv2d } from '../src/tensor/conv.js';
import { TensorArgumentError } from '../src/tensor/errors.js';
import { Tensor } from '../src/tensor/tensor.js';
import { type Layer, type LayerCount, countLayer, layerTableGraph } from './layer-counts.js';

/**
 * A dimension of the layer. Stride and padding appear in no input's shape, so `eval` on a user's input
 * file cannot read them off the tensors: without this check conv2d would silently use its defaults.
 */
function layerDim(dims: Dims, name: string): number {
  const size = dims[name];
  if (size === undefined) throw new TensorArgumentError('conv-shapes', `the dimension ${name} is not given; pass it in "dims" (S is the stride, P the padding)`);
  return size;
}

/** The layer the dims describe, counted on the tensor core. */
function convLayerCount(dims: Dims): LayerCount {
  const d = (name: string) => layerDim(dims, name);
  const layer: Layer = { kind: 'conv', filters: d('F'), kernel: d('K'), stride: d('S'), padding: d('P') };
  return countLayer(layer, [d('C'), d('H'), d('W')]);
}

/**
 * Channels, filters and kernel side drawn distinct in 1..5 most of the time (a C·F swap or a missing
 * channel factor shows), stride 1..3 (floor and ceil differ only for S > 1), padding 0..2, and input
 * sides at least K − 2P (the kernel fits the padded input) plus distinct extras in 0..8, so H ≠ W.
 */
const layerDims: fc.Arbitrary<Dims> = fc
  .tuple(dimsArbitrary(['C', 'F', 'K'], { min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), dimsArbitrary(['extraH', 'extraW'], { min: 0, max: 8 }))
  .map(([sizes, S, P, extra]) => {
    const fit = Math.max(1, sizes['K']! - 2 * P);
    return { ...sizes, S, P, H: fit + extra['extraH']!, W: fit + extra['extraW']! };
  });

/** A layer setting for the monotonicity claims: input side H ≥ K, so the kernel fits at any padding. */
interface LayerSetting {
  readonly H: number;
  readonly K: number;
  readonly S: number;
  readonly P: number;
}

/**
 * H = K + extra, so that the kernel fits at any padding. Counterexamples to monotonicity are the
 * settings where S does not divide H + 2P − K + 1 = extra + 2P + 1, a condition fast-check's shrinking
 * (one field at a time, never retrying a value it rejected) can get stuck in. The field order K, extra,
 * P, S avoids that: from every counterexample of this domain, shrinking ends at the least one, H = K = 1,
 * S = 2, P = 0 (test/problems/conv-shapes.test.ts checks all 270). The unmapper lets a given setting
 * be replayed and shrunk (fc `examples`).
 */
const layerSettings = (stride: fc.Arbitrary<number>): fc.Arbitrary<LayerSetting> =>
  fc
    .record({ K: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 8 }), P: fc.integer({ min: 0, max: 2 }), S: stride })
    .map(
      ({ K, extra, P, S }): LayerSetting => ({ H: K + extra, K, S, P }),
      (value) => {
        const { H, K, S, P } = value as LayerSetting;
        if (![H, K, S, P].every(Number.isInteger) || H < K) throw new TypeError('not a layer setting { H, K, S, P } with H ≥ K');
        return { K, extra: H - K, P, S };
      },
    );

/** Output rows of a square H×H input, read off conv2d. */
function outputRows({ K, S, P }: LayerSetting, H: number): number {
  return countLayer({ kind: 'conv', filters: 1, kernel: K, stride: S, padding: P }, [1, H, H]).output[1];
}

function largerInputGivesLargerOutput(sample: unknown): true | string {
  const setting = sample as LayerSetting;
  const { H, K, S, P } = setting;
  const before = outputRows(setting, H);
  const after = outputRows(setting, H + 1);
  return after > before || `K = ${K}, S = ${S}, P = ${P}: input side ${H} gives ${before} output rows, input side ${H + 1} gives ${after}`;
}

const OUT_ROWS = 'floor((H + 2*P - K)/S) + 1';
const OUT_COLS = 'floor((W + 2*P - K)/S) + 1';

/** Counts are integers computed exactly in float64 (far below 2^53): any difference is a wrong formula. */
const EXACT = 0;

const outSize: ValueTarget = {
  kind: 'value',
  name: 'out_size',
  description: 'number of output rows (the columns follow from the same formula in W)',
  shape: [],
  reference: (dims) => Tensor.scalar(convLayerCount(dims).output[1]),
  tolerance: EXACT,
  closedForms: [
    { formula: OUT_ROWS, style: 'floor' },
    { formula: 'floor((H + 2*P - K)/S + 1)', style: 'floor of the shifted quotient' },
    { formula: '\\left\\lfloor \\frac{H + 2P - K}{S} \\right\\rfloor + 1', syntax: 'latex', style: 'LaTeX' },
  ],
  latex: 'H_{\\text{out}} = \\left\\lfloor \\frac{H + 2P - K}{S} \\right\\rfloor + 1',
  mistakes: [
    { label: 'missing-term', formula: 'floor((H + 2*P - K)/S)', why: 'the +1 counts the first position: a kernel as large as the padded input still gives one output' },
    { label: 'missing-term', formula: 'floor((H - K)/S) + 1', why: 'padding P adds P rows above and P below the input' },
    { label: 'factor', formula: 'floor((H + P - K)/S) + 1', why: 'padding is added on both sides: 2P rows, not P' },
    { label: 'wrong-value', formula: 'ceil((H + 2*P - K)/S) + 1', why: 'a last stride that does not fit a whole kernel gives no output: floor, not ceil' },
    { label: 'wrong-value', formula: 'H + 2*P - K + 1', why: 'the kernel moves S rows per step: the positions are divided by the stride' },
  ],
};

const params: ValueTarget = {
  kind: 'value',
  name: 'params',
  description: 'number of trainable parameters (weights and biases)',
  shape: [],
  reference: (dims) => {
    const count = convLayerCount(dims);
    return Tensor.scalar(count.weights + count.biases);
  },
  tolerance: EXACT,
  closedForms: [
    { formula: 'F * (C * K^2 + 1)', style: 'per filter' },
    { formula: 'F*C*K*K + F', style: 'weights plus biases' },
    { formula: 'F (C K^2 + 1)', syntax: 'latex', style: 'LaTeX' },
  ],
  latex: '\\#\\text{params} = F\\,(C K^2 + 1)',
  mistakes: [
    { label: 'missing-term', formula: 'F * C * K^2', why: 'each filter has a bias: F more parameters' },
    { label: 'missing-term', formula: 'F * (K^2 + 1)', why: 'a filter spans all C input channels: C·K² weights' },
    { label: 'wrong-value', formula: 'F * C * K^2 + C', why: 'there is one bias per filter (output channel), not per input channel' },
    { label: 'wrong-value', formula: 'F * (C * K + 1)', why: 'a K×K kernel has K² weights per channel' },
  ],
};

const macs: ValueTarget = {
  kind: 'value',
  name: 'macs',
  description: 'multiply-adds of one forward pass (one per weight for every output entry)',
  shape: [],
  reference: (dims) => Tensor.scalar(convLayerCount(dims).macs),
  tolerance: EXACT,
  closedForms: [
    { formula: `F * C * K^2 * (${OUT_ROWS}) * (${OUT_COLS})`, style: 'outputs × kernel taps' },
    { formula: `(${OUT_ROWS}) * (${OUT_COLS}) * F * C * K * K`, style: 'positions × filters × taps' },
  ],
  latex: '\\#\\text{MACs} = F \\cdot C K^2 \\cdot H_{\\text{out}} W_{\\text{out}}',
  mistakes: [
    { label: 'wrong-value', formula: 'F * C * K^2 * H * W', why: 'the kernel is applied once per output position, not per input position' },
    { label: 'missing-term', formula: `F * K^2 * (${OUT_ROWS}) * (${OUT_COLS})`, why: 'each output sums over all C input channels: C·K² products' },
    { label: 'missing-term', formula: 'F * C * K^2 * floor((H + 2*P - K)/S) * floor((W + 2*P - K)/S)', why: 'the output size is ⌊(H + 2P − K)/S⌋ + 1: the +1 is missing' },
    { label: 'missing-term', formula: 'F * C * K^2 * (floor((H - K)/S) + 1) * (floor((W - K)/S) + 1)', why: 'the padding enlarges the output' },
    { label: 'wrong-value', formula: `F * (C * K^2 + 1) * (${OUT_ROWS}) * (${OUT_COLS})`, why: 'adding the bias is an addition, not a multiply-add' },
  ],
};

/** LeNet-5 as course tables list it (input 3×32×32; pooling without parameters, as in modern re-implementations). */
const LENET5: readonly Layer[] = [
  { kind: 'conv', filters: 6, kernel: 5 },
  { kind: 'pool', size: 2 },
  { kind: 'conv', filters: 16, kernel: 5 },
  { kind: 'pool', size: 2 },
  { kind: 'fc', units: 120 },
  { kind: 'fc', units: 84 },
  { kind: 'fc', units: 10 },
];

const SHARPEN_IMAGE = [
  [0, 0, 0, 0, 1, 0, 0, 0, 0],
  [0, 0, 1, 1, 1, 1, 1, 0, 0],
  [1, 1, 1, 1, 1, 1, 1, 1, 1],
  [0, 0, 1, 1, 1, 1, 1, 0, 0],
  [0, 0, 0, 0, 1, 0, 0, 0, 0],
];
const SHARPEN_KERNEL = [
  [0, -0.25, 0],
  [-0.25, 2, -0.25],
  [0, -0.25, 0],
];

export const convShapes: Problem = {
  id: 'conv-shapes',
  title: 'Output size, parameters and multiply-adds of a convolution layer',
  statement: 'A C×H×W input, F filters of size K×K, stride S, zero padding P: derive the output size, the parameter count and the MAC count.',

  dims: { names: ['C', 'H', 'W', 'F', 'K', 'S', 'P'], arbitrary: layerDims },

  inputs: [
    { name: 'X', shape: ['C', 'H', 'W'], domain: { kind: 'normal' }, role: 'data', description: 'the input, C channels of H×W' },
    { name: 'kernel', shape: ['F', 'C', 'K', 'K'], domain: { kind: 'normal' }, role: 'parameter', description: 'F filters of C×K×K (correlated with X)' },
    { name: 'bias', shape: ['F'], domain: { kind: 'normal' }, role: 'parameter', description: 'one bias per filter' },
  ],
  // The output Y is a node of the forward graph (examples print it), not a declared intermediate: its
  // size ⌊(H + 2P − K)/S⌋ + 1 is not a dimension expression (no floor in shapes).
  intermediates: [],

  forward: (dims) =>
    new Graph({
      inputs: ['X', 'kernel', 'bias'],
      nodes: [
        {
          name: 'Y',
          args: ['X', 'kernel', 'bias'],
          op: (X, kernel, bias) => {
            const maps = conv2d(X!.reshape([1, ...X!.shape]), kernel!, { stride: layerDim(dims, 'S'), padding: layerDim(dims, 'P') });
            const [, F, Ho, Wo] = maps.shape as [number, number, number, number];
            return add(maps, bias!.reshape([1, F, 1, 1])).reshape([F, Ho, Wo]);
          },
        },
      ],
      output: 'Y',
    }),

  targets: [outSize, params, macs],

  properties: [
    {
      name: 'larger-input-larger-output',
      statement: 'a larger input always gives a larger output (false for stride > 1: ⌊·/S⌋ is flat between multiples of S)',
      expected: 'fails',
      arbitrary: layerSettings(fc.integer({ min: 1, max: 4 })),
      holds: largerInputGivesLargerOutput,
    },
    {
      name: 'stride-1-larger-input-larger-output',
      statement: 'with stride 1, a larger input always gives a larger output (out_size = H + 2P − K + 1)',
      expected: 'holds',
      arbitrary: layerSettings(fc.constant(1)),
      holds: largerInputGivesLargerOutput,
    },
  ],

  examples: [
    {
      name: 'sharpen-5x9',
      description: 'a 5×9 image sharpened with a 3×3 kernel, zero padding 1, stride 1: the output keeps the 5×9 size',
      dims: { C: 1, H: 5, W: 9, F: 1, K: 3, S: 1, P: 1 },
      inputs: { X: [SHARPEN_IMAGE], kernel: [[SHARPEN_KERNEL]], bias: [0] },
      outputs: ['Y'],
    },
    {
      name: 'lenet5',
      description:
        'LeNet-5 on a 3×32×32 input: conv 5×5 → 6, pool 2, conv 5×5 → 16, pool 2, fc 400 → 120 → 84 → 10. ' +
        'Rows of the tables are the seven layers in that order; the dims are those of the first conv layer.',
      dims: { C: 3, H: 32, W: 32, F: 6, K: 5, S: 1, P: 0 },
      // Zeros: the table reads only the input's size. kernel and bias (conv1's) complete the problem's inputs.
      inputs: { X: zeros([3, 32, 32]).toNested(), kernel: zeros([6, 3, 5, 5]).toNested(), bias: zeros([6]).toNested() },
      forward: () => layerTableGraph(LENET5, ['X', 'kernel', 'bias']),
      outputs: ['shapes', 'params', 'params_no_bias', 'macs', 'total_params', 'total_params_no_bias', 'total_macs'],
    },
  ],
};
