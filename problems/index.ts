import type { Problem } from '../src/problem/types.js';
import { avgpoolSigmoidConv } from './avgpool-sigmoid-conv.js';
import { convShapes } from './conv-shapes.js';
import { conv2dLayer } from './conv2d.js';
import { denseBatch } from './dense-batch.js';
import { denseBatchCol } from './dense-batch-col.js';
import { logisticLayer } from './logistic-layer.js';
import { mlp2Mse } from './mlp2-mse.js';
import { rnnJacobian } from './rnn-jacobian.js';
import { rnnRatio } from './rnn-ratio.js';
import { reluSoftmaxCe } from './relu-softmax-ce.js';
import { reluActivation } from './relu.js';
import { softmaxCeLabels } from './softmax-ce-labels.js';
import { softmaxCe } from './softmax-ce.js';

/** Every problem module, in the order `derivcheck list` shows them. */
export const problems: readonly Problem[] = [denseBatch, denseBatchCol, logisticLayer, mlp2Mse, rnnRatio, rnnJacobian, softmaxCe, softmaxCeLabels, reluSoftmaxCe, reluActivation, conv2dLayer, avgpoolSigmoidConv, convShapes];
