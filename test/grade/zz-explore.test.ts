import { test } from 'vitest';
import { denseBatch } from '../../problems/dense-batch.js';
import { softmaxCe } from '../../problems/softmax-ce.js';
import { GradingSession } from '../../src/grade/session.js';
import { gradeAnswer } from '../../src/grade/answer.js';

test('explore', () => {
  const session = new GradingSession([denseBatch, softmaxCe], { seed: 7, partial: true });
  const cases: [string, string, string, 'formula' | 'latex'][] = [
    ['dense-batch', 'dW', "X' * dY", 'formula'],
    ['dense-batch', 'dW', "(dY' * X)'", 'formula'],
    ['dense-batch', 'dW', "dY' * X", 'formula'],
    ['dense-batch', 'dW', "-X' * dY", 'formula'],
    ['dense-batch', 'dW', "3 * X' * dY", 'formula'],
    ['dense-batch', 'dW', "X' * dY / N", 'formula'],
    ['dense-batch', 'dW', "X' * dY / M", 'formula'],
    ['dense-batch', 'dW', "X * dY", 'formula'],
    ['dense-batch', 'dW', "X' * dy", 'formula'],
    ['dense-batch', 'dW', "X' * (dY", 'formula'],
    ['dense-batch', 'dX', 'dX[n,d] = sum(dY[n,m] * W[d+1,m], m)', 'formula'],
    ['dense-batch', 'dX', 'dX[n,d] = sum(dY[n,m] * W[d-1,m], m)', 'formula'],
    ['dense-batch', 'dX', 'dX[n,d] = sum(dY[n+1,m] * W[d,m], m)', 'formula'],
    ['dense-batch', 'dX', "X' * dY", 'formula'],
    ['dense-batch', 'db', 'sum(dY, 2)', 'formula'],
    ['dense-batch', 'db', 'mean(dY, 1)', 'formula'],
    ['dense-batch', 'db', 'sum(dY, 1) + 1', 'formula'],
    ['softmax-ce', 'dz', '\\operatorname{softmax}(z) - p', 'latex'],
    ['softmax-ce', 'dz', 'p - s', 'formula'],
    ['softmax-ce', 'dz', "s' - p'", 'formula'],
    ['softmax-ce', 'dq', "s", 'formula'],
    ['softmax-cf', 'dz', "s", 'formula'],
  ];
  for (const [problem, target, text, syntax] of cases) {
    const t0 = performance.now();
    const r = gradeAnswer(session, { problem, target, text, syntax, line: 1 }, 1);
    console.log(`${(performance.now() - t0).toFixed(1)}ms ${problem}/${target} ${text}\n  ${r.verdict} ${r.score} ${r.mistake?.label ?? ''}\n  ${r.message}`);
  }
  console.log('truths computed', session.cache.computed, session.references());
});
