import type { CheckOptions, CheckedFormula } from '../check.js';
import { type Scope, parseDimension } from '../declarations.js';
import { FormulaError, FormulaShapeError, type SourceSpan, UnsupportedNotationError } from '../errors.js';
import type { LatexParse, ParsedFormula } from '../parse.js';
import { printExpr } from '../print.js';
import type { BinaryNode, CallNode, Expr, Statement } from '../tree.js';
import { withFreeIndices } from './free-indices.js';
import { type ReadStatement, lengthExpr, lengths } from './lengths.js';
import { determinants, inverses, inversesByShape, isSquareMatrix } from './matrix-readings.js';
import { mapExpr, mapStatement, onSpine, sameSpan, spine, valueOf, walk, withParsed } from './trees.js';

/**
 * The readings of a LaTeX answer that only shapes decide, settled with the shape checker:
 *
 * - A product as written (juxtaposition, \cdot, \times) is the matrix product; where that does not fit
 *   and the elementwise product does (S(1 − S) for an N×D S), it is read elementwise and a note says so.
 *   Where both fit, the matrix product is graded and the elementwise reading kept as an alternative the
 *   grader mentions when it would have been right. A fraction of tensors divides elementwise.
 * - \mathbf{1}, 1^T and I without a size take the one length (a dimension or a declared shape entry) that
 *   makes the answer fit; none or several: the answer is flagged for a person.
 * - An entrywise answer without a left side (s_{ij} − p_{ij}) gets one: its free indices take the
 *   target's axes, each the axis whose length it indexes, else in the order they appear; when that order
 *   and the alphabetical one disagree on axes of the same length, it is flagged.
 * - `|A|` and `A^{-1}`: a determinant and an inverse where A is a square matrix (matrix-readings.ts).
 * - \otimes read as a Kronecker product that does not fit where the elementwise product would is
 *   flagged (a course may write ⊗ for the elementwise product: a question setting); so are `(…)^T` of a
 *   scalar where T is a dimension, and written-out block matrices whose blocks fit no concatenation.
 */

export interface LatexResolution {
  /** What the reading decided, in words for the grader's message. */
  readonly notes: readonly string[];
  /** Other readings that fit too (an elementwise product graded as a matrix product), with what differs. */
  readonly alternatives: readonly Alternative[];
  /** The chain's earlier sides, checked, or why they could not be. */
  readonly earlierSides: readonly (CheckedFormula | FormulaError)[];
}

/**
 * Another reading that fits as well. A matrix product kept where the elementwise one fits too is graded
 * as written, the other reading mentioned when it would be right; `review`: a reading the notation
 * allows as much as the one graded (σ as the softmax), which makes a failing answer a person's call.
 */
export interface Alternative {
  readonly checked: CheckedFormula;
  readonly note: string;
  readonly review: boolean;
}

/** Checks a parsed formula as it stands (the checker without this resolution). */
export type CheckParsed = (parsed: ParsedFormula, options: CheckOptions) => CheckedFormula;

/** Most alternative readings kept for the grader to try. */
const MAX_ALTERNATIVES = 3;

export function resolveLatexReading(parsed: ParsedFormula, latex: LatexParse, scope: Scope, options: CheckOptions, check: CheckParsed): CheckedFormula & { reading: LatexResolution } {
  const main = resolveSide(parsed, parsed.statement, latex, scope, options, check);
  const earlierSides = latex.earlierSides.map((side) => {
    if (side instanceof FormulaError) return side;
    try {
      return resolveSide(parsed, side, latex, scope, options, check).checked;
    } catch (err) {
      if (err instanceof FormulaError) return err;
      throw err;
    }
  });
  return { ...main.checked, reading: { notes: main.notes, alternatives: main.alternatives, earlierSides } };
}

interface Resolved {
  readonly checked: CheckedFormula;
  readonly notes: string[];
  readonly alternatives: Alternative[];
}

