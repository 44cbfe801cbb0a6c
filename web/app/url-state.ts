/**
 * The page's state and its URL: `?loss=...&wrt=...&grad=...&shape=X=NxD&shape=W=DxM&seed=7`, `&latex=1`,
 * `&domain=...`, `&dims=...`, `&let=...`, `&runs=...`, or `?problem=dense-batch&target=dW&grad=...`
 * for a built-in problem (docs/web.md). A link holds a whole check, so opening it reproduces it.
 */
import type { CheckRequest, LossRequest, ProblemRequest } from '../engine/protocol.js';

/** The page's fields: those of both kinds of request (the engine's protocol), which of them, and the syntax as a box. */
export interface PageState extends Omit<LossRequest, 'kind' | 'syntax' | 'seed' | 'runs'>, Pick<ProblemRequest, 'problem' | 'target'> {
  readonly mode: CheckRequest['kind'];
  readonly latex: boolean;
  /** Absent until the page picks one (a random seed, then kept in the URL). */
  readonly seed?: number;
  /** Absent: the command's default (100 for a loss, 16 per answer for a problem). */
  readonly runs?: number;
}

/** Largest sample count the page accepts: 100 samples take seconds, 10,000 minutes. */
export const MAX_RUNS = 10_000;

/** Seeds are drawn from [0, 2³¹), as the CLI draws them. */
export const SEED_RANGE = 2 ** 31;

function wholeNumber(text: string | null, min: number, max: number): number | undefined {
  if (text === null || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

export function stateFromUrl(search: string): PageState {
  const q = new URLSearchParams(search);
  const seed = wholeNumber(q.get('seed'), 0, SEED_RANGE - 1);
  const runs = wholeNumber(q.get('runs'), 1, MAX_RUNS);
  return {
    mode: q.has('problem') ? 'problem' : 'loss',
    loss: q.get('loss') ?? '',
    wrt: q.get('wrt') ?? '',
    grad: q.get('grad') ?? '',
    latex: q.get('latex') === '1',
    shape: q.getAll('shape'),
    dims: q.getAll('dims'),
    domain: q.getAll('domain'),
    lets: q.getAll('let'),
    problem: q.get('problem') ?? '',
    target: q.get('target') ?? '',
    ...(seed !== undefined ? { seed } : {}),
    ...(runs !== undefined ? { runs } : {}),
  };
}

/** The query string of a state: only the fields of its mode, and only those that are set. */
export function queryOf(state: PageState): string {
  const q = new URLSearchParams();
  if (state.mode === 'problem') {
    q.set('problem', state.problem);
    q.set('target', state.target);
  } else {
    q.set('loss', state.loss);
    q.set('wrt', state.wrt);
  }
  q.set('grad', state.grad);
  if (state.mode === 'loss') {
    for (const s of state.shape) q.append('shape', s);
    for (const d of state.domain) q.append('domain', d);
    for (const d of state.dims) q.append('dims', d);
    for (const l of state.lets) q.append('let', l);
  }
  if (state.latex) q.set('latex', '1');
  if (state.seed !== undefined) q.set('seed', String(state.seed));
  if (state.runs !== undefined) q.set('runs', String(state.runs));
  return `?${q.toString()}`;
}

/** Whether the state holds a check to run: a gradient, and a loss and inputs or a problem and target. */
export function isComplete(state: PageState): boolean {
  if (state.grad.trim() === '') return false;
  return state.mode === 'problem' ? state.problem !== '' && state.target !== '' : state.loss.trim() !== '' && state.wrt.trim() !== '' && state.shape.length > 0;
}

export function requestOf(state: PageState, seed: number): CheckRequest {
  const common = { grad: state.grad, syntax: state.latex ? ('latex' as const) : ('formula' as const), seed, ...(state.runs !== undefined ? { runs: state.runs } : {}) };
  if (state.mode === 'problem') return { kind: 'problem', problem: state.problem, target: state.target, ...common };
  return { kind: 'loss', loss: state.loss, wrt: state.wrt.trim(), shape: state.shape, dims: state.dims, domain: state.domain, lets: state.lets, ...common };
}

/**
 * The CLI command that repeats the check: `derivcheck check --loss ... --seed 7`, or `derivcheck grade`
 * for a problem (with `--questions FILE` for a question file dropped on the page, `questionFile`).
 */
export function commandOf(state: PageState, seed: number, questionFile?: string): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const runs = state.runs !== undefined ? ` --runs ${state.runs}` : '';
  if (state.mode === 'problem') {
    const key = state.latex ? 'latex' : 'formula';
    const questions = questionFile !== undefined ? ` --questions ${quote(questionFile)}` : '';
    return `derivcheck grade answers.yaml${questions} --seed ${seed}${runs}   # answers.yaml: answers: [{ problem: ${state.problem}, target: ${state.target}, ${key}: ${JSON.stringify(state.grad)} }]`;
  }
  // --option=value: a formula that starts with '-' would read as an option of its own.
  const parts = ['derivcheck check', `--loss=${quote(state.loss)}`, `--wrt=${quote(state.wrt.trim())}`, `--grad=${quote(state.grad)}`];
  if (state.latex) parts.push('--latex');
  for (const s of state.shape) parts.push(`--shape=${quote(s)}`);
  for (const d of state.domain) parts.push(`--domain=${quote(d)}`);
  for (const d of state.dims) parts.push(`--dims=${quote(d)}`);
  parts.push(`--seed ${seed}${runs}`);
  return parts.join(' ');
}
