import { test } from 'vitest';
import { verifyProblem } from '../../src/problem/verify.js';
import { failuresOf } from './verified.js';
import { softmaxCe } from '../../problems/softmax-ce.js';
import { softmaxCeLabels } from '../../problems/softmax-ce-labels.js';
import { reluSoftmaxCe } from '../../problems/relu-softmax-ce.js';
import { reluActivation } from '../../problems/relu.js';

for (const p of [softmaxCe, softmaxCeLabels, reluSoftmaxCe, reluActivation]) {
  test(p.id, () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const t0 = performance.now();
      const r = verifyProblem(p, { runs: 100, seed });
      const und = r.targets.flatMap((t) => t.closedForms.map((c) => c.nonDifferentiable)).reduce((a, b) => a + b, 0);
      console.log(p.id, seed, (performance.now() - t0).toFixed(0), 'ms nondiff', und, JSON.stringify(failuresOf(r)), r.properties.map((x) => JSON.stringify(x.counterexample?.value)).join());
    }
  }, 600_000);
}