function resolveSide(parsed: ParsedFormula, statement: Statement, latex: LatexParse, scope: Scope, options: CheckOptions, check: CheckParsed): Resolved {
  const targetShape = options.targetShape?.map((e) => parseDimension(e, scope.dims, 'target shape'));
  const entrywise = targetShape ? withFreeIndices(statement, parsed, latex, scope, targetShape) : { statement, notes: [] };
  const read: ReadStatement = (st, o) => products(parsed, st, latex, o, check);
  const settle = (written: Statement) => {
    const st = inversesByShape(parsed, written, latex, check);
    const holes = [...latex.choices.holes.keys()].filter((h) => mentions(st, h));
    const r = holes.length === 0 ? read(st, options) : lengths(parsed, st, holes, latex, scope, options, read);
    return { ...r, checked: inverses(parsed, r.checked, latex, options, check) };
  };
  // Determinants first: |X|^{-1} is the reciprocal of det X.
  const bars = determinants(parsed, entrywise.statement, latex, check);
  let resolved: ReturnType<typeof settle>;
  let determinantNotes = bars.notes;
  let asWritten = bars.asWritten;
  try {
    resolved = settle(bars.statement);
  } catch (err) {
    if (!(err instanceof FormulaError) || asWritten === undefined) throw err;
    // The determinants do not fit: |x| as written, the absolute value.
    resolved = settle(asWritten);
    determinantNotes = [];
    asWritten = undefined;
  }
  verifyScalars(resolved.checked, latex, parsed);
  const alternatives = targetShape ? alternativesOf(parsed, resolved.checked, latex, options, check) : [];
  if (targetShape && asWritten !== undefined) {
    try {
      alternatives.push({ checked: settle(asWritten).checked, note: '|…| read as the absolute value instead of the determinant', review: true });
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
    }
  }
  return { checked: resolved.checked, notes: [...entrywise.notes, ...determinantNotes, ...resolved.notes], alternatives };
}

function mentions(s: Statement, name: string): boolean {
  let found = false;
  walk(valueOf(s), (node) => {
    if (node.kind === 'symbol' && node.name === name) found = true;
  });
  return found;
}

/**
 * Checks the statement, reading a product (or quotient) elementwise where the checker finds that the
 * matrix product (or division by a scalar) does not fit, one at a time. When a reading that way still
 * does not fit, the first error stands: the answer is not read with a guessed operator.
 */
function products(parsed: ParsedFormula, statement: Statement, latex: LatexParse, options: CheckOptions, check: CheckParsed, regroup = true): { checked: CheckedFormula; notes: string[]; flips: number } {
  let current = statement;
  let first: FormulaShapeError | undefined;
  const notes: string[] = [];
  const flipped = new Set<string>();
  for (;;) {
    try {
      return { checked: check(withParsed(parsed, current), options), notes, flips: flipped.size };
    } catch (err) {
      if (!(err instanceof FormulaShapeError)) throw err;
      first ??= err;
      let node: BinaryNode | undefined;
      walk(valueOf(current), (x) => {
        if (node === undefined && x.kind === 'binary' && (x.op === '*' || x.op === '/') && sameSpan(x.span, err.position) && !flipped.has(`${x.span.start}:${x.span.end}`)) node = x;
      });
      if (node === undefined) {
        const row = asTargetVector(parsed, statement, latex, options, check);
        if (row) return row;
        const regrouped = regroup ? regrouping(parsed, statement, first, latex, options, check) : undefined;
        if (regrouped) throw regrouped;
        throw refusedReading(first, latex, parsed, statement, options, check);
      }
      const found = node;
      flipped.add(`${found.span.start}:${found.span.end}`);
      const op = found.op === '*' ? '.*' : './';
      current = mapStatement(current, (x) => (x === found ? { ...found, op } : undefined));
      if (found.op === '*') notes.push(`${printExpr(found)} is read as the elementwise product ${printExpr({ ...found, op })}, as the matrix product does not fit`);
    }
  }
}

/**
 * When no reading fits: a \otimes read as kron whose elementwise reading would fit, or a written-out
 * matrix with block entries, is flagged for a person; otherwise the checker's first error stands.
 */
