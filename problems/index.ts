import type { Problem } from '../src/problem/types.js';
import { avgpoolSigmoidConv } from './avgpool-sigmoid-conv.js';
import { convShapes } from './conv-shapes.js';
import { conv2dLayer } from './conv2d.js';
import { rnnJacobian } from './rnn-jacobian.js';
import { rnnRatio } from './rnn-ratio.js';
import { reluSoftmaxCe } from './relu-softmax-ce.js';
import { reluActivation } from './relu.js';
import { shippedQuestion } from './shipped.js';
import { softmaxCe } from './softmax-ce.js';

/**
 * Every built-in problem, in the order `derivcheck list` shows them: question files where the format
 * says the derivation (problems/*.yaml), modules where it takes code (properties, solvers, shapes).
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
  reluSoftmaxCe,
  reluActivation,
  conv2dLayer,
  avgpoolSigmoidConv,
  convShapes,
];
