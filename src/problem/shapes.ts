import { type Declarations, type Scope, parseDimension, resolveDeclarations } from '../formula/declarations.js';
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

/**
 * declarationsOf and their Scope, made once per problem: every answer to a problem is read and checked
 * against them, and resolving them again (each shape's dimension expressions parsed) was 2% of grading.
 */
const scopes = new WeakMap<Problem, { readonly declarations: Declarations; readonly scope: Scope }>();

export function problemScope(problem: Problem): { readonly declarations: Declarations; readonly scope: Scope } {
  let known = scopes.get(problem);
  if (known === undefined) {
    const declarations = declarationsOf(problem);
    known = { declarations, scope: resolveDeclarations(declarations) };
    scopes.set(problem, known);
  }
  return known;
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
