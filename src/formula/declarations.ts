import { CONSTANTS, IDENTIFIER, RESERVED_WORDS, isFunctionName } from './allowlist.js';
import { Dim, type SymbolicShape, dimFromExpr } from './dims.js';
import { DeclarationError, FormulaError, LimitExceededError } from './errors.js';
import { latexAliasKey } from './latex.js';
import { MAX_RANK } from './limits.js';
import { readFormulaText } from './read.js';

/**
 * What a formula may name: dimension names (integer constants such as N, D, kh) and symbols (inputs,
 * intermediates, upstream gradients such as dY) with their shapes. A shape entry is a number or a
 * dimension expression over the dimension names ('2*n+kh-1', 'H-kh+1').
 */
export interface SymbolDeclaration {
  readonly name: string;
  readonly shape: readonly (string | number)[];
  /** 'index' marks integer labels (1-based): they may index tensors and feed onehot. Default 'float64'. */
  readonly dtype?: 'float64' | 'index';
  /** LaTeX spellings of this symbol, e.g. '\\frac{\\partial L}{\\partial Y}' for dY. */
  readonly aliases?: readonly string[];
}

export interface Declarations {
  readonly dims: readonly string[];
  readonly symbols: readonly SymbolDeclaration[];
  /**
   * The class axis (1-based) of the problem's score matrices: `softmax(z)` without a dim normalises
   * along it, as the problem's derivation does (rows of a B×K batch: 2; columns of K×B: 1). Without it,
   * softmax of a matrix needs its dim; a row or column vector never does.
   */
  readonly classAxis?: 1 | 2;
}

export interface DeclaredSymbol {
  readonly name: string;
  readonly shape: SymbolicShape;
  readonly dtype: 'float64' | 'index';
  readonly aliases: readonly string[];
}

/** Declarations validated and with shapes parsed into symbolic dimensions. */
export class Scope {
  readonly dims: ReadonlySet<string>;
  readonly symbols: ReadonlyMap<string, DeclaredSymbol>;

  constructor(
    dims: ReadonlySet<string>,
    symbols: ReadonlyMap<string, DeclaredSymbol>,
    /** 0-based class axis for softmax without a dim (Declarations.classAxis). */
    readonly classAxis?: number,
  ) {
    this.dims = dims;
    this.symbols = symbols;
  }

  /** Every name a formula may use bare: symbols, dimensions and constants not shadowed by them. */
  names(): string[] {
    return [...this.symbols.keys(), ...this.dims, ...[...CONSTANTS.keys()].filter((c) => !this.isDeclared(c))];
  }

  isDeclared(name: string): boolean {
    return this.dims.has(name) || this.symbols.has(name);
  }

  dimOf = (name: string): Dim | undefined => (this.dims.has(name) ? Dim.symbol(name) : undefined);
}

function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new DeclarationError(`${what} ${JSON.stringify(name)} is not a valid name`, undefined, 'names are letters, digits and _, starting with a letter or _');
  }
  if (RESERVED_WORDS.has(name) || isFunctionName(name)) {
    throw new DeclarationError(`${what} ${name} clashes with a reserved word or function of the formula language`, undefined, 'pick another name');
  }
}

/**
 * Dimension expressions parsed so far, keyed by the entry and the dimension names in scope (a Dim is
 * immutable and does not depend on its owner): a check reads its inputs' shapes at every sample, and
 * parsing one is a formula parse. Entries that fail are not kept. Cleared past PARSED_DIMENSIONS_KEPT
 * keys, so that a long-running process reading many question files does not grow it without end.
 */
const parsedDimensions = new Map<string, Dim>();
const PARSED_DIMENSIONS_KEPT = 4096;

/** Parses one shape entry: a non-negative integer or a dimension expression over `dims`. */
export function parseDimension(entry: string | number, dims: ReadonlySet<string>, owner: string): Dim {
  if (typeof entry === 'number') {
    if (!Number.isSafeInteger(entry) || entry < 0) throw new DeclarationError(`${owner}: shape entry ${entry} is not a non-negative integer`, undefined);
    return Dim.constant(entry);
  }
  if (typeof entry !== 'string' || entry.trim() === '') throw new DeclarationError(`${owner}: shape entry ${JSON.stringify(entry)} is not a number or a dimension expression`, undefined);
  const key = `${entry}\u0000${[...dims].sort().join(',')}`;
  const known = parsedDimensions.get(key);
  if (known) return known;
  const dim = parseDimensionText(entry, dims, owner);
  if (parsedDimensions.size >= PARSED_DIMENSIONS_KEPT) parsedDimensions.clear();
  parsedDimensions.set(key, dim);
  return dim;
}

