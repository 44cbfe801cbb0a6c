/**
 * The result of `derivcheck check` as data: the verdict word, the message and the JSON of --json.
 * Plain functions of library types only, so the browser playground (web/) shows the same verdict and
 * message; the terminal rendering is check-text.ts.
 */
import { counterexampleReport } from '../problem/explain.js';
import { type SearchResult, searchStatus } from '../problem/verify.js';

export interface CheckResult {
  readonly target: string;
  readonly readAs: string;
  readonly seed: number;
  readonly found: SearchResult;
}

const VERDICTS = { pass: 'correct', fail: 'incorrect', undecided: 'undecided' } as const;

/** The verdict word: non-differentiable when every sample sat on a kink, else searchStatus in words. */
export function verdictOf(found: SearchResult): 'correct' | 'incorrect' | 'undecided' | 'non-differentiable' {
  const status = searchStatus(found);
  if (status === 'undecided' && found.passed === 0 && found.undecided === 0 && found.nonDifferentiable > 0) return 'non-differentiable';
  return VERDICTS[status];
}

export function messageOf(r: CheckResult): string {
  const f = r.found;
  switch (verdictOf(f)) {
    case 'correct':
      return `agrees with finite differences on ${f.passed} samples${f.nonDifferentiable ? ` (${f.nonDifferentiable} on a kink, skipped)` : ''}`;
    case 'incorrect': {
      const ce = f.counterexample!;
      const v = ce.check?.verdict;
      const where = Object.entries(ce.dims).map(([k, n]) => `${k}=${n}`).join(', ') || 'scalars';
      return v ? `differs from finite differences at ${where}: ${v.overBudget} of ${v.checked} entries over their error budget` : ce.message;
    }
    case 'non-differentiable':
      return `every sample put a kink of the loss within the finite-difference step (${f.nonDifferentiable} samples); draw inputs away from it (--domain NAME=awayFromZero)`;
    case 'undecided':
      if (f.nonFinite > 0) return `the loss is NaN or infinite at ${f.nonFinite} of ${f.samples} samples: the inputs lie outside its domain; declare one (--domain x=positive for log or sqrt, --domain p=simplex, ...)`;
      return `no sample disagreed, but ${f.undecided} of ${f.samples} could not be decided (finite-difference error bars too wide) and ${f.nonDifferentiable} sat on a kink`;
  }
}

/** The JSON of `derivcheck check --json` (docs/cli.md). */
export function checkJson(r: CheckResult) {
  const ce = r.found.counterexample ? counterexampleReport(r.target, r.found.counterexample) : undefined;
  return {
    verdict: verdictOf(r.found),
    readAs: r.readAs,
    seed: r.seed,
    runs: r.found.samples,
    maxRelErr: r.found.counterexample?.check?.verdict.maxRelError ?? r.found.maxRelError,
    worst: ce?.worst ?? [],
    ...(ce?.mistake ? { mistake: ce.mistake } : {}),
    ...(ce ? { counterexample: ce } : {}),
    message: messageOf(r),
  };
}
