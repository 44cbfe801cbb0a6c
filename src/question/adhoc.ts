/**
 * An ad hoc check (`derivcheck check`) is an inline question: declared shapes, named intermediates
 * (--let), a loss and one claimed gradient, compiled to a Problem by the same compiler as question
 * files, so that the forward graph, its incremental rules and the runner are theirs.
 */
import { FormulaError, LimitExceededError, UnknownSymbolError } from '../formula/errors.js';
import { DEFAULT_LIMITS } from '../formula/limits.js';
import { closeNames } from '../formula/suggest.js';
import { ownValue } from '../names/records.js';
import type { DimExpr, Domain, GradientTarget, Problem } from '../problem/types.js';
import { SAMPLE_ENTRIES_BUDGET } from '../problem/sample-size.js';
import { compileQuestion, largestSampleEntries, symbolicInputs } from './compile.js';
import { type FieldPath, QuestionError, type QuestionSpec } from './spec.js';

export interface AdHocSpec {
  /** A scalar-valued formula over the declared inputs and let names. */
  readonly loss: string;
  /** The input or let name the gradient is taken with respect to. */
  readonly wrt: string;
  /** The claimed gradient (formula language, or LaTeX with syntax 'latex'). */
  readonly grad: string;
  readonly gradSyntax?: 'formula' | 'latex';
  /** Every input and its shape in sizes or dimension names, in order: { X: ['N', 'D'], w: ['D', 1] } (a record of src/names/records.ts). */
  readonly shapes: Readonly<Record<string, readonly DimExpr[]>>;
  /** Named intermediates, in order: [['H', 'tanh(X * W)']]. */
  readonly lets?: readonly (readonly [string, string])[];
  /** Size ranges of named dimensions (inclusive); dimensions without one draw distinct sizes in 2..6. */
  readonly dimRanges?: Readonly<Record<string, readonly [number, number]>>;
  /** Input domains; the default is standard normal. */
  readonly domains?: Readonly<Record<string, Domain>>;
}

/** Dimension names used by shape entries (the identifiers in them: the compiler validates the rest) and label counts. */
function dimNamesOf(spec: AdHocSpec): string[] {
  const names = new Set<string>();
  for (const shape of Object.values(spec.shapes)) {
    for (const entry of shape) if (typeof entry === 'string') for (const m of entry.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(m[0]);
  }
  return [...names];
}

/** The command-line option a field of the inline question came from. */
function optionOf(path: FieldPath): string {
  switch (path[0]) {
    case 'let':
      return `--let ${String(path[1])}`;
    case 'inputs':
      return path[2] === 'domain' ? `--domain ${String(path[1])}` : `--shape ${String(path[1])}`;
    case 'dims':
      return `--dims ${String(path[1])}`;
    default:
      return `--${String(path[0])}`;
  }
}

/**
 * A QuestionError said in the terms of the command line: the option, and the formula's caret when a
 * formula is at fault. An input too large for a tensor is that limit's own error, which names the input.
 */
function asOptionError(err: QuestionError): FormulaError {
  const f = err.formulaError;
  if (f instanceof LimitExceededError) return f;
  const site = f?.source !== undefined && f.position ? { text: f.source, span: { start: f.position.offset, end: f.position.end } } : undefined;
  return new FormulaError(`${optionOf(err.path)}: ${err.what}`, site, err.hint, { cause: err });
}

/** What the user should know of --dims past the sample budget (default draws keep within it; ranges given are honoured). */
function sizeNotices(problem: Problem, question: QuestionSpec): string[] {
  const entries = largestSampleEntries(symbolicInputs(problem.inputs, new Set(problem.dims.names)), question.dims);
  if (entries <= SAMPLE_ENTRIES_BUDGET) return [];
  return [`--dims allow samples of up to ${entries} entries, past the ${SAMPLE_ENTRIES_BUDGET} that default draws keep to: finite differences may check a random subset of each sample's entries, or fewer samples, to stay within the check's budget (the verdict says so)`];
}

/**
 * The ad hoc problem and its one target (the claimed gradient, compiled by the caller: a malformed one
 * is a verdict, not bad usage); `notices` are what the user should know about the run (printed, not
 * errors), such as --dims past the sample budget.
 */
export function adHocProblem(spec: AdHocSpec): { problem: Problem; target: GradientTarget; notices: readonly string[] } {
  const dimNames = dimNamesOf(spec);
  const inputs = Object.keys(spec.shapes);
  for (const name of Object.keys(spec.dimRanges ?? {})) {
    if (!dimNames.includes(name)) throw new UnknownSymbolError(`--dims names ${name}, which no --shape uses`, undefined, name, closeNames(name, dimNames));
  }
  for (const name of Object.keys(spec.domains ?? {})) {
    if (!inputs.includes(name)) throw new UnknownSymbolError(`--domain names ${name}, which no --shape declares`, undefined, name, closeNames(name, inputs));
  }
  const lets = spec.lets ?? [];
  const question: QuestionSpec = {
    id: 'ad-hoc',
    title: 'Ad hoc check',
    statement: `${lets.map(([name, formula]) => `${name} = ${formula}, `).join('')}L = ${spec.loss}; is ∂L/∂${spec.wrt} = ${spec.grad}?`,
    dims: dimNames.map((name) => {
      const range = ownValue(spec.dimRanges, name);
      return { name, ...(range ? { range } : {}) };
    }),
    inputs: Object.entries(spec.shapes).map(([name, shape]) => ({ name, shape, domain: ownValue(spec.domains, name) ?? { kind: 'normal' }, role: name === spec.wrt ? 'parameter' : 'data', description: `declared with --shape ${name}=${shape.join('x') || 'scalar'}` })),
    let: lets.map(([name, formula]) => ({ name, formula })),
    loss: spec.loss,
    targets: [],
    examples: [],
  };
  let problem: Problem;
  try {
    // --dims are bounded by what a tensor may hold (the sample-size check names the input), not by a question file's typo guard.
    problem = compileQuestion(question, { wrt: [spec.wrt], maxDimSize: DEFAULT_LIMITS.maxElements, sampleBudget: true });
  } catch (err) {
    if (err instanceof QuestionError) throw asOptionError(err);
    throw err;
  }
  const shape = [...problem.inputs, ...problem.intermediates].find((s) => s.name === spec.wrt)?.shape;
  if (shape === undefined) {
    const known = [...problem.inputs, ...problem.intermediates].map((s) => s.name);
    throw new UnknownSymbolError(`--wrt ${spec.wrt} is not a declared input or --let name`, undefined, spec.wrt, closeNames(spec.wrt, known));
  }
  const target: GradientTarget = {
    kind: 'gradient',
    name: `d${spec.wrt}`,
    wrt: spec.wrt,
    description: `∂L/∂${spec.wrt}`,
    shape,
    closedForms: [{ formula: spec.grad, syntax: spec.gradSyntax ?? 'formula', style: 'claimed' }],
    latex: '',
    mistakes: [],
  };
  return { problem: { ...problem, targets: [target] }, target, notices: sizeNotices(problem, question) };
}
