/**
 * What a CNN layer allocates and computes, read off the tensor core rather than derived by algebra: the
 * output size from running the layer on a zero input, the parameter count from the sizes of the weight
 * and bias tensors it would allocate, the multiply-adds from its output size and the length of each dot
 * product. The conv-shapes problem checks students' formulas against these counts.
 */
import { Graph } from '../src/fd/graph.js';
import { add } from '../src/tensor/broadcast.js';
import { zeros } from '../src/tensor/construct.js';
import { ShapeError } from '../src/tensor/errors.js';
import { conv2d } from '../src/tensor/conv.js';
import { matmul } from '../src/tensor/matmul.js';
import { avgpool } from '../src/tensor/pool.js';
import { sum } from '../src/tensor/reduce.js';
import { Tensor, sizeOf } from '../src/tensor/tensor.js';

/** A layer as the shape tables of course notes list it. Sizes are square (K×K kernels and windows). */
export type Layer =
  | { readonly kind: 'conv'; readonly filters: number; readonly kernel: number; readonly stride?: number; readonly padding?: number }
  /** Non-overlapping pooling (stride = window); no parameters. */
  | { readonly kind: 'pool'; readonly size: number }
  /** Fully connected: the input is flattened. */
  | { readonly kind: 'fc'; readonly units: number };

export interface LayerCount {
  /** Output as channels × height × width; a fully-connected layer's output is units × 1 × 1. */
  readonly output: readonly [number, number, number];
  /** Entries of the weight tensor. */
  readonly weights: number;
  /** Entries of the bias vector. */
  readonly biases: number;
  /**
   * Multiply-adds of one forward pass: one per weight tap for every output entry (padding taps
   * included, as frameworks compute them). Pooling multiplies nothing: 0, as MAC tables list it.
   */
  readonly macs: number;
}

/** Counts one layer applied to a channels × height × width input. */
export function countLayer(layer: Layer, input: readonly [number, number, number]): LayerCount {
  const [C, H, W] = input;
  switch (layer.kind) {
    case 'conv': {
      const weight = zeros([layer.filters, C, layer.kernel, layer.kernel]);
      const bias = zeros([layer.filters]);
      const out = conv2d(zeros([1, C, H, W]), weight, { stride: layer.stride ?? 1, padding: layer.padding ?? 0 });
      const [, F, Ho, Wo] = out.shape as [number, number, number, number];
      const tapsPerOutput = weight.size / layer.filters;
      return { output: [F, Ho, Wo], weights: weight.size, biases: bias.size, macs: out.size * tapsPerOutput };
    }
    case 'pool': {
      const out = avgpool(zeros([C, H, W]), layer.size);
      const [, Ho, Wo] = out.shape as [number, number, number];
      return { output: [C, Ho, Wo], weights: 0, biases: 0, macs: 0 };
    }
    case 'fc': {
      const inputs = sizeOf(input);
      const weight = zeros([layer.units, inputs]);
      const bias = zeros([layer.units]);
      const out = matmul(weight, zeros([inputs, 1]));
      return { output: [out.size, 1, 1], weights: weight.size, biases: bias.size, macs: out.size * inputs };
    }
  }
}

/** Counts every layer of a stack, each applied to the previous one's output. */
export function countLayers(layers: readonly Layer[], input: readonly [number, number, number]): LayerCount[] {
  const counts: LayerCount[] = [];
  let shape = input;
  for (const layer of layers) {
    const count = countLayer(layer, shape);
    counts.push(count);
    shape = count.output;
  }
  return counts;
}

/** Columns of the table node of `layerTableGraph`, one row per layer. */
const TABLE_COLUMNS = ['channels', 'height', 'width', 'weights', 'biases', 'macs'] as const;
const column = (table: Tensor, name: (typeof TABLE_COLUMNS)[number]): Tensor => table.slice([null, TABLE_COLUMNS.indexOf(name)]).clone();

/**
 * The shape table of a layer stack as a graph, for worked examples that print it. Its first input is the
 * stack's input (only its C×H×W shape is read); further inputs are accepted and not read, so the graph
 * takes the inputs of the problem the example belongs to. Nodes: `table` (one row per layer: channels,
 * height, width, weights, biases, macs), `shapes` (output channels × height × width per layer), `params`
 * and `params_no_bias` (per layer, with and without the biases), `macs` (per layer), and the totals
 * `total_params`, `total_params_no_bias`, `total_macs`.
 */
export function layerTableGraph(layers: readonly Layer[], inputs: readonly [string, ...string[]]): Graph {
  return new Graph({
    inputs,
    nodes: [
      {
        name: 'table',
        args: [inputs[0]],
        op: (x) => {
          if (x!.rank !== 3) throw new ShapeError('layer table', [x!.shape], 'the input of a layer stack is channels × height × width');
          const counts = countLayers(layers, x!.shape as [number, number, number]);
          return Tensor.fromNested(counts.map((c) => [...c.output, c.weights, c.biases, c.macs]));
        },
      },
      { name: 'shapes', args: ['table'], op: (t) => t!.slice([null, [0, TABLE_COLUMNS.indexOf('weights')]]).clone() },
      { name: 'params_no_bias', args: ['table'], op: (t) => column(t!, 'weights') },
      { name: 'params', args: ['table'], op: (t) => add(column(t!, 'weights'), column(t!, 'biases')) },
      { name: 'macs', args: ['table'], op: (t) => column(t!, 'macs') },
      { name: 'total_params', args: ['params'], op: (p) => sum(p!) },
      { name: 'total_params_no_bias', args: ['params_no_bias'], op: (p) => sum(p!) },
      { name: 'total_macs', args: ['macs'], op: (m) => sum(m!) },
    ],
    output: 'total_params',
  });
}
