import { test } from 'vitest';
import { compileClaim } from '../../src/problem/claim.js';
import { denseBatchCol } from '../../problems/dense-batch-col.js';
import { mlp2Mse } from '../../problems/mlp2-mse.js';
import { rnnJacobian } from '../../problems/rnn-jacobian.js';
import { sampleInputs } from '../../src/problem/sample.js';
import type { Problem } from '../../src/problem/types.js';

const tries: [Problem, string, string, 'formula' | 'latex'][] = [
  [denseBatchCol, 'db', 'db[m, :] = sum(dY[m,n], n)', 'formula'],
  [denseBatchCol, 'db', 'db[m, j] = sum(dY[m,n], n)', 'formula'],
  [denseBatchCol, 'db', 'dY[:, 1:1]', 'formula'],
  [denseBatchCol, 'db', 'dY * onehot(1, N)', 'formula'],
  [denseBatchCol, 'db', "dY * eye(N, 1)", 'formula'],
  [mlp2Mse, 'dW2', '((x3 - t) \\odot x3 \\odot (1 - x3)) x2^{\\top}', 'latex'],
  [mlp2Mse, 'dW2', '((x_3 - t) \\odot x_3 \\odot (1 - x_3)) x_2^{\\top}', 'latex'],
  [mlp2Mse, 'dW1', '((W2^{\\top} ((x3 - t) \\odot x3 \\odot (1 - x3))) \\odot x2 \\odot (1 - x2)) x1^{\\top}', 'latex'],
  [rnnJacobian, 'step', '\\operatorname{diag}(h \\odot (1 - h)) W_h', 'latex'],
  [rnnJacobian, 'step', '\\operatorname{diag}(h \\odot (1 - h)) Wh', 'latex'],
  [rnnJacobian, 'step', '\\mathrm{diag}(h \\odot (1 - h)) Wh', 'latex'],
];
test('scratch', () => {
  for (const [p, name, f, syn] of tries) {
    const target = p.targets.find((t) => t.name === name)!;
    try {
      const c = compileClaim(p, target, f, syn);
      const dims = p.id === 'rnn-jacobian' ? { H: 2, X: 3, T: 2 } : p.id === 'mlp2-mse' ? { n: 2, m: 3, k: 4 } : { D: 2, N: 3, M: 4 };
      const vals = p.forward(dims).evaluate(sampleInputs(p, dims, 1));
      console.log('OK', f, '=>', c.readAs, JSON.stringify(c.evaluate(vals, dims).toNested()), p.id === 'dense-batch-col' ? JSON.stringify(vals.dY!.toNested()) : '');
    } catch (e) {
      console.log('ERR', f, (e as Error).message);
    }
  }
});
