/**
 * The code module avgpool-sigmoid-conv was before it became a question file (problems/avgpool-sigmoid-conv.yaml): the baseline
 * bench/questions.ts measures the question file against. Not in the registry.
 *
 * One conv → sigmoid → 2×2 average-pool block: C = corr2(X, K, 'valid'), S = σ(C), P = avgpool2(S),
 * L = Σ G .* P with the upstream gradient G = ∂L/∂P.
 * dS = kron(G, ones(2,2))/4 (each pooled entry hands a quarter of its gradient to each entry of its 2×2
 * block), dC = dS .* S .* (1 − S) (σ' = σ(1 − σ)), dK = corr2(X, dC, 'valid').
 */
import { Graph } from '../../src/fd/graph.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Problem } from '../../src/problem/types.js';
import { corr2 } from '../../src/tensor/conv.js';
import { sigmoid } from '../../src/tensor/elementwise.js';
import { avgpool2 } from '../../src/tensor/pool.js';
import { upstreamLoss } from './upstream.js';

/** ∂L/∂S in the two spellings the closed forms and mistakes build on. */
const DS = 'kron(G, ones(2, 2)) / 4';
const DS_AT = 'G[ceil(i/2), ceil(j/2)] / 4';
/** σ'(C) written with the stored S = σ(C). */
const DC = `${DS} .* S .* (1 - S)`;
const DC_AT = `${DS_AT} * S[i,j] * (1 - S[i,j])`;

/**
 * Spread of the kernel: C sums up to kh·kw ≤ 25 products X·K, so with std(X) = 1 and std(K) = 0.4 C has
 * std ≤ 2 and σ'(C) is mostly above σ'(2) ≈ 0.1. A wider K would saturate σ (σ' ≈ 0), where dC is
 * too small to tell a missing σ' apart from FD noise on some entries.
 */
const KERNEL_STD = 0.4;