function refusedReading(first: FormulaShapeError, latex: LatexParse, parsed: ParsedFormula, statement: Statement, options: CheckOptions, check: CheckParsed): FormulaError {
  const site = (span: SourceSpan) => ({ text: parsed.text, span });
  // An error inside a written-out matrix (its blocks, not the matrix as a whole) is about what its entries stand for.
  const at = first.position;
  for (const span of latex.choices.matrices) {
    if (at && at.offset >= span.start && at.end <= span.end && !(at.offset === span.start && at.end === span.end)) {
      return new UnsupportedNotationError('a block matrix', `the entries of this written-out matrix do not fit together as blocks (${first.what})`, site(span), 'a person can check what the entries stand for');
    }
  }
  let starred = false;
  walk(valueOf(statement), (x) => {
    if (x.kind === 'binary' && x.op === '*' && sameSpan(x.span, first.position) && latex.choices.stars.some((s) => s.start === x.opSpan.start && s.end === x.opSpan.end)) starred = true;
  });
  if (starred) {
    return new UnsupportedNotationError('*', `* between tensors that fit no product (${first.what}): a convolution?`, site(first.position ? { start: first.position.offset, end: first.position.end } : { start: 0, end: parsed.text.length }), 'write a convolution as \\operatorname{conv2}(A, B, \\text{full}) or \\operatorname{corr2}; a person should check what * meant');
  }
  const isOtimes = (x: Expr): x is CallNode => x.kind === 'call' && x.fn === 'kron' && latex.choices.otimes.some((s) => s.start === x.nameSpan.start && s.end === x.nameSpan.end);
  let otimes = false;
  walk(valueOf(statement), (x) => {
    if (x.kind === 'call' && isOtimes(x)) otimes = true;
  });
  if (otimes) {
    // ⊗ is also written for the elementwise product, and between two columns for the outer product u vᵀ.
    const readings: [string, (a: Expr, b: Expr, x: CallNode) => Expr][] = [
      ['elementwise', (a, b, x) => ({ kind: 'binary', op: '.*', left: a, right: b, span: x.span, opSpan: x.nameSpan }) satisfies BinaryNode],
      ['as an outer product', (a, b, x) => ({ kind: 'binary', op: '*', left: a, right: { kind: 'transpose', arg: b, span: b.span }, span: x.span, opSpan: x.nameSpan }) satisfies BinaryNode],
    ];
    for (const [how, build] of readings) {
      const replace = (x: Expr): Expr | undefined => (isOtimes(x) ? build(mapExpr(x.args[0]!, replace), mapExpr(x.args[1]!, replace), x) : undefined);
      try {
        const fits = products(parsed, mapStatement(statement, replace), { ...latex, choices: { ...latex.choices, otimes: [] } }, options, check).checked;
        const span = latex.choices.otimes[0]!;
        return new UnsupportedNotationError('\\otimes', `\\otimes is read as the Kronecker product, which does not fit here (${first.what}); read ${how} it would: ${fits.parsed.readAs}`, site(span), 'a question can declare \\otimes as the elementwise product; a person should check which was meant');
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
      }
    }
  }
  return first;
}

/**
 * `W^T a \odot b` reads as (W^T a) ⊙ b, `W^T g s` as (W^T g) s: a product binds tighter than ⊙, + and −
 * and groups to the left. When that does not fit and W^T (a ⊙ b), W^T (g s) would, the writer may have
 * meant it: a person decides.
 */
function regrouping(parsed: ParsedFormula, statement: Statement, err: FormulaShapeError, latex: LatexParse, options: CheckOptions, check: CheckParsed): UnsupportedNotationError | undefined {
  let node: BinaryNode | undefined;
  walk(valueOf(statement), (x) => {
    if (node === undefined && x.kind === 'binary' && ['*', '.*', './', '+', '-'].includes(x.op) && sameSpan(x.span, err.position) && x.left.kind === 'binary' && x.left.op === '*') node = x;
  });
  if (node === undefined) return undefined;
  let found: BinaryNode = node;
  let other: BinaryNode;
  if (found.op === '*') {
    // A chain of products A B C D: the first factor times the product of the others, A (B C D).
    walk(valueOf(statement), (x) => {
      if (x.kind === 'binary' && x.op === '*' && x.span.end > found.span.end && onSpine(x, found)) found = x;
    });
    const factors = spine(found);
    const rest = factors.slice(1).reduce((a, b): Expr => ({ kind: 'binary', op: '*', left: a, right: b, span: { start: a.span.start, end: b.span.end }, opSpan: { start: b.span.start, end: b.span.start } }));
    other = { ...found, left: factors[0]!, right: rest };
  } else {
    const { left, right } = found as BinaryNode & { left: BinaryNode };
    const inner: BinaryNode = { ...found, left: left.right, right, span: { start: left.right.span.start, end: right.span.end } };
    other = { ...left, right: inner, span: found.span };
  }
  const replaced = found;
  let fits: CheckedFormula;
  try {
    fits = products(parsed, mapStatement(statement, (x) => (x === replaced ? other : undefined)), latex, options, check, false).checked;
  } catch (e) {
    if (e instanceof FormulaError) return undefined;
    throw e;
  }
  return new UnsupportedNotationError('precedence', `${printExpr(replaced)} does not fit (${err.what}); grouped as ${fits.parsed.readAs} it would`, { text: parsed.text, span: replaced.span }, 'a product binds tighter than ⊙, + and − and groups to the left: add parentheses; a person should check which was meant');
}

/**
 * A vector where the target is a row or a column: a slice such as dY_{n,:} drops its axis (NumPy), while
 * the student means the row. Read with the target's orientation: reshape(v, 1, M) or reshape(v, M, 1).
 */
