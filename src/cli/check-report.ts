import { counterexampleReport, formatWrongEntries } from '../problem/explain.js';
import { type SearchResult, searchStatus } from '../problem/verify.js';
import { colors, formatError, printLine } from './output.js';

export interface CheckResult {
  readonly target: string;
  readonly readAs: string;
  readonly seed: number;
  readonly found: SearchResult;
}

const VERDICTS = { pass: 'correct', fail: 'incorrect', undecided: 'undecided' } as const;

/** The verdict word: non-differentiable when every sample sat on a kink, else searchStatus in words. */
function verdictOf(found: SearchResult): 'correct' | 'incorrect' | 'undecided' | 'non-differentiable' {
  const status = searchStatus(found);
  if (status === 'undecided' && found.passed === 0 && found.undecided === 0 && found.nonDifferentiable > 0) return 'non-differentiable';
  return VERDICTS[status];
}

function messageOf(r: CheckResult): string {
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

export function renderCheckText(r: CheckResult, quiet: boolean): void {
  const verdict = verdictOf(r.found);
  const mark = verdict === 'correct' ? colors.green('✓ correct') : verdict === 'incorrect' ? colors.red('✗ incorrect') : colors.yellow(`? ${verdict}`);
  if (!quiet) printLine(`read as: ${r.readAs}`);
  printLine(`${mark}: ${messageOf(r)}`);
  const ce = r.found.counterexample ? counterexampleReport(r.target, r.found.counterexample) : undefined;
  if (ce && !quiet) {
    if (ce.mistake) printLine(`looks like: ${ce.mistake}`);
    printLine(`smallest counterexample: ${Object.entries(ce.dims).map(([k, v]) => `${k}=${v}`).join(', ') || 'no dimensions'}, input seed ${ce.seed}`);
    for (const line of formatWrongEntries(ce.worst)) printLine(`  ${line}`);
    for (const [name, t] of Object.entries(ce.inputs ?? {})) printLine(`  ${name} = ${JSON.stringify(t.toNested())}`);
  }
  if (!quiet && verdict === 'correct') printLine(`max rel err ${formatError(r.found.maxRelError)}`);
  printLine(`seed ${r.seed} (repeat with --seed ${r.seed})`);
}
