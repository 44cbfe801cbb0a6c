import type { GraphNode } from '../fd/graph.js';
import type { CompiledFormula } from '../formula/compile.js';
import { nameRecord } from '../names/records.js';
import type { Tensor } from '../tensor/tensor.js';
import type { EvaluationCost } from './budget.js';
import type { Dims } from './types.js';

/**
 * A forward-graph node computing a compiled formula of the graph values `args` (the formula's input
 * names), with its kinks declared: a formula with a piecewise node (relu, max, abs, clip, a comparison,
 * ...) gives the node `pieces`, the formula's piece signature (as a hand-written relu node declares the
 * sign of its input), so that FD reports a step across a kink as non-differentiable instead of averaging
 * two slopes.
 */
export function formulaNode(name: string, formula: CompiledFormula, args: readonly string[], dims: Dims): GraphNode {
  const named = (tensors: readonly Tensor[]): Record<string, Tensor> => nameRecord(args.map((arg, i) => [arg, tensors[i]!]));
  if (!formula.piecewise) return { name, args, op: (...tensors) => formula(named(tensors), dims) };
  // FD asks for the pieces right after the value, at the same arguments: both come from one evaluation,
  // and the pieces are kept with a copy of the arguments they were computed at, which a later call
  // must match entry for entry (FD perturbs its point in place).
  let last: { readonly at: readonly Float64Array[]; readonly pieces: number[] } | undefined;
  const op = (...tensors: Tensor[]): Tensor => {
    const { value, pieces } = formula.withPieces(named(tensors), dims);
    last = { at: tensors.map((t) => t.contiguous().data.slice()), pieces };
    return value;
  };
  const pieces = (...tensors: Tensor[]): number[] => (last && sameEntries(last.at, tensors) ? last.pieces : formula.pieces(named(tensors), dims));
  return { name, args, op, pieces };
}

/** Whether `tensors` hold exactly the entries `at` (bit for bit; NaN never matches, so it is recomputed). */
function sameEntries(at: readonly Float64Array[], tensors: readonly Tensor[]): boolean {
  if (at.length !== tensors.length) return false;
  return tensors.every((t, i) => {
    const data = t.contiguous().data;
    const kept = at[i]!;
    if (data.length !== kept.length) return false;
    for (let k = 0; k < data.length; k++) if (data[k] !== kept[k]) return false;
    return true;
  });
}

/**
 * The price of one evaluation of formula nodes (src/formula/cost.ts), at these dims: the nodes a move of
 * FD's point runs again. A piecewise node runs traced (its value and pieces in one evaluation) and keeps
 * and compares a copy of its arguments, priced as a plain evaluation more; each node's value stays alive
 * while the later ones run, so their peaks add up (an upper bound).
 */
export function formulaNodesCost(formulas: readonly CompiledFormula[], dims: Dims): EvaluationCost {
  let seconds = 0;
  let peakBytes = 0;
  for (const formula of formulas) {
    const cost = formula.price(dims);
    seconds += formula.piecewise ? cost.seconds + cost.tracedSeconds : cost.seconds;
    peakBytes += cost.peakBytes;
  }
  return { seconds, peakBytes };
}
