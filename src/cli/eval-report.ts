import type { EvalReport, FormulaEvaluation, TargetEvaluation } from '../problem/evaluate.js';
import { entryName, multiIndex } from '../fd/verdict.js';
import { findingJson } from '../problem/finding.js';
import { formatDistinct, formatNumber } from '../problem/numbers.js';
import { formatShape } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { statusMark } from './check-report.js';
import { colors, formatError, printLine } from './output.js';

/** Entries listed per target in text output; --json carries all of them. */
const MAX_ROWS = 24;

function formulaLine(label: string, e: FormulaEvaluation): string {
  const f = e.finding;
  if (f.maxAbsError === undefined) return `  ${label}: ${f.readAs ?? e.text}\n    ${statusMark(f.status)}: ${f.message.split('\n').join('\n    ')}`;
  const looks = f.mistake ? `; looks like: ${f.mistake.description}` : '';
  return `  ${label}: ${f.readAs}  ${statusMark(f.status)} (max abs err ${formatError(f.maxAbsError)}, max rel err ${formatError(f.maxRelError)}${looks})`;
}

function renderTarget(t: TargetEvaluation): void {
  printLine(colors.bold(`${t.name} (${formatShape(t.shape)})`));
  printLine(formulaLine('closed form', t.closedForm));
  if (t.formula) printLine(formulaLine('your formula', t.formula));
  const columns: [string, Tensor | undefined][] = [['closed form', t.closedForm.value], ...(t.formula ? [['yours', t.formula.value] as [string, Tensor | undefined]] : [])];
  const numeric = t.numeric.data;
  const error = t.errorEstimate.data;
  const rows = Math.min(numeric.length, MAX_ROWS);
  const header = ['entry', 'numeric ± error', ...columns.map(([c]) => c)];
  const lines = [header];
  for (let k = 0; k < rows; k++) {
    // One row's values to the digits that tell them apart (numbers.ts).
    const values = columns.map(([, v]) => (v ? v.contiguous().data[k]! : undefined));
    const printed = formatDistinct([numeric[k]!, ...values.filter((v): v is number => v !== undefined)]);
    let next = 1;
    lines.push([entryName(t.name, multiIndex(k, t.shape)), `${printed[0]} ± ${error[k]!.toExponential(1)}`, ...values.map((v) => (v === undefined ? '-' : printed[next++]!))]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines) printLine(`    ${l.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`);
  if (numeric.length > rows) printLine(`    … ${numeric.length - rows} more entries (--json shows all)`);
}

export function renderEvalText(report: EvalReport, quiet: boolean): void {
  const dims = Object.entries(report.dims).map(([k, v]) => `${k}=${v}`).join(', ');
  printLine(`${colors.bold(report.problem)}${report.example ? `, example ${report.example}` : ''} (${dims || 'no dimensions'})`);
  for (const [name, value] of Object.entries(report.outputs ?? {})) {
    printLine(`${name} = ${typeof value === 'number' ? formatNumber(value) : JSON.stringify(value.toNested())}`);
  }
  if (report.loss !== null) printLine(`loss = ${formatNumber(report.loss)}`);
  for (const t of report.targets) {
    if (quiet) printLine(`${t.name}: ${statusMark((t.formula ?? t.closedForm).finding.status)}`);
    else renderTarget(t);
  }
  if (report.step) {
    printLine(colors.bold(`after one SGD step with lr ${report.step.lr}:`));
    for (const [name, value] of Object.entries(report.step.params)) {
      printLine(`  ${name} = ${JSON.stringify(value.toNested(), (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(8)) : v))}  (gradient: ${report.step.gradientSource[name]})`);
    }
  }
}

/** The JSON of `derivcheck eval --json` (docs/cli.md); the verdict is the user's formula's when one was given. */
export function evalJson(report: EvalReport) {
  return {
    problem: report.problem,
    ...(report.example ? { example: report.example } : {}),
    dims: report.dims,
    loss: report.loss,
    ...(report.outputs ? { outputs: report.outputs } : {}),
    targets: Object.fromEntries(
      report.targets.map((t) => {
        const judged = (t.formula ?? t.closedForm).finding;
        return [
          t.name,
          {
            shape: t.shape,
            numeric: t.numeric,
            errorEstimate: t.errorEstimate,
            closedForm: t.closedForm.value ?? null,
            closedFormFinding: findingJson(t.closedForm.finding),
            ...(t.formula ? { formula: t.formula.value ?? null, formulaFinding: findingJson(t.formula.finding) } : {}),
            maxAbsErr: judged.maxAbsError ?? null,
            maxRelErr: judged.maxRelError ?? null,
            verdict: judged.status,
          },
        ];
      }),
    ),
    ...(report.step ? { step: report.step } : {}),
  };
}
