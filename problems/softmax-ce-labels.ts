/**
 * Softmax cross-entropy with integer labels, columns are samples (course-notes layout): z K×B logits,
 * c B labels in 1..K, L = (1/B) Σ_b −log softmax(z[:,b])[c_b]. dz = (softmax(z, 1) − onehot(c, K)ᵀ) / B.
 */
import { Graph } from '../src/fd/graph.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import type { Problem } from '../src/problem/types.js';
import { onehot } from '../src/tensor/construct.js';
import { softmaxCrossEntropyNodes } from './softmax-ce.js';

export const softmaxCeLabels: Problem = {
  id: 'softmax-ce-labels',
  title: 'Softmax cross-entropy with labels, columns are samples, mean over the batch',
  statement: 'L = (1/B) Σ_b −log softmax(z[:,b])[c_b] with z K×B logits and c B labels in 1..K; derive dz.',

  dims: { names: ['K', 'B'], arbitrary: dimsArbitrary(['K', 'B']) },

  inputs: [
    { name: 'z', shape: ['K', 'B'], domain: { kind: 'normal' }, role: 'data', description: 'logits, one column per sample' },
    { name: 'c', shape: ['B'], domain: { kind: 'labels', classes: 'K' }, role: 'data', description: 'the class of each sample, 1..K' },
  ],
  classAxis: 1,
  intermediates: [{ name: 's', shape: ['K', 'B'], description: 'the predicted distributions softmax(z, 1), one column per sample' }],

  // The labels become a K×B one-hot matrix T (column b is e_{c_b}), so that −log s[c_b, b] = −Σ_k T[k,b] log s[k,b].
  forward: (dims) =>
    new Graph({
      inputs: ['z', 'c'],
      nodes: [{ name: 'T', args: ['c'], op: (c) => onehot(c!, dims['K']!, 0) }, ...softmaxCrossEntropyNodes('z', 'T', 0, 1 / dims['B']!)],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dz',
      wrt: 'z',
      description: '∂L/∂z',
      shape: ['K', 'B'],
      closedForms: [
        { formula: "(softmax(z, 1) - onehot(c, K)') / B", style: 'whole-tensor' },
        { formula: "(s - onehot(c, K)') / B", style: 'whole-tensor, named softmax' },
        { formula: 'dz[k,b] = (exp(z[k,b]) / sum(exp(z[j,b]), j) - delta(k, c[b])) / B', style: 'index notation' },
        { formula: "\\frac{1}{B} \\left( \\operatorname{softmax}(z, 1) - \\operatorname{onehot}(c, K)^{\\top} \\right)", syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial z_{kb}} = \\frac{1}{B} \\left( \\operatorname{softmax}(z_{:,b})_k - \\delta_{k c_b} \\right)',
      mistakes: [
        { label: 'mean-vs-sum', formula: "softmax(z, 1) - onehot(c, K)'", why: 'L is the mean over the B samples, so every column carries a factor 1/B' },
        { label: 'wrong-value', formula: "(softmax(z, 2) - onehot(c, K)') / B", why: 'samples are columns: softmax normalises each column (dim 1), not each row' },
        { label: 'missing-term', formula: 'softmax(z, 1) / B', why: 'the one-hot of the label (from −z[c_b, b] in the loss) is not subtracted' },
        { label: 'sign', formula: "(onehot(c, K)' - softmax(z, 1)) / B", why: 'raising the logit of the true class lowers the loss: dz = (s − y)/B, not (y − s)/B' },
        { label: 'transposed', formula: '(softmax(z, 1) - onehot(c, K)) / B', why: 'onehot(c, K) is B×K (one row per sample); the columns-are-samples layout needs its transpose' },
        { label: 'index-shift', formula: 'dz[k,b] = (exp(z[k,b]) / sum(exp(z[j,b]), j) - delta(k + 1, c[b])) / B', why: 'the hot entry of column b is row c_b, not row c_b − 1 (an off-by-one between 0- and 1-based labels)' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'softmax-ce-labels-3x2',
      description: 'three classes, two samples (columns) labelled 1 and 3',
      dims: { K: 3, B: 2 },
      inputs: {
        z: [[2, 0], [1, 1], [0, 3]],
        c: [1, 3],
      },
    },
  ],
};
