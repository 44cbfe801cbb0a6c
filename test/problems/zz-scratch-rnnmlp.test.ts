import { test } from 'vitest';
import { verifyProblem } from '../../src/problem/verify.js';
import { failuresOf } from './verified.js';
import { denseBatchCol } from '../../problems/dense-batch-col.js';
import { logisticLayer } from '../../problems/logistic-layer.js';
import { mlp2Mse } from '../../problems/mlp2-mse.js';
import { rnnRatio } from '../../problems/rnn-ratio.js';
import { rnnJacobian } from '../../problems/rnn-jacobian.js';

for (const p of [denseBatchCol, logisticLayer, mlp2Mse, rnnRatio, rnnJacobian]) {
  test(p.id, () => {
    const t0 = performance.now();
    const r = verifyProblem(p, { runs: 12, seed: 1 });
    console.log(p.id, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(failuresOf(r), null, 1));
    for (const t of r.targets) for (const m of t.mistakes) console.log(`  ${t.target} ${m.label} ${m.status} ${m.formula} ${m.error ?? m.counterexample?.message ?? ''}`);
    for (const t of r.targets) for (const c of t.closedForms) console.log(`  ${t.target} CF ${c.status} ${c.formula} ${c.maxRelError} ${c.error ?? ''}`);
    for (const q of r.properties) console.log(`  prop ${q.property} ${q.status} ${q.runs} ${q.timeMs.toFixed(0)}ms`);
  });
}
