import type { Argv, CommandModule } from 'yargs';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';
import { problemSummary } from '../../problem/summary.js';

interface ListArgs extends CommonOptions {
  questions: string[];
}

async function list(args: ListArgs): Promise<number> {
  const builtIn = await (await import('../registry.js')).builtInProblems();
  const { colors, printJson, printLine } = await import('../output.js');
  const { withQuestions } = await import('../questions.js');
  // With --questions, the questions of those files; otherwise the built-in problems.
  const { questions } = await withQuestions(builtIn, args.questions);
  const problems = args.questions.length > 0 ? questions : builtIn;
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
  describe: 'List the problems (or the questions of question files): inputs, intermediates, targets (shapes in dimension names) and examples',
  builder: (y) =>
    y
      .option('questions', { type: 'string', array: true, default: [], describe: 'Question files or folders: list their questions instead of the built-in problems' })
      .example('$0 list --json', 'every problem as JSON')
      .example('$0 list --questions hw3/', 'the questions of a folder') as unknown as Argv<ListArgs>,
  handler: (args) => runCommand(() => list(args)),
};
