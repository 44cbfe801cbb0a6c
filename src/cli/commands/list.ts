import type { Argv, CommandModule } from 'yargs';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';
import { problemSummary } from '../../problem/summary.js';

interface ListArgs extends CommonOptions {}

async function list(args: ListArgs): Promise<number> {
  const problems = await (await import('../registry.js')).builtInProblems();
  const { colors, printJson, printLine } = await import('../output.js');
  const described = problems.map(problemSummary);
  if (args.json) {
    printJson({ problems: described });
    return 0;
  }
  for (const p of described) {
    printLine(`${colors.bold(p.id)}  ${p.title}`);
    if (args.quiet) continue;
    printLine(`  ${p.statement}`);
    printLine(`  inputs:        ${p.inputs.map((i) => `${i.name} ${i.shape}`).join(', ')}`);
    if (p.intermediates.length > 0) printLine(`  intermediates: ${p.intermediates.map((i) => `${i.name} ${i.shape}`).join(', ')}`);
    printLine(`  targets:       ${p.targets.map((t) => `${colors.cyan(t.name)} ${t.shape}`).join(', ')}`);
    for (const c of p.properties) printLine(`  property:      ${c.name}: ${c.statement}`);
    if (p.examples.length > 0) printLine(`  examples:      ${p.examples.map((e) => e.name).join(', ')}`);
    printLine();
  }
  return 0;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List the problems: inputs, intermediates, targets (shapes in dimension names) and examples',
  builder: (y) => y.example('$0 list --json', 'every problem as JSON') as Argv<ListArgs>,
  handler: (args) => runCommand(() => list(args)),
};
