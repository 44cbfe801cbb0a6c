import type { Argv, CommandModule } from 'yargs';
import { hasName, nameRecord } from '../../names/records.js';
import { UsageError } from '../exit.js';
import type { CommonOptions } from '../output.js';
import { runCommand } from '../run.js';

interface EvalArgs extends CommonOptions {
  id: string;
  example?: string;
  input?: string;
  formula: string[];
  lr?: number;
}

function parseFormulaOptions(texts: readonly string[]): Record<string, string> {
  const formulas = nameRecord<string>();
  for (const text of texts) {
    const at = text.indexOf('=');
    // The target name is an identifier; the formula may itself contain '=' (index notation).
    if (at <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, at).trim())) {
      throw new UsageError('--formula', `'${text}' is not TARGET=FORMULA`, 'a target name, =, and a formula', `--formula "dW=X' * dY"`);
    }
    const target = text.slice(0, at).trim();
    if (hasName(formulas, target)) throw new UsageError('--formula', `${target} is given twice`, 'one --formula per target', `--formula "dW=X' * dY"`);
    formulas[target] = text.slice(at + 1).trim();
  }
  return formulas;
}

async function evaluate(args: EvalArgs): Promise<number> {
  if ((args.example === undefined) === (args.input === undefined)) {
    throw new UsageError('--example/--input', 'give exactly one of them', 'an example name (derivcheck list) or a JSON file', '--example sigmoid-mlp-step');
  }
  const [builtIn, { findProblem }, { evaluateProblem }, output, { readInputFile }, { evalJson, renderEvalText }, { splitIdsAndPaths, withQuestions }] = await Promise.all([
    import('../registry.js').then((r) => r.builtInProblems()),
    import('../../problem/registry.js'),
    import('../../problem/evaluate.js'),
    import('../output.js'),
    import('../input-file.js'),
    import('../eval-report.js'),
    import('../questions.js'),
  ]);
  // The id may be a question file (of one question).
  const { paths } = splitIdsAndPaths([args.id], builtIn);
  const { questions } = await withQuestions(builtIn, paths);
  if (questions.length > 1) throw new UsageError('id', `${args.id} holds ${questions.length} questions`, 'a problem id or one question file', 'derivcheck eval hw/q1.yaml --example tiny');
  const found = questions[0] ?? findProblem(builtIn, args.id);
  let input;
  let example;
  if (args.example !== undefined) {
    example = found.examples.find((e) => e.name === args.example);
    if (!example) {
      const names = found.examples.map((e) => e.name);
      throw new UsageError('--example', `${found.id} has no example '${args.example}'`, names.length > 0 ? `one of ${names.join(', ')}` : 'an --input file (this problem has no examples)', `--example ${names[0] ?? 'NAME'}`);
    }
    input = { dims: example.dims, inputs: example.inputs };
  } else input = readInputFile(args.input!);
  const seed = output.resolveSeed(args.seed);
  const report = evaluateProblem(found, input, {
    ...(example ? { example } : {}),
    formulas: parseFormulaOptions(args.formula),
    ...(args.lr !== undefined ? { lr: args.lr } : {}),
    seed,
  });
  if (args.json) {
    output.printJson(evalJson(report));
  } else renderEvalText(report, args.quiet);
  const judged = report.targets.map((t) => (t.formula ?? t.closedForm).finding.status);
  return judged.every((v) => v === 'correct') ? 0 : 1;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval <id>',
  describe: 'Run a derivation on concrete numbers: loss, FD gradient, closed form, your formula, their differences',
  builder: (y) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: 'Problem id (derivcheck list), or a question file' })
      .option('example', { type: 'string', describe: 'A worked example of the problem' })
      .option('input', { type: 'string', describe: 'A JSON file: { "dims"?: {...}, "inputs": { NAME: nested array } }' })
      .option('formula', { type: 'string', array: true, default: [], describe: 'TARGET=FORMULA to check beside the closed form' })
      .option('lr', { type: 'number', describe: 'Learning rate of one SGD step on the parameters' })
      .example('$0 eval mlp2-mse --example sigmoid-mlp-step', 'the worked example, with its SGD step')
      .example(`$0 eval dense-batch --example dense-2x2x3 --formula "dW=X' * dY"`, 'your formula beside the closed form')
      .example('$0 eval hw3/tanh-mlp-ce.yaml --example tiny', "a question file's worked example") as unknown as Argv<EvalArgs>,
  handler: (args) => runCommand(() => evaluate(args)),
};
