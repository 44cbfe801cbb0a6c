/** Forward graphs the FD tests differentiate, with the library's incremental rules. */
import { Graph, conv2dIncremental, halfSquaredErrorIncremental, innerProductIncremental, matmulIncremental } from '../../src/fd/index.js';
import { conv2d } from '../../src/tensor/conv.js';
import { matmul } from '../../src/tensor/matmul.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { type ConvGeometry, innerLoop } from './reference.js';

function halfSquaredError(y: Tensor, t: Tensor): Tensor {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += 0.5 * (y.data[i]! - t.data[i]!) ** 2;
  return Tensor.scalar(s);
}

/** L = ½‖X·W − T‖². */
export const denseGraph = new Graph({
  inputs: ['X', 'W', 'T'],
  nodes: [
    { name: 'Y', args: ['X', 'W'], op: (x, w) => matmul(x, w), incremental: matmulIncremental },
    { name: 'L', args: ['Y', 'T'], op: halfSquaredError, incremental: halfSquaredErrorIncremental },
  ],
  output: 'L',
});

/** L = ⟨conv2d(X, K), G⟩. */
export function convGraph(geometry: ConvGeometry): Graph {
  return new Graph({
    inputs: ['X', 'K', 'G'],
    nodes: [
      { name: 'Y', args: ['X', 'K'], op: (x, k) => conv2d(x, k, geometry), incremental: conv2dIncremental(geometry) },
      { name: 'L', args: ['Y', 'G'], op: (y, g) => Tensor.scalar(innerLoop(y, g)), incremental: innerProductIncremental },
    ],
    output: 'L',
  });
}
