import type { CheckOptions, CheckedFormula } from '../check.js';
import { type Scope, parseDimension } from '../declarations.js';
import type { Dim } from '../dims.js';
import { FormulaError, FormulaShapeError, type SourceSpan, UnsupportedNotationError } from '../errors.js';
import type { LatexParse, ParsedFormula } from '../parse.js';
import { readFormulaText } from '../read.js';
import type { Expr, Statement } from '../tree.js';
import { mapStatement, valueOf } from './trees.js';

/**
 * Lengths of `\\mathbf{1}` and `I` written without one: each is tried at every dimension and declared
 * shape entry (never a constant: a length-1 vector would fit wherever a scalar does), and the one
 * assignment that makes the answer fit is taken; none, or several, and the answer is flagged.
 */

/** Most ways of filling the unknown lengths tried (holes × candidate lengths). */
const MAX_HOLE_ASSIGNMENTS = 512;

/** An answer read with its products settled (latex/resolve.ts). */
export interface Reading {
  readonly checked: CheckedFormula;
  readonly notes: string[];
  /** Products read elementwise because the matrix product did not fit. */
  readonly flips: number;
}

/** Reads a statement with its products settled, or throws why it does not fit. */
export type ReadStatement = (statement: Statement, options: CheckOptions) => Reading;

/** The lengths a \mathbf{1} or I may have: the dimensions and the declared shape entries, each once. */
function candidateLengths(scope: Scope): { dim: Dim; text: string }[] {
  const out: { dim: Dim; text: string }[] = [];
  const add = (dim: Dim) => {
    if (!dim.isConstant() && !out.some((c) => c.dim.equals(dim))) out.push({ dim, text: dim.toString() });
  };
  for (const d of scope.dims) add(parseDimension(d, scope.dims, 'length'));
  for (const s of scope.symbols.values()) s.shape.forEach(add);
  return out;
}

/** A dimension expression as a tree placed at `span` (the \mathbf{1} it sizes). */
export function lengthExpr(text: string, span: SourceSpan, scope: Scope): Expr {
  const statement = readFormulaText({ text, userText: text, mapSpan: () => span, scalarNames: scope.dims });
  return valueOf(statement);
}

/** Fills the unknown lengths of \mathbf{1} and I with the only candidates that make the answer fit. */
export function lengths(parsed: ParsedFormula, statement: Statement, holes: readonly string[], latex: LatexParse, scope: Scope, options: CheckOptions, read: ReadStatement): Reading {
  const candidates = candidateLengths(scope);
  const assignments: number[][] = [[]];
  for (let h = 0; h < holes.length; h++) {
    const next = assignments.flatMap((a) => candidates.map((_, k) => [...a, k]));
    if (next.length > MAX_HOLE_ASSIGNMENTS) break;
    assignments.splice(0, assignments.length, ...next);
  }
  const fill = (a: readonly number[]) =>
    mapStatement(statement, (x) => {
      const h = x.kind === 'symbol' ? holes.indexOf(x.name) : -1;
      return h >= 0 && a[h] !== undefined ? lengthExpr(candidates[a[h]!]!.text, x.span, scope) : undefined;
    });
  const attempt = (a: readonly number[], withTarget: boolean) => {
    try {
      return read(fill(a), withTarget ? options : { ...options, targetShape: undefined });
    } catch (err) {
      if (err instanceof FormulaError) return err;
      throw err;
    }
  };
  // The fits that read the fewest products elementwise (a length that fits only by such a reading is not meant).
  const fitting = (results: (ReturnType<typeof attempt> | undefined)[]) => {
    const all = results.flatMap((r, k) => (r !== undefined && !(r instanceof FormulaError) ? [{ k, r }] : []));
    const fewest = Math.min(...all.map((f) => f.r.flips));
    return all.filter((f) => f.r.flips === fewest);
  };
  const withTarget = assignments.map((a) => (a.length === holes.length ? attempt(a, true) : undefined));
  let fits = fitting(withTarget);
  if (fits.length === 0 && options.targetShape) {
    // No length fits the target. If exactly one fits the answer's own shapes, it is a wrong-shape answer: say so.
    const free = fitting(assignments.map((a) => (a.length === holes.length ? attempt(a, false) : undefined)));
    if (free.length === 1) throw withTarget[free[0]!.k] as FormulaError;
    fits = [];
  }
  const hole = latex.choices.holes.get(holes[0]!)!;
  const site = { text: parsed.text, span: hole.span };
  if (fits.length === 0) {
    const other = withTarget.find((r): r is FormulaError => r instanceof FormulaError && !(r instanceof FormulaShapeError));
    if (other) throw other;
    throw new UnsupportedNotationError(hole.what, `the length of ${hole.what} cannot be inferred: no dimension makes the answer fit`, site, `write its size, e.g. ${hole.what}_N`);
  }
  if (fits.length > 1) {
    const options = fits.map((f) => assignments[f.k]!.map((c) => candidates[c]!.text).join(', ')).join(' or ');
    throw new UnsupportedNotationError(hole.what, `the length of ${hole.what} is ambiguous here (${options})`, site, `write its size, e.g. ${hole.what}_N`);
  }
  const { k, r } = fits[0]!;
  const chosen = assignments[k]!.map((c, h) => `${latex.choices.holes.get(holes[h]!)!.what} has length ${candidates[c]!.text}`);
  return { checked: r.checked, notes: [...chosen, ...r.notes], flips: r.flips };
}
