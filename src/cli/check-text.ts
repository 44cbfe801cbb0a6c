import { counterexampleReport, formatWrongEntries } from '../problem/explain.js';
import { type CheckResult, messageOf, verdictOf } from './check-report.js';
import { colors, formatError, printLine } from './output.js';

/** `derivcheck check`'s result for a terminal: the reading, the verdict and its evidence, the seed. */
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