function parseDimensionText(entry: string, dims: ReadonlySet<string>, owner: string): Dim {
  let statement;
  try {
    statement = readFormulaText({ text: entry, userText: entry, mapSpan: (s) => s, scalarNames: dims });
  } catch (err) {
    if (err instanceof FormulaError) throw new DeclarationError(`${owner}: shape entry '${entry}': ${err.what}`, { text: entry, span: { start: err.position?.offset ?? 0, end: err.position?.end ?? 0 } }, err.hint);
    throw err;
  }
  if (statement.kind !== 'expression') throw new DeclarationError(`${owner}: shape entry '${entry}' is not a dimension expression`, { text: entry, span: statement.span });
  let dim;
  try {
    dim = dimFromExpr(statement.expr, (name) => (dims.has(name) ? Dim.symbol(name) : undefined));
  } catch (err) {
    // The polynomial budgets of dims.ts know no position: the entry is the place.
    if (err instanceof LimitExceededError && err.position === undefined) throw new LimitExceededError(`${owner}: shape entry '${entry}': ${err.what}`, { text: entry, span: statement.span }, err.limit, err.hint);
    throw err;
  }
  if (!(dim instanceof Dim)) {
    const hint = dim.node.kind === 'symbol' ? `declare ${dim.node.name} among the dims` : 'use integers, dimension names and + - * and division by a constant';
    throw new DeclarationError(`${owner}: in shape entry '${entry}', ${dim.reason}`, { text: entry, span: dim.node.span }, hint);
  }
  return dim;
}

/** Validates declarations: unique valid names, symbols distinct from dims, shapes over declared dims. */
export function resolveDeclarations(declarations: Declarations): Scope {
  if (typeof declarations !== 'object' || declarations === null || !Array.isArray(declarations.dims) || !Array.isArray(declarations.symbols)) {
    throw new DeclarationError('declarations need dims (an array of names) and symbols (an array of { name, shape })', undefined);
  }
  const dims = new Set<string>();
  for (const d of declarations.dims) {
    checkName(d, 'dimension');
    if (dims.has(d)) throw new DeclarationError(`dimension ${d} is declared twice`, undefined);
    dims.add(d);
  }
  const symbols = new Map<string, DeclaredSymbol>();
  for (const s of declarations.symbols) {
    checkName(s?.name, 'symbol');
    if (dims.has(s.name)) throw new DeclarationError(`${s.name} is declared both as a dimension and as a symbol`, undefined);
    if (symbols.has(s.name)) throw new DeclarationError(`symbol ${s.name} is declared twice`, undefined);
    if (!Array.isArray(s.shape)) throw new DeclarationError(`${s.name}: shape must be an array ([] for a scalar)`, undefined);
    if (s.shape.length > MAX_RANK) throw new LimitExceededError(`${s.name} has rank ${s.shape.length}, more than the ${MAX_RANK} axes a tensor may have`, undefined, 'maxRank', 'declare fewer axes (reshape the data, or split the tensor)');
    const dtype = s.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'index') throw new DeclarationError(`${s.name}: dtype must be 'float64' or 'index'`, undefined);
    for (const alias of s.aliases ?? []) {
      // An alias the LaTeX reader cannot key would be ignored silently; say so where it is declared.
      if (latexAliasKey(alias) === undefined) throw new DeclarationError(`${s.name}: the LaTeX alias '${alias}' is neither a name nor a derivative`, undefined, 'aliases are spellings such as \\frac{\\partial L}{\\partial Y}, h_t or g');
    }
    symbols.set(s.name, {
      name: s.name,
      shape: s.shape.map((entry: string | number) => parseDimension(entry, dims, s.name)),
      dtype,
      aliases: s.aliases ?? [],
    });
  }
  const classAxis = declarations.classAxis;
  if (classAxis !== undefined && classAxis !== 1 && classAxis !== 2) throw new DeclarationError(`classAxis must be 1 or 2, got ${String(classAxis)}`, undefined);
  return new Scope(dims, symbols, classAxis === undefined ? undefined : classAxis - 1);
}
