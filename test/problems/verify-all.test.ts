import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { RegistryModuleError, compiledWorkerFile } from '../../src/problem/compiled.js';
import { UnknownNameError } from '../../src/problem/registry.js';
import { VerifyWorkerError, verifyAll } from '../../src/problem/verify-all.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import { type ProblemReport, verifyProblem, verifyTarget } from '../../src/problem/verify.js';

/** Workers load the compiled registry (`npm test` builds dist/ before vitest runs). */
const registry = new URL('../../dist/problems/index.js', import.meta.url);
/**
 * This thread verifies with the library's source, whose problems must come from the source registry:
 * the compiled one builds its tensors with dist/'s Tensor class, which the source's graph does not accept.
 */
const sourceRegistry = new URL('../../problems/index.ts', import.meta.url);
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-verify-all-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reports with every timing zeroed: the only field allowed to differ between runs. */
function withoutTimings(reports: readonly ProblemReport[]): ProblemReport[] {
  return reports.map((r) => ({
    ...r,
    targets: r.targets.map((t) => ({ ...t, timeMs: 0 })),
    properties: r.properties.map((p) => ({ ...p, timeMs: 0 })),
  }));
}

// dense-batch: every mistake fails with a counterexample that carries its sample's input tensors;
// logistic-layer: symbolic facts; conv-shapes: value targets and two properties (one expected to fail).
const IDS = ['dense-batch', 'logistic-layer', 'conv-shapes'];
const OPTIONS = { ids: IDS, runs: 6, seed: 41 };

describe('verifyAll', () => {
  test('two workers give the same reports as this thread and as verifyProblem, apart from timings', async () => {
    const ticks: string[] = [];
    let total = 0;
    const inWorkers = await verifyAll(registry, {
      ...OPTIONS,
      jobs: 2,
      onStart: (n) => (total = n),
      onReport: (r) => ticks.push(`${r.problem} ${'target' in r ? r.target : r.property}`),
    });
    const inThread = await verifyAll(sourceRegistry, { ...OPTIONS, jobs: 1 });
    const direct = IDS.map((id) => verifyProblem(problems.find((p) => p.id === id)!, OPTIONS));
    expect(withoutTimings(inWorkers)).toStrictEqual(withoutTimings(inThread));
    expect(withoutTimings(inThread)).toStrictEqual(withoutTimings(direct));
    // One tick per target and property, each once.
    const units = IDS.flatMap((id) => {
      const p = problems.find((q) => q.id === id)!;
      return [...p.targets.map((t) => `${id} ${t.name}`), ...p.properties.map((c) => `${id} ${c.name}`)];
    });
    expect(total).toBe(units.length);
    expect(ticks.sort()).toEqual(units.sort());
    expect(inWorkers[1]!.targets.some((t) => t.symbolic === 'proven')).toBe(true);
    expect(inWorkers[2]!.properties.map((p) => p.status)).toEqual(['pass', 'pass']);
    // Findings from a worker are the plain data they were (toStrictEqual above compares them whole).
    const evidence = inWorkers[0]!.targets[0]!.mistakes.find((m) => m.finding.reason === 'mismatch')!.finding.evidence!;
    expect(evidence.entries.length).toBeGreaterThan(0);
  });

  test('problems passed as objects are verified in this thread, the same as from the registry', async () => {
    const selected = problems.filter((p) => p.id === 'relu');
    const fromObjects = await verifyAll(selected, { runs: 4, seed: 2 });
    const fromRegistry = await verifyAll(registry, { ids: ['relu'], runs: 4, seed: 2, jobs: 2 });
    expect(withoutTimings(fromObjects)).toStrictEqual(withoutTimings(fromRegistry));
    // More workers than relu has parts: the idle ones stop, the reports are the same.
    const manyWorkers = await verifyAll(registry, { ids: ['relu'], runs: 4, seed: 2, jobs: 12 });
    expect(withoutTimings(manyWorkers)).toStrictEqual(withoutTimings(fromObjects));
  });

  test('rejects bad jobs, objects for workers, unknown ids and a module without problems', async () => {
    await expect(verifyAll(registry, { jobs: 0 })).rejects.toThrow(RangeError);
    await expect(verifyAll(problems, { jobs: 2 })).rejects.toThrow(/compiled registry module/);
    await expect(verifyAll(registry, { ids: ['dense-btch'] })).rejects.toThrow(UnknownNameError);
    const empty = path.join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const nothing = 1;\n');
    await expect(verifyAll(empty, { jobs: 2 })).rejects.toThrow(RegistryModuleError);
  });

  test('a problem module that throws fails the run with the item named, not a hang', async () => {
    const broken = path.join(dir, 'broken.mjs');
    const target = "{ kind: 'gradient', name: 'dx', wrt: 'x', shape: ['n'], closedForms: [{ formula: 'x', style: 's' }], mistakes: [] }";
    writeFileSync(broken, `export const problems = [{ id: 'broken', targets: [${target}, ${target}], properties: [], forward() { throw new Error('boom'); } }];\n`);
    const run = verifyAll(broken, { jobs: 2, runs: 2 });
    await expect(run).rejects.toThrow(VerifyWorkerError);
    await expect(run).rejects.toThrow(/verifying broken target #\d/);
  });
});

describe('shared ground truths', () => {
  test("a target's closed forms and mistakes share the FD truths of their samples; the reports do not change", () => {
    const problem = problems.find((p) => p.id === 'dense-batch')!;
    const target = problem.targets[0]!;
    const runs = 8;
    const truths = new TruthCache();
    const shared = verifyTarget(problem, target, 0, { runs, seed: 3, truths });
    const alone = verifyTarget(problem, target, 0, { runs, seed: 3 });
    expect({ ...shared, timeMs: 0 }).toStrictEqual({ ...alone, timeMs: 0 });
    // Every formula meets the same `runs` samples; shrinking a mistake adds a few smaller ones.
    const formulas = target.closedForms.length + target.mistakes.length;
    expect(formulas).toBeGreaterThan(3);
    expect(truths.computed).toBeGreaterThanOrEqual(runs);
    expect(truths.computed).toBeLessThan((formulas * runs) / 2);
  });
});

describe('compiledWorkerFile', () => {
  test('maps a TypeScript source to the same path under dist/, and a compiled module to its sibling', () => {
    expect(compiledWorkerFile('file:///home/u/src/repo/src/problem/verify-all.ts', './verify-worker.js').href).toBe('file:///home/u/src/repo/dist/src/problem/verify-worker.js');
    expect(compiledWorkerFile('file:///repo/dist/src/grade/batch.js', './worker.js').href).toBe('file:///repo/dist/src/grade/worker.js');
  });
});

