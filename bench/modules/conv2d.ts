/**
 * The code module conv2d was before it became a question file (problems/conv2d.yaml): the baseline
 * bench/questions.ts measures the question file against. Not in the registry.
 *
 * The convolution layer of CNNs (a correlation, no padding, stride 1): X N×C×H×W, K F×C×kh×kw,
 * Y[n,f] = Σ_c corr2(X[n,c], K[f,c], 'valid'), upstream gradient dY, loss L = Σ dY .* Y.
 * dX[n,c] = Σ_f conv2(dY[n,f], K[f,c], 'full') (a full convolution: the kernel is flipped),
 * dK[f,c] = Σ_n corr2(X[n,c], dY[n,f], 'valid').
 */
import fc from 'fast-check';
import { Graph } from '../../src/fd/graph.js';
import { conv2dIncremental } from '../../src/fd/incremental.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Dims, Problem } from '../../src/problem/types.js';
import { conv2d } from '../../src/tensor/conv.js';
import { upstreamLoss } from './upstream.js';

/**
 * Sizes kept small so that a full FD sweep of dX (N·C·H·W ≤ 441 entries) stays cheap: batch, channels
 * and filters in 1..3, kernels in 1..3, and output sides Ho, Wo in 2..5 (1..4 in the edge draws), so
 * H = Ho + kh − 1 ≤ 7 and the kernel always fits. Each group is drawn distinct most of the time (a
 * transposed kernel or swapped channel and filter axes then changes shapes or values).
 */
const conv2dDims: fc.Arbitrary<Dims> = fc
  .tuple(dimsArbitrary(['N', 'C', 'F'], { min: 1, max: 3 }), dimsArbitrary(['kh', 'kw'], { min: 1, max: 3 }), dimsArbitrary(['Ho', 'Wo'], { max: 5 }))
  .map(([batch, kernel, out]) => ({ ...batch, ...kernel, H: out['Ho']! + kernel['kh']! - 1, W: out['Wo']! + kernel['kw']! - 1 }));

const DY_ALIASES = ['\\frac{\\partial L}{\\partial Y}'];

