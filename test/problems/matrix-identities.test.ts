import { describe, expect, test } from 'vitest';
import { type AdHocSpec, adHocProblem } from '../../src/question/adhoc.js';
import type { FindingStatus } from '../../src/problem/finding.js';
import { judgeText } from '../../src/problem/judge.js';
import { TruthCache } from '../../src/problem/truth-cache.js';

/**
 * The standard identities of matrix calculus (Matrix Cookbook §2), checked as `derivcheck check` checks
 * them: the right form passes on every random sample; the usual mistakes (X⁻¹ for X⁻ᵀ, a missing det
 * factor, a missing transpose, a sign, a swapped gate) are rejected, by a counterexample or as
 * shape-invalid. Then LSTM and GRU cells with stacked gate weights, through concatenation and slicing.
 */

/** Samples per formula: the mistakes below fail on (almost) every sample, the right forms pass on all. */
const RUNS = 12;
const SEED = 2718;

type Outcome = 'pass' | 'fail' | 'undecided' | 'invalid';

/** The verdict of `check` for a claimed gradient; the truths are shared by the formulas of one loss. */
function checker(spec: Omit<AdHocSpec, 'grad'>): (grad: string) => Outcome {
  const truths = new TruthCache();
  const outcomes: Readonly<Record<FindingStatus, Outcome>> = { correct: 'pass', incorrect: 'fail', invalid: 'invalid', undecided: 'undecided', 'non-differentiable': 'undecided' };
  return (grad) => {
    const { problem, target } = adHocProblem({ ...spec, grad });
    return outcomes[judgeText(problem, target, grad, 'formula', { runs: RUNS, fcSeed: SEED, truths }).finding.status];
  };
}

interface Identity {
  readonly name: string;
  readonly spec: Omit<AdHocSpec, 'grad'>;
  readonly right: readonly string[];
  readonly mistakes: readonly (readonly [string, string])[];
}

const SMALL = { N: [1, 4], M: [1, 3] } as const;

