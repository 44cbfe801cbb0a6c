/**
 * A grading worker started before the batch (src/grade/worker-thread.ts, as the CLI starts one before
 * reading its options): the batch takes it as its first worker, a failed one is replaced, and one
 * never taken does not keep the process alive.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, test } from 'vitest';
import { gradeFiles } from '../../src/grade/batch.js';
import type { WorkerMessage, WorkerSetup } from '../../src/grade/protocol.js';
import type { GradeReport } from '../../src/grade/types.js';
import { startGradingWorker, startGradingWorkerEarly } from '../../src/grade/worker-thread.js';

/** Workers load the compiled registry (`npm test` builds dist/ before vitest runs). */
const registry = new URL('../../dist/problems/index.js', import.meta.url);
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-early-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = path.join(dir, 's1.yaml');
writeFileSync(file, 'id: s1\nanswers:\n  - { problem: dense-batch, target: dW, formula: "X\' * dY" }\n  - { problem: softmax-ce, target: dz, formula: "(s - p) / B" }\n');

/** The verdicts of a report, without its timings. */
function verdicts(report: GradeReport) {
  return report.submissions.map((s) => s.answers.map((a) => [a.problem, a.target, a.finding.status, a.finding.reason]));
}

describe('a grading worker started early', () => {
  test('the batch takes it as its first worker, with the same verdicts as a worker it starts itself', async () => {
    const early = startGradingWorkerEarly();
    let took = false;
    early.once('message', () => (took = true));
    const withEarly = await gradeFiles([file], { seed: 3, jobs: 1, registry });
    expect(took).toBe(true);
    const without = await gradeFiles([file], { seed: 3, jobs: 1, registry });
    expect(verdicts(withEarly)).toEqual(verdicts(without));
    expect(verdicts(without)).toEqual([
      [
        ['dense-batch', 'dW', 'correct', undefined],
        ['softmax-ce', 'dz', 'incorrect', 'mismatch'],
      ],
    ]);
  });

  test('one that failed before it was taken is replaced by a fresh worker', async () => {
    const early = startGradingWorkerEarly();
    await early.terminate();
    const worker = startGradingWorker();
    expect(worker).not.toBe(early);
    const setup: WorkerSetup = { registry: registry.href, seed: 1, runs: 4, partial: false, truthChannel: 'derivcheck-test-early-worker' };
    worker.postMessage(setup);
    const [message] = (await once(worker, 'message')) as [WorkerMessage];
    expect(message.kind).toBe('ready');
    await worker.terminate();
  });

  test('one never taken does not keep the process alive', () => {
    const module = new URL('../../dist/src/grade/worker-thread.js', import.meta.url).href;
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { startGradingWorkerEarly } from '${module}'; startGradingWorkerEarly(); console.log('started');`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout.trim()).toBe('started');
    expect(r.status).toBe(0);
    expect(r.signal).toBeNull();
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
