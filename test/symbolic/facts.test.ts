import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { type FactReport, derivationLatex, proveFact, proveTarget, symbolicFactFor, symbolicFacts, symbolicLemmas } from '../../src/symbolic/index.js';

const SEED = 7;
const reports = new Map<string, FactReport>();

function reportOf(problem: string | null, target: string): FactReport {
  const key = `${problem}/${target}`;
  let report = reports.get(key);
  if (!report) {
    const fact = symbolicFacts.find((f) => f.problem === problem && f.target === target)!;
    report = proveFact(fact, { seed: SEED });
    reports.set(key, report);
  }
  return report;
}

describe('the registered facts', () => {
  test.each(symbolicFacts.map((f) => [f.problem ?? 'lemma', f.target, f] as const))('%s / %s is proven', (_p, _t, fact) => {
    const report = reportOf(fact.problem, fact.target);
    const unmet = report.obligations.filter((o) => !o.met).map((o) => `${o.name}: ${o.summary}`);
    expect(unmet).toEqual([]);
    expect(report.status).toBe('proven');
    for (const o of report.obligations.filter((x) => x.expect === 'holds')) expect(o.decidedBy).toBe('symbolic');
  });

  test('softmax-CE covers K = 2..5 and every class: 3 obligations per (K, i)', () => {
    const names = reportOf('softmax-ce', 'dz').obligations.map((o) => o.name);
    expect(names).toHaveLength(3 * (2 + 3 + 4 + 5));
    expect(names).toContain('dz5, K = 5, given sum p = 1');
  });

  test('without Σ p = 1, softmax − p is refuted at a point where the error is softmax_i·(Σ p − 1), computed here', () => {
    const refuted = reportOf('softmax-ce', 'dz').obligations.filter((o) => o.expect === 'fails');
    expect(refuted).toHaveLength(14);
    for (const o of refuted) {
      expect(o.status).toBe('refuted');
      const [, i, K] = /^dz(\d), K = (\d)/.exec(o.name)!.map(Number) as [number, number, number];
      const point = o.counterexample!.point;
      const z = Array.from({ length: K }, (_, j) => point[`z${j + 1}`]!);
      const p = Array.from({ length: K }, (_, j) => point[`p${j + 1}`]!);
      const partition = z.reduce((s, zj) => s + Math.exp(zj), 0);
      const softmax = Math.exp(z[i - 1]!) / partition;
      const sumP = p.reduce((s, pj) => s + pj, 0);
      // reference = true gradient softmax_i Σp − p_i, claim = softmax_i − p_i.
      expect(o.counterexample!.difference).toBeCloseTo(softmax * (sumP - 1), 12);
      expect(o.counterexample!.claim).toBeCloseTo(softmax - p[i - 1]!, 12);
    }
  });

  test('critical_w is found by solving ratio(0, 0) = 1 with nerdamer, through w/4', () => {
    const o = reportOf('rnn-ratio', 'critical_w').obligations[0]!;
    expect(o.summary).toContain('single root w = 4');
    expect(o.steps.map((s) => s.text)).toContain('w / 4');
    expect(o.steps.at(-1)).toMatchObject({ label: 'root', engine: 'nerdamer.solve', text: '4' });
  });

  test('every derivation step renders as LaTeX (KaTeX parses it)', () => {
    for (const fact of symbolicFacts) {
      for (const o of reportOf(fact.problem, fact.target).obligations) {
        expect(() => katex.renderToString(derivationLatex(o.steps), { throwOnError: true, displayMode: true }), `${fact.target}: ${o.name}`).not.toThrow();
      }
    }
  });

  test('verify can ask per target: proven for a covered target, n/a otherwise', () => {
    expect(proveTarget('rnn-ratio', 'ratio', { seed: SEED }).status).toBe('proven');
    expect(proveTarget('dense-batch', 'dX')).toEqual({ problem: 'dense-batch', target: 'dX', status: 'n/a', report: null });
    expect(symbolicFactFor('softmax-ce', 'dz')?.target).toBe('dz');
    expect(symbolicLemmas.map((l) => l.target)).toEqual(['sigmoid-prime', 'tanh-prime']);
  });

  test('every fact names a problem module and a target that exist (ids stay aligned with problems/)', () => {
    for (const fact of symbolicFacts.filter((f) => f.problem !== null)) {
      const problem = problems.find((p) => p.id === fact.problem);
      expect(problem, fact.problem!).toBeDefined();
      expect(problem!.targets.map((t) => t.name), `${fact.problem}`).toContain(fact.target);
    }
  });

  test('keys are unique: one fact per (problem, target)', () => {
    const keys = symbolicFacts.map((f) => `${f.problem}/${f.target}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('the same seed gives the same report', () => {
    const fact = symbolicFactFor('logistic-layer', 'dx')!;
    const strip = (r: FactReport) => ({ ...r, elapsedMs: 0 });
    expect(strip(proveFact(fact, { seed: 3 }))).toEqual(strip(proveFact(fact, { seed: 3 })));
  });
});
