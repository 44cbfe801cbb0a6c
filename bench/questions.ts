import path from 'node:path';
import { denseBatch } from './modules/dense-batch.js';
import { mlp2Mse } from './modules/mlp2-mse.js';
import { verifyProblem } from '../src/problem/verify.js';
import type { Problem } from '../src/problem/types.js';
import { readQuestionFile } from '../src/question/load.js';
import { type Benchmark, formatTable, median, repoRoot } from './harness.js';

/**
 * A question file against the code module it translates: `verify` (100 runs per target, every closed
 * form and known mistake) of dense-batch and mlp2-mse, each written as a TypeScript module with
 * hand-placed incremental rules (bench/modules/, as they were before they became question files) and
 * as the question file the registry ships (problems/*.yaml), whose forward is its let chain and loss.
 * Samples alternate between the two, in this process, so that background load falls on both alike;
 * the figure is the ratio of their medians. Bar (issue 13): a question file verifies within 1.5× of
 * the module. Both must pass, with the same outcome for every closed form and mistake.
 */

const SEED = 5;
const RUNS = 100;
const SAMPLES = 7;
const BAR_RATIO = 1.5;

interface Pair {
  readonly id: string;
  readonly module: Problem;
  readonly question: Problem;
}

/** What verify concluded, without timings: the two sides must agree on it. */
function outcome(problem: Problem): string {
  const report = verifyProblem(problem, { runs: RUNS, seed: SEED });
  return JSON.stringify([report.passed, report.targets.map((t) => [t.target, t.closedForms.map((c) => c.finding.status), t.mistakes.map((m) => m.rejected)])]);
}

function timeVerify(problem: Problem): number {
  const start = performance.now();
  verifyProblem(problem, { runs: RUNS, seed: SEED });
  return performance.now() - start;
}

function run(): unknown {
  const pairs: Pair[] = [denseBatch, mlp2Mse].map((module) => ({ id: module.id, module, question: readQuestionFile(path.join(repoRoot, 'problems', `${module.id}.yaml`)).problem }));
  const rows = pairs.map(({ id, module, question }) => {
    const same = outcome(module) === outcome(question);
    const moduleMs: number[] = [];
    const questionMs: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      moduleMs.push(Math.round(timeVerify(module)));
      questionMs.push(Math.round(timeVerify(question)));
    }
    const ratio = Math.round((median(questionMs) / median(moduleMs)) * 100) / 100;
    return { id, moduleMedianMs: median(moduleMs), questionMedianMs: median(questionMs), ratio, sameOutcome: same, moduleMs, questionMs };
  });
  console.log(
    formatTable(
      ['problem', 'module ms', 'question ms', 'question / module', 'same outcome'],
      rows.map((r) => [r.id, String(r.moduleMedianMs), String(r.questionMedianMs), `${r.ratio}×`, String(r.sameOutcome)]),
    ),
  );
  const bar = { requirement: `a question file verifies within ${BAR_RATIO}× of the equivalent code module, with the same outcome`, met: rows.every((r) => r.ratio <= BAR_RATIO && r.sameOutcome) };
  console.log(`\nbar: ${bar.met ? 'met' : 'NOT met'} (${bar.requirement})`);
  return { seed: SEED, runs: RUNS, samples: SAMPLES, rows, bar };
}

export const questionsBenchmark: Benchmark = {
  name: 'questions',
  description: `verify of a question file against its code module (dense-batch, mlp2-mse; ${RUNS} runs per target, seed ${SEED})`,
  run,
};