export const avgpoolSigmoidConv: Problem = {
  id: 'avgpool-sigmoid-conv',
  title: 'Convolution, sigmoid and 2×2 average pooling',
  statement: 'C = corr2(X, K, \'valid\'), S = σ(C), P = avgpool2(S); given G = ∂L/∂P, derive dS, dC and dK.',

  // X is (2N + kh − 1)×(2M + kw − 1) so that C is 2N×2M: even sides, as 2×2 pooling needs.
  dims: { names: ['N', 'M', 'kh', 'kw'], arbitrary: dimsArbitrary(['N', 'M', 'kh', 'kw'], { min: 1, max: 5 }) },

  inputs: [
    { name: 'X', shape: ['2*N+kh-1', '2*M+kw-1'], domain: { kind: 'normal' }, role: 'data', description: 'the input image' },
    { name: 'K', shape: ['kh', 'kw'], domain: { kind: 'normal', std: KERNEL_STD }, role: 'parameter', description: 'the kernel (correlated with X, not flipped)' },
    { name: 'G', shape: ['N', 'M'], domain: { kind: 'normal' }, role: 'upstream', description: 'upstream gradient ∂L/∂P', latexAliases: ['\\frac{\\partial L}{\\partial P}', 'g'] },
  ],
  intermediates: [
    { name: 'C', shape: ['2*N', '2*M'], description: "the correlation corr2(X, K, 'valid')" },
    { name: 'S', shape: ['2*N', '2*M'], description: 'the activation σ(C)' },
    { name: 'P', shape: ['N', 'M'], description: 'the 2×2 average pool of S' },
  ],

  // Evaluated in full for every FD step (avgpool2 has no incremental rule); the images are at most 14×14.
  forward: () =>
    new Graph({
      inputs: ['X', 'K', 'G'],
      nodes: [
        { name: 'C', args: ['X', 'K'], op: (X, K) => corr2(X!, K!, 'valid') },
        { name: 'S', args: ['C'], op: (C) => sigmoid(C!) },
        { name: 'P', args: ['S'], op: (S) => avgpool2(S!) },
        upstreamLoss('P', 'G'),
      ],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dS',
      wrt: 'S',
      description: '∂L/∂S',
      shape: ['2*N', '2*M'],
      closedForms: [
        { formula: DS, style: 'whole-tensor' },
        { formula: `dS[i,j] = ${DS_AT}`, style: 'index notation' },
        { formula: 'dS_{ij} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial S_{ij}} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}',
      mistakes: [
        { label: 'wrong-pooling-factor', formula: 'kron(G, ones(2, 2)) / 2', why: 'a 2×2 window averages four entries, so each receives 1/4 of the gradient, not 1/2' },
        { label: 'wrong-pooling-factor', formula: 'kron(G, ones(2, 2))', why: 'that is the gradient of sum pooling; the mean divides by the window area 4' },
        { label: 'index-shift', formula: 'dS[i,j] = G[floor(i/2) + 1, floor(j/2) + 1] / 4', why: 'with 1-based indices, rows 1 and 2 of S pool into row ceil(i/2) = 1 of P; floor(i/2) + 1 is the 0-based rule and pairs rows 2 and 3' },
        { label: 'transposed', formula: "kron(G', ones(2, 2)) / 4", why: 'G is N×M like P; transposing it gives a 2M×2N gradient' },
        { label: 'sign', formula: '-kron(G, ones(2, 2)) / 4', why: 'pooling averages with positive weights, so the gradient keeps the sign of G' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dC',
      wrt: 'C',
      description: '∂L/∂C',
      shape: ['2*N', '2*M'],
      closedForms: [
        { formula: DC, style: 'whole-tensor' },
        { formula: `${DS} .* sigmoid(C) .* (1 - sigmoid(C))`, style: 'whole-tensor, σ recomputed from C' },
        { formula: `dC[i,j] = ${DC_AT}`, style: 'index notation' },
        { formula: 'dC_{ij} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil} \\sigma(C_{ij}) (1 - \\sigma(C_{ij}))', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial C_{ij}} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}\\, S_{ij} (1 - S_{ij})',
      mistakes: [
        { label: 'missing-sigma-prime', formula: DS, why: 'S = σ(C) lies between C and the pool: the chain rule multiplies by σ\'(C) = S(1 − S)' },
        { label: 'missing-sigma-prime', formula: `${DS} .* S`, why: 'σ\'(C) is σ(C)(1 − σ(C)), not σ(C)' },
        { label: 'wrong-value', formula: `${DS} .* C .* (1 - C)`, why: 'σ\' = σ(1 − σ) is written in terms of S = σ(C), not of C' },
        { label: 'wrong-pooling-factor', formula: 'kron(G, ones(2, 2)) / 2 .* S .* (1 - S)', why: 'each entry of a 2×2 average receives 1/4 of the gradient, not 1/2' },
        { label: 'sign', formula: `${DS} .* S .* (S - 1)`, why: 'σ\' = S(1 − S) is positive; S(S − 1) flips the sign' },
        { label: 'index-shift', formula: 'dC[i,j] = G[floor(i/2) + 1, floor(j/2) + 1] / 4 * S[i,j] * (1 - S[i,j])', why: 'rows 1 and 2 of C pool into row 1 of P (ceil(i/2)); floor(i/2) + 1 pairs rows 2 and 3' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dK',
      wrt: 'K',
      description: '∂L/∂K',
      shape: ['kh', 'kw'],
      closedForms: [
        { formula: `corr2(X, ${DC}, 'valid')`, style: 'whole-tensor' },
        { formula: `conv2(X, rot90(${DC}, 2), 'valid')`, style: 'whole-tensor, as a convolution with the flipped dC' },
        { formula: `dK[u,v] = sum(X[i+u-1, j+v-1] * ${DC_AT}, i, j)`, style: 'index notation' },
      ],
      latex: '\\frac{\\partial L}{\\partial K_{uv}} = \\sum_{i,j} X_{i+u-1, j+v-1} \\frac{\\partial L}{\\partial C_{ij}}',
      mistakes: [
        { label: 'kernel-not-flipped', formula: `conv2(X, ${DC}, 'valid')`, why: "C correlates X with K, so dK correlates X with dC; conv2 flips dC (it is corr2 with rot90(dC, 2))" },
        { label: 'index-shift', formula: `dK[u,v] = sum(X[i+u, j+v] * ${DC_AT}, i, j)`, why: 'C[i,j] reads X[i+u−1, j+v−1] with 1-based indices; X[i+u, j+v] is one row and column off' },
        { label: 'missing-sigma-prime', formula: `corr2(X, ${DS}, 'valid')`, why: 'the error at C is dS .* σ\'(C), not dS' },
        { label: 'wrong-pooling-factor', formula: "corr2(X, kron(G, ones(2, 2)) .* S .* (1 - S), 'valid')", why: 'the average over four entries gives each a quarter of the gradient' },
        { label: 'transposed', formula: `corr2(X, ${DC}, 'valid')'`, why: 'dK has the shape of K (kh×kw); its transpose is kw×kh' },
        { label: 'sign', formula: `-corr2(X, ${DC}, 'valid')`, why: 'every factor of the chain (pool weights, σ\', X) enters with its own sign; none is negated' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'pool-2x2',
      description: 'a 3×3 image, a 2×2 kernel, one pooled output',
      dims: { N: 1, M: 1, kh: 2, kw: 2 },
      inputs: {
        X: [[1, 0, -1], [2, 1, 0], [0, -1, 1]],
        K: [[0.5, -0.5], [0.25, 1]],
        G: [[2]],
      },
      lr: 0.1,
    },
  ],
};
