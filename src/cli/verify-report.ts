import Table from 'cli-table3';
import { findingJson } from '../problem/finding.js';
import { type ProblemReport, type TargetReport, closedFormPasses, standsOnRuling } from '../problem/verify.js';
import { colors, formatError, printLine } from './output.js';

function mistakeCount(t: TargetReport): { rejected: number; total: number } {
  return { rejected: t.mistakes.filter((m) => m.rejected).length, total: t.mistakes.length };
}

/** The JSON of `derivcheck verify --json` (docs/cli.md). */
export function verifyJson(reports: readonly ProblemReport[], seed: number) {
  return {
    passed: reports.every((r) => r.passed),
    seed,
    results: reports.flatMap((r) =>
      r.targets.map((t) => {
        const failing = t.closedForms.find((c) => !closedFormPasses(c));
        const onRuling = t.closedForms.filter(standsOnRuling).map((c) => ({ formula: c.formula, ...findingJson(c.finding) }));
        const slipped = t.mistakes.filter((m) => !m.rejected).map((m) => ({ label: m.label, formula: m.formula }));
        return {
          problem: t.problem,
          target: t.target,
          runs: t.runs,
          closedForm: t.closedForm,
          mistakes: mistakeCount(t),
          symbolic: t.symbolic,
          maxRelErr: t.maxRelError,
          timeMs: Math.round(t.timeMs),
          ...(failing ? { failing: { formula: failing.formula, ...findingJson(failing.finding) } } : {}),
          ...(slipped.length > 0 ? { mistakesNotRejected: slipped } : {}),
          ...(onRuling.length > 0 ? { acceptedOnRuling: onRuling } : {}),
        };
      }),
    ),
    properties: reports.flatMap((r) =>
      r.properties.map((p) => ({
        problem: p.problem,
        property: p.property,
        statement: p.statement,
        expected: p.expected,
        status: p.status,
        runs: p.runs,
        ...(p.counterexample ? { counterexample: p.counterexample } : {}),
      })),
    ),
  };
}

const tick = (ok: boolean): string => (ok ? colors.green('✓') : colors.red('✗'));

export function renderVerifyText(reports: readonly ProblemReport[], seed: number, quiet: boolean): void {
  const table = new Table({
    head: ['problem', 'target', 'runs', 'closed form', 'mistakes rejected', 'symbolic', 'max rel err', 'time'],
    style: { head: [], border: [] },
  });
  for (const r of reports) {
    for (const t of r.targets) {
      const m = mistakeCount(t);
      table.push([t.problem, t.target, t.runs, tick(t.closedForm === 'pass'), `${tick(m.rejected === m.total)} ${m.rejected}/${m.total}`, t.symbolic, formatError(t.maxRelError), `${(t.timeMs / 1000).toFixed(2)} s`]);
    }
  }
  if (!quiet) printLine(table.toString());
  for (const r of reports) {
    for (const p of r.properties) {
      const found = p.counterexample ? `; counterexample: ${JSON.stringify(p.counterexample.value)} (${p.counterexample.message})` : '';
      printLine(`${tick(p.status === 'pass')} ${p.problem} property ${p.property}: expected to ${p.expected === 'holds' ? 'hold' : 'fail'}${found}`);
    }
  }
  for (const r of reports) {
    for (const t of r.targets) {
      for (const c of t.closedForms.filter((c) => !closedFormPasses(c))) {
        const accepted = c.accepted ? '; an accepted spelling must not be shown wrong: remove it from accept' : '';
        printLine(colors.red(`✗ ${t.problem} ${t.target}: closed form ${c.formula} (${c.style}) ${c.finding.status}: ${c.finding.message}${accepted}`));
      }
      for (const c of t.closedForms.filter(standsOnRuling)) {
        printLine(colors.yellow(`• ${t.problem} ${t.target}: accepted spelling ${c.formula} stands on the grader's ruling: derivcheck could not decide it (${c.finding.status}: ${c.finding.message.split('\n')[0]})`));
      }
      for (const m of t.mistakes.filter((m) => !m.rejected)) {
        printLine(colors.red(`✗ ${t.problem} ${t.target}: mistake (${m.label}) ${m.formula} is ${m.finding.status}: ${m.finding.message}; the checker cannot tell it from the right answer`));
      }
    }
  }
  const passed = reports.every((r) => r.passed);
  printLine(`${passed ? colors.green('verified') : colors.red('FAILED')}: ${reports.length} problem(s), seed ${seed} (repeat with --seed ${seed})`);
}
