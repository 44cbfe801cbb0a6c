import { spawnSync } from 'node:child_process';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { problems } from '../../problems/index.js';
import type { LossRequest } from '../../web/engine/protocol.js';
import { runCheck } from '../../web/engine/run.js';
import { MAX_RUNS, type PageState, SEED_RANGE, commandOf, queryOf, requestOf, stateFromUrl } from '../../web/app/url-state.js';
import { CLI } from '../cli/run-cli.js';

/** The playground's state and its URL (web/app/url-state.ts); the command it shows repeats its check. */
const text = fc.string({ unit: 'grapheme', maxLength: 24 });
const entries = fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 4 });

const state: fc.Arbitrary<PageState> = fc.record(
  {
    mode: fc.constantFrom('loss' as const, 'problem' as const),
    loss: text,
    wrt: text,
    grad: text,
    latex: fc.boolean(),
    shape: entries,
    dims: entries,
    domain: entries,
    lets: entries,
    problem: text,
    target: text,
    seed: fc.integer({ min: 0, max: SEED_RANGE - 1 }),
    runs: fc.integer({ min: 1, max: MAX_RUNS }),
  },
  { requiredKeys: ['mode', 'loss', 'wrt', 'grad', 'latex', 'shape', 'dims', 'domain', 'lets', 'problem', 'target'] },
);

/** What a URL keeps of a state: the fields of its mode. */
function kept(s: PageState): PageState {
  const other = s.mode === 'loss' ? { problem: '', target: '' } : { loss: '', wrt: '', shape: [], dims: [], domain: [], lets: [] };
  return { ...s, ...other };
}

describe('the URL of the page', () => {
  test.prop([state])('holds the whole state of its mode: reading the URL back gives the same state', (s) => {
    expect(stateFromUrl(queryOf(s))).toEqual(kept(s));
  });

  test('reads the documented format', () => {
    const s = stateFromUrl("?loss=0.5*sum((X*W-T).%5E2)&wrt=W&grad=X'*(X*W-T)&shape=X=NxD&shape=W=DxM&shape=T=NxM&seed=7&latex=1");
    expect(s).toEqual({ mode: 'loss', loss: '0.5*sum((X*W-T).^2)', wrt: 'W', grad: "X'*(X*W-T)", latex: true, shape: ['X=NxD', 'W=DxM', 'T=NxM'], dims: [], domain: [], lets: [], problem: '', target: '', seed: 7 });
    expect(stateFromUrl('?problem=dense-batch&target=dW&grad=dY').mode).toBe('problem');
  });

  test.each(['-1', '1.5', 'x', String(SEED_RANGE)])('a seed of %s is not a seed: the page picks one', (seed) => {
    expect(stateFromUrl(`?seed=${seed}`).seed).toBeUndefined();
  });

  test.each(['0', String(MAX_RUNS + 1), 'all'])('samples of %s are not a sample count: the default holds', (runs) => {
    expect(stateFromUrl(`?runs=${runs}`).runs).toBeUndefined();
  });
});

describe('the command the page shows', () => {
  test.each([
    ['a right gradient', "X' * (X*W - T)"],
    ['a gradient that starts with a minus and holds quotes', "-X' * (X*W - T)"],
  ])('%s: repeats the check on the command line, with the same verdict and message', (_, grad) => {
    const s: PageState = { ...stateFromUrl(''), loss: "0.5*sum((X*W - T).^2)", wrt: 'W', grad, shape: ['X=NxD', 'W=DxM', 'T=NxM'], runs: 10 };
    const view = runCheck(requestOf(s, 9) as LossRequest, problems, () => undefined);
    const command = commandOf(s, 9).replace(/^derivcheck /, `'${process.execPath}' '${CLI}' `);
    const run = spawnSync('sh', ['-c', `${command} --json`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const cli = JSON.parse(run.stdout) as { verdict: string; message: string };
    expect({ verdict: cli.verdict, message: cli.message }).toEqual({ verdict: view.finding.status, message: view.finding.message });
  });
});

describe('the command the page shows for a dropped question file', () => {
  test('names the file with --questions, quoted for the shell', () => {
    const s: PageState = { ...stateFromUrl(''), mode: 'problem', problem: 'tanh-regression', target: 'dv', grad: "H' * E" };
    expect(commandOf(s, 5, "Ann's q.yaml")).toBe(`derivcheck grade answers.yaml --questions 'Ann'\\''s q.yaml' --seed 5   # answers.yaml: answers: [{ problem: tanh-regression, target: dv, formula: "H' * E" }]`);
    expect(commandOf(s, 5)).not.toContain('--questions');
  });
});
