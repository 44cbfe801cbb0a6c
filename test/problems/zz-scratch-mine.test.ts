import { test } from 'vitest';
import { verifyProblem } from '../../src/problem/verify.js';
import { failuresOf } from './verified.js';
import { softmaxCe } from '../../problems/softmax-ce.js';
import { softmaxCeLabels } from '../../problems/softmax-ce-labels.js';
import { reluSoftmaxCe } from '../../problems/relu-softmax-ce.js';
import { reluActivation } from '../../problems/relu.js';

for (const p of [softmaxCe, softmaxCeLabels, reluSoftmaxCe, reluActivation]) {
  test(p.id, () => {
    const t0 = performance.now();
    const r = verifyProblem(p, { runs: 12, seed: 1 });
    console.log(p.id, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(failuresOf(r), null, 1));
    for (const t of r.targets) for (const m of [...t.closedForms, ...t.mistakes]) console.log(t.target, m.status, m.formula, m.readAs, m.samples, m.nonDifferentiable, m.error ?? '');
    for (const pr of r.properties) console.log(pr.property, pr.status, JSON.stringify(pr.counterexample));
  });
}