export const conv2dLayer: Problem = {
  id: 'conv2d',
  title: 'Convolution layer (multi-channel, batched)',
  statement: 'Y[n,f] = Σ_c corr2(X[n,c], K[f,c]) with X N×C×H×W, K F×C×kh×kw; given dY = ∂L/∂Y, derive dX and dK.',

  dims: { names: ['N', 'C', 'F', 'H', 'W', 'kh', 'kw'], arbitrary: conv2dDims },

  inputs: [
    { name: 'X', shape: ['N', 'C', 'H', 'W'], domain: { kind: 'normal' }, role: 'data', description: 'a batch of N images with C channels' },
    { name: 'K', shape: ['F', 'C', 'kh', 'kw'], domain: { kind: 'normal' }, role: 'parameter', description: 'F filters, each C×kh×kw (correlated with X, not flipped)' },
    { name: 'dY', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'], domain: { kind: 'normal' }, role: 'upstream', description: 'upstream gradient ∂L/∂Y', latexAliases: DY_ALIASES },
  ],
  intermediates: [{ name: 'Y', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'], description: 'the layer output, one map per sample and filter' }],

  forward: () =>
    new Graph({
      inputs: ['X', 'K', 'dY'],
      nodes: [
        { name: 'Y', args: ['X', 'K'], op: (X, K) => conv2d(X!, K!), incremental: conv2dIncremental() },
        upstreamLoss('Y', 'dY'),
      ],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dX',
      wrt: 'X',
      description: '∂L/∂X',
      shape: ['N', 'C', 'H', 'W'],
      closedForms: [
        { formula: "dX[n,c,:,:] = sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)", style: 'slices, full convolution' },
        { formula: 'dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m+1,j-t+1], f, m, t)', style: 'index notation' },
        { formula: "dX[n,c,:,:] = sum(corr2(dY[n,f,:,:], rot90(K[f,c,:,:], 2), 'full'), f)", style: 'slices, full correlation with the rotated kernel' },
      ],
      latex: '\\frac{\\partial L}{\\partial X_{n,c}} = \\sum_{f} \\operatorname{conv2}\\left(\\frac{\\partial L}{\\partial Y_{n,f}}, K_{f,c}, \\text{full}\\right)',
      mistakes: [
        { label: 'kernel-not-flipped', formula: "dX[n,c,:,:] = sum(corr2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)", why: 'the forward pass correlates, so the backward pass to X convolves: the kernel must be rotated by 180°' },
        { label: 'index-shift', formula: 'dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m,j-t], f, m, t)', why: 'Y[n,f,i,j] reads X[n,c,i+m−1,j+t−1] (1-based), so X[i,j] meets dY[i−m+1, j−t+1]; i−m is one off' },
        { label: 'transposed', formula: 'dX[n,c,i,j] = sum(K[f,c,t,m] * dY[n,f,i-m+1,j-t+1], f, m, t)', why: 'm runs along the rows of the kernel and t along its columns; K[f,c,t,m] transposes every kernel slice' },
        { label: 'missing-term', formula: "dX[n,c,:,:] = conv2(dY[n,1,:,:], K[1,c,:,:], 'full')", why: 'every filter f reads channel c of X, so the gradients of all F maps add up: the sum over f is missing' },
        { label: 'sign', formula: "dX[n,c,:,:] = -sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)", why: 'Y is linear in X with coefficients K: no sign change' },
        { label: 'mean-vs-sum', formula: "dX[n,c,:,:] = sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f) / F", why: 'the filters\' contributions add up; there is no average over f' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dK',
      wrt: 'K',
      description: '∂L/∂K',
      shape: ['F', 'C', 'kh', 'kw'],
      closedForms: [
        { formula: 'dK[f,c,m,t] = sum(X[n,c,i+m-1,j+t-1] * dY[n,f,i,j], n, i, j)', style: 'index notation' },
        { formula: "dK[f,c,:,:] = sum(corr2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n)", style: 'slices, valid correlation' },
        { formula: "dK[f,c,:,:] = sum(conv2(X[n,c,:,:], rot90(dY[n,f,:,:], 2), 'valid'), n)", style: 'slices, valid convolution with the rotated dY' },
      ],
      latex: '\\frac{\\partial L}{\\partial K_{f,c,m,t}} = \\sum_{n,i,j} X_{n,c,i+m-1,j+t-1} \\frac{\\partial L}{\\partial Y_{n,f,i,j}}',
      mistakes: [
        { label: 'kernel-not-flipped', formula: "dK[f,c,:,:] = sum(conv2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n)", why: 'K is correlated with X, so its gradient correlates X with dY; conv2 flips dY' },
        { label: 'index-shift', formula: 'dK[f,c,m,t] = sum(X[n,c,i+m,j+t] * dY[n,f,i,j], n, i, j)', why: 'with 1-based indices K[m,t] meets X[i+m−1, j+t−1]; X[i+m, j+t] is one row and column off' },
        { label: 'transposed', formula: 'dK[f,c,m,t] = sum(X[n,c,i+t-1,j+m-1] * dY[n,f,i,j], n, i, j)', why: 'm runs along the rows of the kernel and t along its columns; swapping them transposes every kernel slice' },
        { label: 'missing-term', formula: "dK[f,c,:,:] = corr2(X[1,c,:,:], dY[1,f,:,:], 'valid')", why: 'the kernel is shared by the whole batch: the gradients of all N samples add up' },
        { label: 'mean-vs-sum', formula: "dK[f,c,:,:] = sum(corr2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n) / N", why: 'L sums over the batch; there is no 1/N unless the loss is a mean' },
        { label: 'sign', formula: "dK[f,c,:,:] = -sum(corr2(X[n,c,:,:], dY[n,f,:,:], 'valid'), n)", why: 'Y is linear in K with coefficients X: no sign change' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'conv-2ch-3x4',
      description: 'one image with two 3×4 channels, one 2×2 filter',
      dims: { N: 1, C: 2, F: 1, H: 3, W: 4, kh: 2, kw: 2 },
      inputs: {
        X: [
          [
            [[1, 2, 0, -1], [0, 1, 3, 1], [2, -1, 1, 0]],
            [[0, 1, 1, 2], [-2, 0, 1, 1], [1, 1, 0, -1]],
          ],
        ],
        K: [[[[1, -1], [0, 2]], [[0.5, 0], [1, -0.5]]]],
        dY: [[[[1, 0, -1], [2, 1, 0.5]]]],
      },
      lr: 0.1,
    },
  ],
};
