import { avgpoolSigmoidConv } from './modules/avgpool-sigmoid-conv.js';
import { conv2dLayer } from './modules/conv2d.js';
import { denseBatch } from './modules/dense-batch.js';
import { mlp2Mse } from './modules/mlp2-mse.js';
import { reluSoftmaxCe } from './modules/relu-softmax-ce.js';
import { reluActivation } from './modules/relu.js';
import { softmaxCe } from './modules/softmax-ce.js';
import { verifyProblem } from '../src/problem/verify.js';
import type { Problem } from '../src/problem/types.js';
import { problems } from '../problems/index.js';
import { findProblem } from '../src/problem/registry.js';
import { type Benchmark, formatTable, median } from './harness.js';

/**
 * A question file against the code module it translates: `verify` (100 runs per target, every closed
 * form, known mistake and property) of each built-in problem that became a question file, written as
 * the TypeScript module it was, with hand-placed incremental rules and kinks (bench/modules/), and as
 * the registry's problem (problems/*.yaml, softmax-ce with its property in code), whose forward is its
 * let chain and loss.
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
  const modules = [denseBatch, mlp2Mse, softmaxCe, reluActivation, reluSoftmaxCe, conv2dLayer, avgpoolSigmoidConv];
  const pairs: Pair[] = modules.map((module) => ({ id: module.id, module, question: findProblem(problems, module.id) }));
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
  description: `verify of each built-in question file against the code module it was (${RUNS} runs per target, seed ${SEED})`,
  run,
};
