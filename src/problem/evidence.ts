/**
 * The evidence of a Finding, read off one checked sample: the entries the verdict names (worst first,
 * as the FD verdict ranked them), the sample's dims, seed and small inputs, and the two values in full
 * when small enough to draw.
 */
import { type EntryEvidence, entryName } from '../fd/verdict.js';
import type { Nested, Tensor } from '../tensor/tensor.js';
import type { SampleCheck } from './check.js';
import type { FindingEntry, FindingEvidence } from './finding.js';

/** Largest input (entries) shown in a counterexample; bigger ones are described by shape only. */
export const SMALL_INPUT_ENTRIES = 36;

/** Largest value (entries) kept in full for the HTML heat-map; counterexamples shrink far below it. */
export const HEATMAP_MAX_ENTRIES = 4096;

/** Which entries of a sample's verdict are the evidence: those over budget, those FD could not decide, those on a kink. */
export type EvidenceKind = 'over-budget' | 'unresolved' | 'non-differentiable';

function findingEntry(target: string, e: EntryEvidence): FindingEntry {
  return { index: entryName(target, e.index), at: e.index.map((i) => i + 1), expected: e.numeric, got: e.analytic, budget: e.budget };
}

/** Row-major data as nested arrays of the given shape. */
export function nestedOf(data: ArrayLike<number>, shape: readonly number[]): Nested {
  const build = (axis: number, offset: number): Nested => {
    if (axis === shape.length) return data[offset]!;
    const stride = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    return Array.from({ length: shape[axis]! }, (_, i) => build(axis + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** Inputs as nested arrays, when every one is small enough to print. */
export function smallInputs(inputs: Readonly<Record<string, Tensor>>): Record<string, Nested> | undefined {
  const tensors = Object.entries(inputs);
  if (!tensors.every(([, t]) => t.size <= SMALL_INPUT_ENTRIES)) return undefined;
  return Object.fromEntries(tensors.map(([name, t]) => [name, t.toNested()]));
}

/** The evidence at one checked sample, naming entries of `target`. */
export function evidenceOf(target: string, check: SampleCheck, kind: EvidenceKind): FindingEvidence {
  const v = check.verdict;
  const listed = kind === 'over-budget' ? v.worst.filter((e) => e.status === 'over-budget') : kind === 'unresolved' ? v.unresolvedEntries : v.nonDifferentiableEntries;
  const count = kind === 'over-budget' ? v.overBudget : kind === 'unresolved' ? v.unresolved + v.quantised : v.nonDifferentiable;
  const shape = [...check.truth.shape];
  const inputs = smallInputs(check.inputs);
  const got = check.value.contiguous().data;
  const est = check.truth.estimate;
  const expected = new Float64Array(got.length).fill(Number.NaN);
  for (let k = 0; k < est.indices.length; k++) expected[est.indices[k]!] = est.value[k]!;
  const full = got.length <= HEATMAP_MAX_ENTRIES;
  return {
    // A plain object, as it is after crossing a worker boundary (the sample's dims are prototype-free).
    dims: { ...check.sample.dims },
    seed: check.sample.seed,
    ...(inputs ? { inputs } : {}),
    entries: listed.map((e) => findingEntry(target, e)),
    count,
    entryCount: v.checked,
    expectedShape: shape,
    gotShape: [...check.value.shape],
    ...(full ? { expected: nestedOf(expected, shape), got: nestedOf(got, shape) } : {}),
  };
}
