import { type Finding, type FindingStatus, findingJson } from '../problem/finding.js';
import { colors, formatError, printLine } from './output.js';

export interface CheckResult {
  readonly finding: Finding;
  readonly seed: number;
  readonly runs: number;
}

/** ✓ correct, ✗ incorrect / invalid, ? undecided, ~ non-differentiable: coloured when stdout is a terminal. */
export function statusMark(status: FindingStatus): string {
  if (status === 'correct') return colors.green('✓ correct');
  if (status === 'incorrect' || status === 'invalid') return colors.red(`✗ ${status}`);
  return colors.yellow(`${status === 'undecided' ? '?' : '~'} ${status}`);
}

/** The JSON of `derivcheck check --json` (docs/cli.md): the Finding, with the run's seed and sample count. */
export function checkJson(r: CheckResult) {
  return { ...findingJson(r.finding), seed: r.seed, runs: r.runs };
}

export function renderCheckText(r: CheckResult, quiet: boolean): void {
  const f = r.finding;
  if (!quiet && f.readAs !== undefined) printLine(`read as: ${f.readAs}`);
  printLine(`${statusMark(f.status)}${f.reason && f.status !== 'incorrect' ? ` (${f.reason})` : ''}: ${f.message}`);
  if (!quiet) {
    for (const [name, value] of Object.entries(f.evidence?.inputs ?? {})) printLine(`  ${name} = ${JSON.stringify(value)}`);
    if (f.status === 'correct') printLine(`max rel err ${formatError(f.maxRelError)}`);
  }
  printLine(`seed ${r.seed} (repeat with --seed ${r.seed})`);
}
