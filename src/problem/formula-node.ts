import type { GraphNode } from '../fd/graph.js';
import type { CompiledFormula } from '../formula/compile.js';
import { nameRecord } from '../names/records.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Dims } from './types.js';

/**
 * A forward-graph node computing a compiled formula of the graph values `args` (the formula's input
 * names), with its kinks declared: a formula with a piecewise node (relu, max, abs, clip, a comparison,
 * ...) gives the node `pieces`, the formula's piece signature, as problems/relu.ts's reluNode does by
 * hand, so that FD reports a step across a kink as non-differentiable instead of averaging two slopes.
 */
export function formulaNode(name: string, formula: CompiledFormula, args: readonly string[], dims: Dims): GraphNode {
  const named = (tensors: readonly Tensor[]): Record<string, Tensor> => nameRecord(args.map((arg, i) => [arg, tensors[i]!]));
  const op = (...tensors: Tensor[]): Tensor => formula(named(tensors), dims);
  if (!formula.piecewise) return { name, args, op };
  return { name, args, op, pieces: (...tensors) => formula.pieces(named(tensors), dims) };
}
