import type { GraphNode } from '../../src/fd/graph.js';
import { innerProductIncremental } from '../../src/fd/incremental.js';
import { mul } from '../../src/tensor/broadcast.js';
import { sum } from '../../src/tensor/reduce.js';

/**
 * The loss of a layer problem whose upstream gradient G is an input: L = Σ G .* Y, so that ∂L/∂Y = G and
 * the chain rule through the layer is what the targets ask for. Incremental: a change of Y moves L by G·δ.
 */
export function upstreamLoss(output: string, upstream: string): GraphNode {
  return { name: 'L', args: [output, upstream], op: (y, g) => sum(mul(y!, g!)), incremental: innerProductIncremental };
}