const IDENTITIES: readonly Identity[] = [
  {
    name: '∂ log|det X| = X⁻ᵀ',
    spec: { loss: 'logdet(X)', wrt: 'X', shapes: { X: ['N', 'N'] }, dimRanges: { N: [2, 4] } },
    right: ["inv(X)'", "inv(X')"],
    mistakes: [
      ['X⁻¹ for X⁻ᵀ', 'inv(X)'],
      ['sign', "-inv(X)'"],
      ['missing inverse', "X'"],
    ],
  },
  {
    name: '∂ det X = det(X) X⁻ᵀ',
    spec: { loss: 'det(X)', wrt: 'X', shapes: { X: ['N', 'N'] }, dimRanges: { N: [2, 4] } },
    right: ["det(X) * inv(X)'", "det(X) * (X' \\ eye(N))"],
    mistakes: [
      ['missing det factor', "inv(X)'"],
      ['X⁻¹ for X⁻ᵀ', 'det(X) * inv(X)'],
      ['sign', "-det(X) * inv(X)'"],
    ],
  },
  {
    name: '∂ tr(A X⁻¹ B) = −X⁻ᵀ Aᵀ Bᵀ X⁻ᵀ',
    spec: { loss: 'trace(A * inv(X) * B)', wrt: 'X', shapes: { A: ['P', 'N'], X: ['N', 'N'], B: ['N', 'P'] }, dimRanges: { N: [2, 4], P: [1, 3] } },
    right: ["-inv(X)' * A' * B' * inv(X)'", "-(X' \\ (A' * B')) * inv(X)'"],
    mistakes: [
      ['X⁻¹ for X⁻ᵀ', "-inv(X) * A' * B' * inv(X)"],
      ['sign', "inv(X)' * A' * B' * inv(X)'"],
      ['missing transpose', "-inv(X)' * B * A * inv(X)'"],
    ],
  },
  {
    name: '∂ aᵀ X⁻¹ b = −X⁻ᵀ a bᵀ X⁻ᵀ',
    spec: { loss: "a' * inv(X) * b", wrt: 'X', shapes: { a: ['N', 1], X: ['N', 'N'], b: ['N', 1] }, dimRanges: { N: [2, 4] } },
    right: ["-inv(X)' * a * b' * inv(X)'", "-(X' \\ a) * (X \\ b)'"],
    mistakes: [
      ['X⁻¹ for X⁻ᵀ', "-inv(X) * a * b' * inv(X)"],
      ['a and b swapped (a missing transpose of the whole)', "-inv(X)' * b * a' * inv(X)'"],
      ['sign', "inv(X)' * a * b' * inv(X)'"],
    ],
  },
  {
    name: '∂ ‖C A⁻¹ b − d‖² through solve, with respect to b',
    spec: { loss: 'sum((C * (A \\ b) - d).^2)', wrt: 'b', shapes: { A: ['N', 'N'], b: ['N', 1], C: ['M', 'N'], d: ['M', 1] }, dimRanges: SMALL },
    right: ["A' \\ (2 * C' * (C * (A \\ b) - d))", "2 * inv(A)' * C' * (C * solve(A, b) - d)"],
    mistakes: [
      ['missing transpose', "A \\ (2 * C' * (C * (A \\ b) - d))"],
      ['factor 2', "A' \\ (C' * (C * (A \\ b) - d))"],
      ['sign', "-(A' \\ (2 * C' * (C * (A \\ b) - d)))"],
    ],
  },
  {
    name: '∂ ‖C A⁻¹ b − d‖² through solve, with respect to A',
    spec: { loss: 'sum((C * (A \\ b) - d).^2)', wrt: 'A', shapes: { A: ['N', 'N'], b: ['N', 1], C: ['M', 'N'], d: ['M', 1] }, dimRanges: SMALL },
    right: ["-(A' \\ (2 * C' * (C * (A \\ b) - d))) * (A \\ b)'"],
    mistakes: [
      ['missing transpose', "-(A' \\ (2 * C' * (C * (A \\ b) - d))) * (A \\ b)"],
      ['X⁻¹ for X⁻ᵀ', "-(A \\ (2 * C' * (C * (A \\ b) - d))) * (A \\ b)'"],
      ['sign', "(A' \\ (2 * C' * (C * (A \\ b) - d))) * (A \\ b)'"],
    ],
  },
];

describe('matrix calculus identities through check', () => {
  test.each(IDENTITIES)('$name: the right forms pass and the usual mistakes are rejected', ({ spec, right, mistakes }) => {
    const outcome = checker(spec);
    for (const grad of right) expect(outcome(grad), grad).toBe('pass');
    for (const [why, grad] of mistakes) expect(['fail', 'invalid'], `${why}: ${grad}`).toContain(outcome(grad));
  });
});

/**
 * An LSTM cell with the four gates' weights stacked in one W (4H×(H+D)): Z = [h, x] Wᵀ + b, gates
 * i, f, o, g are the four H-column slices of Z, c2 = f ⊙ c + i ⊙ g, h2 = o ⊙ tanh(c2). The loss is
 * Σ dh ⊙ h2 + Σ dc ⊙ c2 (upstream gradients), and the claimed dW = dZᵀ [h, x], all written inline.
 */
