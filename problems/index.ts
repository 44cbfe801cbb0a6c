import type { Problem } from '../src/problem/types.js';
import { convShapes } from './conv-shapes.js';
import { rnnJacobian } from './rnn-jacobian.js';
import { rnnRatio } from './rnn-ratio.js';
import { shippedQuestion } from './shipped.js';
import { softmaxCe } from './softmax-ce.js';

/**
 * Every built-in problem, in the order `derivcheck list` shows them: question files where the format
 * says the derivation (problems/*.yaml; softmax-ce adds a property in code), modules where it takes code
 * (rnn-ratio's and rnn-jacobian's properties and solvers, conv-shapes' layer arithmetic).
 */
export const problems: readonly Problem[] = [
  shippedQuestion('dense-batch'),
  shippedQuestion('dense-batch-col'),
  shippedQuestion('logistic-layer'),
  shippedQuestion('mlp2-mse'),
  rnnRatio,
  rnnJacobian,
  softmaxCe,
  shippedQuestion('softmax-ce-labels'),
  shippedQuestion('relu-softmax-ce'),
  shippedQuestion('relu'),
  shippedQuestion('conv2d'),
  shippedQuestion('avgpool-sigmoid-conv'),
  convShapes,
];
