import type { CheckOptions, CheckedFormula } from '../check.js';
import { type SymbolicShape, formatSymbolicShape } from '../dims.js';
import { FormulaError, type SourceSpan, UnsupportedNotationError } from '../errors.js';
import type { LatexParse, ParsedFormula } from '../parse.js';
import { printExpr } from '../print.js';
import { isSquare } from '../shape-algebra.js';
import type { BinaryNode, CallNode, Expr, IndexEntry, Statement } from '../tree.js';
import type { CheckParsed } from './resolve.js';
import { mapExpr, mapStatement, valueOf, walk, withParsed } from './trees.js';

/**
 * The readings of `|A|` and `A^{-1}` that the shape of A decides, as a reader of matrix calculus decides
 * them (the Matrix Cookbook writes |X| for det X):
 *
 * - `|x|` is the absolute value, entry by entry, of a number, a vector or a non-square matrix, and the
 *   determinant of a square matrix; `\log|A|` of a square A is logdet(A) = log|det A|. Where the
 *   determinant is read, the absolute value is kept as an alternative reading: an answer that fails as
 *   read and passes with it is a person's call. Where the determinant does not fit, the absolute value is read.
 * - `x^{-1}` is the reciprocal of a number (or a 1×1 value) and the inverse of a square matrix; `A^{-T}`
 *   the inverse transposed. Of a vector or a non-square matrix it is flagged: an elementwise reciprocal,
 *   or a pseudo-inverse? A person can tell.
 */

export interface Determinants {
  /** The statement with the determinants read. */
  readonly statement: Statement;
  readonly notes: readonly string[];
  /** The statement as written (every |x| an absolute value), when some |x| was read as a determinant. */
  readonly asWritten?: Statement;
}

/** The shape of `expr`'s value alone; undefined when it cannot be checked alone (it uses summation indices, unknown lengths). */
function shapeAlone(parsed: ParsedFormula, expr: Expr, check: CheckParsed): SymbolicShape | undefined {
  try {
    return check(withParsed(parsed, { kind: 'expression', expr, span: expr.span }), {}).shape;
  } catch (err) {
    if (err instanceof FormulaError) return undefined;
    throw err;
  }
}

/** A square matrix larger than 1×1. */
export const isSquareMatrix = (shape: SymbolicShape | undefined): boolean => shape !== undefined && isSquare(shape) && !shape.every((d) => d.isOne());

/** Reads each `|A|` of a square A as det(A), and `log(|A|)` as logdet(A). */
export function determinants(parsed: ParsedFormula, statement: Statement, latex: LatexParse, check: CheckParsed): Determinants {
  const bars = latex.choices.bars;
  const square = new Set<Expr | IndexEntry>();
  walk(valueOf(statement), (x) => {
    if (x.kind === 'call' && x.fn === 'abs' && bars.some((s) => s.start === x.nameSpan.start && s.end === x.nameSpan.end) && isSquareMatrix(shapeAlone(parsed, x.args[0]!, check))) square.add(x);
  });
  if (square.size === 0) return { statement, notes: [] };
  const replace = (x: Expr): Expr | undefined => {
    if (x.kind !== 'call') return undefined;
    const inner = x.args[0];
    if (x.fn === 'log' && x.args.length === 1 && inner !== undefined && square.has(inner)) return { ...x, fn: 'logdet', args: [mapExpr((inner as CallNode).args[0]!, replace)] };
    return square.has(x) ? { ...x, fn: 'det', args: [mapExpr(x.args[0]!, replace)] } : undefined;
  };
  const notes = [...square].map((x) => `|${printExpr((x as CallNode).args[0]!)}| is read as a determinant, of a square matrix`);
  return { statement: mapStatement(statement, replace), notes, asWritten: statement };
}

/** The `^{-1}` (or `^{-T}`) the lowering recorded at a power `x .^ (-1)`, as written. */
function writtenInverse(latex: LatexParse, x: Expr | IndexEntry): SourceSpan | undefined {
  return x.kind === 'binary' && x.op === '.^' ? latex.choices.inverses.find((s) => s.start <= x.opSpan.start && x.opSpan.start < s.end) : undefined;
}

/** Whether `x^{-1}` of a value of `shape` is its inverse (true) or a reciprocal (false); flagged otherwise. */
function isMatrixInverse(parsed: ParsedFormula, power: BinaryNode, written: SourceSpan, shape: SymbolicShape): boolean {
  if (shape.every((d) => d.isOne())) return false;
  if (isSquare(shape)) return true;
  const construct = parsed.text.slice(written.start, written.end);
  throw new UnsupportedNotationError(
    construct,
    `${printExpr(power.left)} is ${formatSymbolicShape(shape)}: its ${construct} is neither the reciprocal of a number nor the inverse of a square matrix`,
    { text: parsed.text, span: power.span },
    'write \\frac{1}{x} for reciprocals, or a pseudo-inverse in full: (A^T A)^{-1} A^T; a person should check what was meant',
  );
}

/** The statement with each power in `inverted` read as inv of its base. */
function withInverses(statement: Statement, inverted: ReadonlySet<Expr | IndexEntry>): Statement {
  const replace = (x: Expr): Expr | undefined => {
    if (!inverted.has(x)) return undefined;
    const power = x as BinaryNode;
    return { kind: 'call', fn: 'inv', args: [mapExpr(power.left, replace)], span: power.span, nameSpan: power.opSpan } satisfies CallNode;
  };
  return inverted.size === 0 ? statement : mapStatement(statement, replace);
}

/**
 * Reads each `^{-1}` recorded by the lowering (an elementwise power so far) whose base can be checked
 * alone: the inverse of a square matrix, the reciprocal of a number, flagged otherwise.
 */
export function inversesByShape(parsed: ParsedFormula, statement: Statement, latex: LatexParse, check: CheckParsed): Statement {
  const inverted = new Set<Expr | IndexEntry>();
  walk(valueOf(statement), (x) => {
    const written = writtenInverse(latex, x);
    const shape = written ? shapeAlone(parsed, (x as BinaryNode).left, check) : undefined;
    if (written && shape && isMatrixInverse(parsed, x as BinaryNode, written, shape)) inverted.add(x);
  });
  return withInverses(statement, inverted);
}

/** The same for the `^{-1}` whose base could only be checked in place (inside a sum, beside an unknown length). */
export function inverses(parsed: ParsedFormula, checked: CheckedFormula, latex: LatexParse, options: CheckOptions, check: CheckParsed): CheckedFormula {
  const info = checked.annotations.info;
  const statement = checked.parsed.statement;
  const inverted = new Set<Expr | IndexEntry>();
  walk(valueOf(statement), (x) => {
    const written = writtenInverse(latex, x);
    if (written && isMatrixInverse(parsed, x as BinaryNode, written, info.get((x as BinaryNode).left)?.shape ?? [])) inverted.add(x);
  });
  return inverted.size === 0 ? checked : check(withParsed(parsed, withInverses(statement, inverted)), options);
}