function asTargetVector(parsed: ParsedFormula, statement: Statement, latex: LatexParse, options: CheckOptions, check: CheckParsed): { checked: CheckedFormula; notes: string[]; flips: number } | undefined {
  const target = options.targetShape;
  if (!target || target.length !== 2 || (target[0] !== 1 && target[1] !== 1) || (statement.kind === 'assignment' && statement.indices !== null)) return undefined;
  let free: CheckedFormula;
  try {
    free = products(parsed, statement, latex, { ...options, targetShape: undefined }, check).checked;
  } catch (err) {
    if (err instanceof FormulaError) return undefined;
    throw err;
  }
  if (free.shape.length !== 1) return undefined;
  const value = valueOf(statement);
  const sizes = target.map((d) => lengthExpr(String(d), value.span, free.scope));
  const reshaped: Expr = { kind: 'call', fn: 'reshape', args: [value, ...sizes], span: value.span, nameSpan: value.span };
  const oriented: Statement = statement.kind === 'expression' ? { ...statement, expr: reshaped } : { ...statement, value: reshaped };
  try {
    const r = products(parsed, oriented, latex, options, check);
    return { ...r, notes: [`the vector ${printExpr(value)} is read as a ${target[0] === 1 ? 'row' : 'column'}, as ${latex.targetName ?? 'the target'} is`, ...r.notes] };
  } catch (err) {
    if (err instanceof FormulaError) return undefined;
    throw err;
  }
}

/** `(…)^T` of a scalar where T is a dimension is not read with a guess. */
function verifyScalars(checked: CheckedFormula, latex: LatexParse, parsed: ParsedFormula): void {
  const info = checked.annotations.info;
  walk(valueOf(checked.parsed.statement), (x) => {
    if (x.kind === 'transpose' && latex.choices.transposes.some((s) => x.span.end === s.end)) {
      if ((info.get(x.arg)?.shape.length ?? 1) === 0) throw new UnsupportedNotationError('^T', `${printExpr(x.arg)} is a number and T a dimension: a power or a transpose?`, { text: parsed.text, span: x.span }, 'write ^\\top for a transpose');
    }
  });
}

/**
 * The matrix products (as written) that could also be read elementwise, each such reading that also fits
 * the target: the grader mentions it when it, and not the graded reading, agrees with the truth.
 */
function alternativesOf(parsed: ParsedFormula, checked: CheckedFormula, latex: LatexParse, options: CheckOptions, check: CheckParsed): Alternative[] {
  const info = checked.annotations.info;
  const out: Alternative[] = [];
  const statement = checked.parsed.statement;
  const attempt = (replace: (x: Expr) => Expr | undefined, note: string, review: boolean) => {
    try {
      out.push({ checked: check(withParsed(parsed, mapStatement(statement, replace)), options), note, review });
    } catch (err) {
      if (!(err instanceof FormulaError)) throw err;
    }
  };
  walk(valueOf(statement), (x) => {
    if (out.length >= MAX_ALTERNATIVES || x.kind !== 'binary' || x.op !== '*') return;
    if ((info.get(x.left)?.shape.length ?? 0) === 0 || (info.get(x.right)?.shape.length ?? 0) === 0) return;
    const flipped: BinaryNode = { ...x, op: '.*' };
    attempt((y) => (y === x ? flipped : undefined), `read as the elementwise product ${printExpr(flipped)} instead of the matrix product ${printExpr(x)}`, false);
  });
  // σ of a vector or matrix, where σ is read as the sigmoid: as the softmax (its class axis as the problem has it).
  const isSigma = (y: Expr): y is CallNode => y.kind === 'call' && y.fn === 'sigmoid' && latex.choices.sigmas.some((s) => s.start === y.nameSpan.start && s.end === y.nameSpan.end) && (info.get(y.args[0]!)?.shape.some((d) => !d.isOne()) ?? false);
  let sigmas = false;
  walk(valueOf(statement), (y) => {
    if (y.kind === 'call' && isSigma(y)) sigmas = true;
  });
  if (sigmas) attempt((y) => (isSigma(y) ? { ...y, fn: 'softmax' } : undefined), '\\sigma read as the softmax', true);
  // X^2 of a square matrix is read elementwise, as powers are; the matrix power X X is as plausible.
  walk(valueOf(statement), (y) => {
    if (y.kind !== 'binary' || y.op !== '.^' || y.right.kind !== 'number' || !MATRIX_POWERS.includes(y.right.value) || !isSquareMatrix(info.get(y.left)?.shape)) return;
    const base = y.left;
    const power = Array.from({ length: y.right.value - 1 }).reduce<Expr>((acc) => ({ kind: 'binary', op: '*', left: acc, right: base, span: y.span, opSpan: y.opSpan }), base);
    attempt((z) => (z === y ? power : undefined), `${printExpr(y)} read as the matrix power ${printExpr(power)}`, true);
  });
  return out;
}

/** Powers of a square matrix also tried as matrix powers. */
const MATRIX_POWERS: readonly number[] = [2, 3];

