import { parseDimension } from '../formula/declarations.js';
import type { Declarations } from '../formula/declarations.js';
import { TensorArgumentError } from '../tensor/errors.js';
import type { DimExpr, Dims, Problem } from './types.js';

/** Concrete sizes of a declared shape ('H-kh+1' with H = 6, kh = 3 → 4). */
export function concreteShape(shape: readonly DimExpr[], dims: Dims, owner: string): number[] {
  const names = new Set(Object.keys(dims));
  const sizes = new Map(Object.entries(dims));
  return shape.map((entry) => {
    const size = parseDimension(entry, names, owner).evaluate(sizes);
    if (!Number.isInteger(size) || size < 0) {
      throw new TensorArgumentError(owner, `shape entry '${entry}' gives ${size} at ${JSON.stringify(dims)}; sizes are non-negative integers`);
    }
    return size;
  });
}

/** What the problem's formulas may name: its dimensions, inputs and intermediates, with LaTeX aliases. */
export function declarationsOf(problem: Problem): Declarations {
  return {
    ...(problem.classAxis !== undefined ? { classAxis: problem.classAxis } : {}),
    dims: [...problem.dims.names],
    symbols: [
      ...problem.inputs.map((s) => ({
        name: s.name,
        shape: [...s.shape],
        ...(s.domain.kind === 'labels' ? { dtype: 'index' as const } : {}),
        aliases: [...(s.latexAliases ?? [])],
      })),
      ...problem.intermediates.map((s) => ({ name: s.name, shape: [...s.shape], aliases: [...(s.latexAliases ?? [])] })),
    ],
  };
}
