/**
 * Named intermediates: a chain of `let` steps such as
 *
 *   H = tanh(X * W1 + b1)
 *   Z = H * W2 + b2
 *   P = softmax(Z, 2)
 *
 * Each step is checked against the declarations extended with the earlier steps' names (shapes
 * inferred: H is N×Hd because X is N×D and W1 is D×Hd), compiled, and evaluated in order. The chain's
 * declarations are what later formulas (a loss, an answer, a known mistake) may name. Built on the
 * public entry points alone: parseFormula, checkFormula, compileFormula and the Declarations.
 */
import { nameRecord } from '../names/records.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CheckOptions, type CheckedFormula, checkFormula } from './check.js';
import { type CompiledFormula, compileFormula } from './compile.js';
import { type Declarations, type SymbolDeclaration, parseDimension, resolveDeclarations } from './declarations.js';
import type { Dim, SymbolicShape } from './dims.js';
import { FormulaError } from './errors.js';
import { parseFormula } from './parse.js';

/** One named intermediate as written: `name = formula`, optionally with the shape it must have. */
export interface LetDefinition {
  readonly name: string;
  readonly formula: string;
  /**
   * The shape the step must have, entries as in declarations. Needed for index notation
   * (`H[i, j] = ...` has no shape of its own); otherwise optional, and checked when given.
   */
  readonly shape?: readonly (string | number)[];
  /** LaTeX spellings of the name (`h_t` for h), for answers written in LaTeX. */
  readonly aliases?: readonly string[];
}

/** A checked and compiled step of the chain. */
export interface LetStep {
  readonly name: string;
  readonly compiled: CompiledFormula;
  /** The step's symbolic shape (inferred, or the declared one). */
  readonly shape: SymbolicShape;
  /** The shape as declaration entries: whole numbers and dimension expressions ('N', '2*M'). */
  readonly declaredShape: readonly (string | number)[];
}

export interface LetChain {
  readonly steps: readonly LetStep[];
  /** The declarations extended with every step's name and shape: what formulas after the chain may name. */
  readonly declarations: Declarations;
  /**
   * Every step's value, in order, at the given inputs and dimension sizes: each step reads the inputs
   * and the steps before it. The map holds the steps only.
   */
  evaluate(values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): Map<string, Tensor>;
}

/** A step of a let chain that does not parse, check or fit its context; `step` names it. */
export class LetError extends FormulaError {
  override readonly name = 'LetError';
  constructor(
    /** The step's name as written. */
    readonly step: string,
    /** Its position in the chain (0-based). */
    readonly index: number,
    what: string,
    site: { text: string; span: { start: number; end: number } } | undefined,
    hint = '',
    cause?: unknown,
  ) {
    super(`let ${step}: ${what}`, site, hint, cause === undefined ? undefined : { cause });
  }

  /** The error of step `index` raised while checking it, with its position in the step's formula kept. */
  static wrapping(step: string, index: number, err: FormulaError): LetError {
    const site = err.source !== undefined && err.position ? { text: err.source, span: { start: err.position.offset, end: err.position.end } } : undefined;
    return new LetError(step, index, err.what, site, err.hint, err);
  }
}

/** A symbolic dimension as a declaration entry: a whole number, or its canonical text (which parses back to it). */
function declarationEntry(d: Dim, dims: ReadonlySet<string>, owner: string): string | number {
  const constant = d.constantValue();
  if (constant !== undefined && Number.isSafeInteger(constant) && constant >= 0) return constant;
  const text = d.toString();
  if (!parseDimension(text, dims, owner).equals(d)) throw new Error(`internal: the dimension ${text} of ${owner} does not read back as itself`);
  return text;
}

function checkStep(definition: LetDefinition, index: number, declarations: Declarations, options: CheckOptions): CheckedFormula {
  const { name, formula } = definition;
  try {
    const parsed = parseFormula(formula, { declarations });
    const checked = checkFormula(parsed, declarations, definition.shape === undefined ? options : { ...options, targetShape: definition.shape });
    if (parsed.statement.kind === 'assignment' && parsed.statement.target !== name) {
      throw new LetError(name, index, `the formula assigns ${parsed.statement.target}, not ${name}`, { text: formula, span: parsed.statement.targetSpan }, `write the expression alone, or ${name} = ...`);
    }
    return checked;
  } catch (err) {
    if (err instanceof LetError || !(err instanceof FormulaError)) throw err;
    throw LetError.wrapping(name, index, err);
  }
}

/**
 * Checks and compiles `definitions` in order against `declarations` (each step may name the inputs,
 * dimensions and the steps before it); throws a LetError that names the step, with the position in its
 * formula, for a step that does not parse, check, or whose name is taken.
 */
export function checkLetChain(definitions: readonly LetDefinition[], declarations: Declarations, options: CheckOptions = {}): LetChain {
  // Validates the base declarations once, so that a later error is the step's own.
  const scope = resolveDeclarations(declarations);
  const symbols: SymbolDeclaration[] = [...declarations.symbols];
  const steps: LetStep[] = [];
  const taken = new Set<string>([...scope.dims, ...scope.symbols.keys()]);
  definitions.forEach((definition, index) => {
    const { name } = definition;
    if (taken.has(name)) {
      const what = scope.dims.has(name) ? 'a dimension' : steps.some((s) => s.name === name) ? 'an earlier let name' : 'an input';
      throw new LetError(name, index, `${name} is already ${what}`, undefined, 'give the intermediate a name of its own');
    }
    const extended: Declarations = { ...declarations, symbols };
    let checked: CheckedFormula;
    try {
      // The name itself must be one a formula may declare (not a function or reserved word).
      resolveDeclarations({ ...extended, symbols: [...symbols, { name, shape: definition.shape ? [...definition.shape] : [], ...(definition.aliases ? { aliases: [...definition.aliases] } : {}) }] });
      checked = checkStep(definition, index, extended, options);
    } catch (err) {
      if (err instanceof LetError || !(err instanceof FormulaError)) throw err;
      throw LetError.wrapping(name, index, err);
    }
    const declaredShape = checked.shape.map((d) => declarationEntry(d, scope.dims, name));
    symbols.push({ name, shape: declaredShape, ...(definition.aliases ? { aliases: [...definition.aliases] } : {}) });
    taken.add(name);
    steps.push({ name, compiled: compileFormula(checked), shape: checked.shape, declaredShape });
  });
  const chainDeclarations: Declarations = { ...declarations, symbols };
  return {
    steps,
    declarations: chainDeclarations,
    evaluate: (values, dims) => {
      // Step and input names are the user's ('constructor' is a fine name for a tensor).
      const known = nameRecord(Object.entries(values));
      const out = new Map<string, Tensor>();
      for (const step of steps) {
        const value = step.compiled(known, dims);
        known[step.name] = value;
        out.set(step.name, value);
      }
      return out;
    },
  };
}