describe('LSTM and GRU cells with stacked weights, through concatenation and slicing', () => {
  const dims = { N: [1, 3], H: [1, 3], D: [1, 3] } as const;
  const Z = "([h, x] * W' + b)";
  const slice = (k: number) => `${Z}[:, ${k}*H+1:${k + 1}*H]`;
  const [i, f, o, g] = [`sigmoid(${slice(0)})`, `sigmoid(${slice(1)})`, `sigmoid(${slice(2)})`, `tanh(${slice(3)})`];
  const c2 = `(${f} .* c + ${i} .* ${g})`;
  const lstmLoss = `sum(dh .* ${o} .* tanh(${c2})) + sum(dc .* ${c2})`;
  const dc2 = `(dc + dh .* ${o} .* (1 - tanh(${c2}).^2))`;
  const gates = {
    i: `${dc2} .* ${g} .* ${i} .* (1 - ${i})`,
    f: `${dc2} .* c .* ${f} .* (1 - ${f})`,
    o: `dh .* tanh(${c2}) .* ${o} .* (1 - ${o})`,
    g: `${dc2} .* ${i} .* (1 - ${g}.^2)`,
  };
  const lstm = checker({
    loss: lstmLoss,
    wrt: 'W',
    shapes: { h: ['N', 'H'], x: ['N', 'D'], c: ['N', 'H'], W: ['4*H', 'H+D'], b: [1, '4*H'], dh: ['N', 'H'], dc: ['N', 'H'] },
    dimRanges: dims,
  });

  test('LSTM: dW = [di, df, do, dg]ᵀ [h, x] passes; swapped gates, a missing tanh′ and a transpose are rejected', () => {
    expect(lstm(`[${gates.i}, ${gates.f}, ${gates.o}, ${gates.g}]' * [h, x]`)).toBe('pass');
    expect(['fail', 'invalid']).toContain(lstm(`[${gates.f}, ${gates.i}, ${gates.o}, ${gates.g}]' * [h, x]`));
    expect(['fail', 'invalid']).toContain(lstm(`[${gates.i}, ${gates.f}, ${gates.o}, ${gates.g.replace(` .* (1 - ${g}.^2)`, '')}]' * [h, x]`));
    expect(['fail', 'invalid']).toContain(lstm(`[h, x]' * [${gates.i}, ${gates.f}, ${gates.o}, ${gates.g}]`));
  });

  // GRU: update and reset gates stacked in Wzr (2H×(H+D)); candidate ĥ = tanh([r ⊙ h, x] Whᵀ + bh); h2 = (1 − z) ⊙ h + z ⊙ ĥ.
  const A = "([h, x] * Wzr' + bzr)";
  const z = `sigmoid(${A}[:, 1:H])`;
  const r = `sigmoid(${A}[:, H+1:2*H])`;
  const cand = `tanh([${r} .* h, x] * Wh' + bh)`;
  const gruLoss = `sum(dh .* ((1 - ${z}) .* h + ${z} .* ${cand}))`;
  const dpre = `(dh .* ${z} .* (1 - ${cand}.^2))`;
  const dr = `(${dpre} * Wh)[:, 1:H] .* h`;
  const dz = `dh .* (${cand} - h)`;
  const gru = checker({
    loss: gruLoss,
    wrt: 'Wzr',
    shapes: { h: ['N', 'H'], x: ['N', 'D'], Wzr: ['2*H', 'H+D'], bzr: [1, '2*H'], Wh: ['H', 'H+D'], bh: [1, 'H'], dh: ['N', 'H'] },
    dimRanges: dims,
  });

  test('GRU: dWzr = [dz ⊙ σ′, dr ⊙ σ′]ᵀ [h, x] passes; the gates swapped and the wrong slice are rejected', () => {
    expect(gru(`[${dz} .* ${z} .* (1 - ${z}), ${dr} .* ${r} .* (1 - ${r})]' * [h, x]`)).toBe('pass');
    expect(['fail', 'invalid']).toContain(gru(`[${dr} .* ${r} .* (1 - ${r}), ${dz} .* ${z} .* (1 - ${z})]' * [h, x]`));
    expect(['fail', 'invalid']).toContain(gru(`[${dz} .* ${z} .* (1 - ${z}), ${dr.replace('[:, 1:H]', '[:, D+1:D+H]')} .* ${r} .* (1 - ${r})]' * [h, x]`));
  });
});
