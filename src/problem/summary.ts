/**
 * A problem as plain data: what `derivcheck list --json` prints and what the browser playground offers
 * to pick from (names, shapes in dimension names, descriptions; no functions).
 */
import { formatShape } from '../tensor/errors.js';
import type { Problem } from './types.js';

export function problemSummary(p: Problem) {
  return {
    id: p.id,
    title: p.title,
    statement: p.statement,
    dims: [...p.dims.names],
    inputs: p.inputs.map((i) => ({ name: i.name, shape: formatShape(i.shape), domain: i.domain.kind, role: i.role, description: i.description })),
    intermediates: p.intermediates.map((i) => ({ name: i.name, shape: formatShape(i.shape), description: i.description })),
    targets: p.targets.map((t) => ({ name: t.name, kind: t.kind, shape: formatShape(t.shape), description: t.description, points: t.points ?? 1 })),
    properties: p.properties.map((c) => ({ name: c.name, statement: c.statement })),
    examples: p.examples.map((e) => ({ name: e.name, description: e.description })),
  };
}

export type ProblemSummary = ReturnType<typeof problemSummary>;
