import { CONSTANTS } from './allowlist.js';
import { type Annotations, type CallPlan, type IndexBinding, NO_USES, type NodeInfo, type PlannedNode, type SymbolRef, unionUses } from './annotations.js';
import { type Env, type ExprChecker, IndexBindings } from './bindings.js';
import { CallSite, staticArgument } from './call-site.js';
import { type Declarations, Scope, parseDimension, resolveDeclarations } from './declarations.js';
import { Dim, type SymbolicShape, formatSymbolicShape, sameSymbolicShape, symbolicSize } from './dims.js';
import { FormulaShapeError, LimitExceededError, type SourceSpan, UnsupportedSyntaxError } from './errors.js';
import { bracketJoin } from './functions/concat.js';
import { functionRow } from './functions/table.js';
import { firstFitting, flips, operandName, unknownSymbol } from './hints.js';
import { type LatexResolution, resolveLatexReading } from './latex/resolve.js';
import { type FormulaLimits, MAX_RANK, resolveLimits } from './limits.js';
import type { ParsedFormula } from './parse.js';
import { printExpr } from './print.js';
import { broadcastSymbolic, isAllOnes, matmulSymbolic, transposeShape } from './shape-algebra.js';
import type { BinaryNode, CallNode, Expr, IndexEntry, IndexNode, ListNode, MatrixNode, SliceNode, SymbolNode } from './tree.js';

export type { Annotations, Bound, CallPlan, IndexBinding, NodeInfo, SymbolRef } from './annotations.js';

/**
 * Shape checking: every node's shape is inferred symbolically from the declared dimensions before any
 * number is computed. Dimensions are compared in canonical polynomial form (see dims.ts), so the check
 * is exact: it never accepts a formula whose shapes could disagree for some dimension values.
 *
 * Semantics (1-based MATLAB dims in function arguments, NumPy broadcasting):
 * - `*` is the matrix product (NumPy matmul: a vector is a row on the left, a column on the right);
 *   a scalar operand scales. `.*` `./` `.^` `+` `-` and comparisons broadcast (a 1×M row against N×M).
 * - `/` divides by a scalar; `^` is a power of scalars, `X^T` the transpose.
 * - Index notation: `A[i, j]` reads an element (0 outside A's bounds), `A[n, f, :, :]` a slice (the
 *   indexed axes are dropped, as in NumPy).
 * - Functions: each call is checked by its row's shape rule (src/formula/functions).
 * This file is the walk over the tree; the shape algebra (shape-algebra.ts), index bindings
 * (bindings.ts), the hints of errors (hints.ts) and the argument readers of calls (call-site.ts) are
 * beside it.
 */

export interface CheckOptions {
  /** The shape the answer must have (the gradient's target), entries as in declarations. */
  readonly targetShape?: readonly (string | number)[];
  readonly limits?: Partial<FormulaLimits>;
}

export interface CheckedFormula {
  readonly parsed: ParsedFormula;
  readonly scope: Scope;
  /** The answer's symbolic shape ([] for a scalar). */
  readonly shape: SymbolicShape;
  /** `D×M`, `scalar`. */
  readonly shapeText: string;
  readonly kind: 'expression' | 'assignment' | 'index-notation';
  /** The assigned name of `dW = ...` / `dS[i, j] = ...`. */
  readonly target: string | undefined;
  readonly limits: FormulaLimits;
  readonly annotations: Annotations;
  /** LaTeX answers: what the reading decided from the shapes (latex/resolve.ts). */
  readonly reading?: LatexResolution;
}

class Checker implements ExprChecker {
  private readonly info = new Map<Expr, NodeInfo>();
  private readonly refs = new Map<SymbolNode | IndexNode, SymbolRef>();
  private readonly plans = new Map<PlannedNode, CallPlan>();
  readonly bindings = new IndexBindings(this);

  constructor(
    private readonly parsed: ParsedFormula,
    readonly scope: Scope,
    private readonly limits: FormulaLimits,
  ) {}

  annotations(free: readonly (IndexBinding | undefined)[]): Annotations {
    return { info: this.info, refs: this.refs, plans: this.plans, bindings: this.bindings.all, free };
  }

  private site(span: SourceSpan) {
    return { text: this.parsed.text, span };
  }

  infoOf(node: Expr): NodeInfo | undefined {
    return this.info.get(node);
  }

  shapeError(node: { readonly span: SourceSpan }, what: string, hint = '', message?: string): FormulaShapeError {
    return new FormulaShapeError(what, this.site(node.span), hint, message === undefined ? undefined : { message });
  }

  private record(node: Expr, info: NodeInfo): NodeInfo {
    if (info.shape.length > MAX_RANK) {
      throw new LimitExceededError(`${printExpr(node)} would have rank ${info.shape.length}, more than the ${MAX_RANK} axes a tensor may have`, this.site(node.span), 'maxRank', 'use fewer axes');
    }
    const size = symbolicSize(info.shape).constantValue();
    if (size !== undefined && size > this.limits.maxElements) {
      throw new LimitExceededError(`${printExpr(node)} would hold ${size} elements; the limit is ${this.limits.maxElements}`, this.site(node.span), 'maxElements');
    }
    this.info.set(node, info);
    return info;
  }

  expr(node: Expr, env: Env): NodeInfo {
    try {
      return this.record(node, this.infer(node, env));
    } catch (err) {
      // Dimension arithmetic has no source position; give it this node's.
      if (err instanceof LimitExceededError && err.position === undefined) throw new LimitExceededError(err.what, this.site(node.span), err.limit, err.hint);
      throw err;
    }
  }

  private infer(node: Expr, env: Env): NodeInfo {
    switch (node.kind) {
      case 'number':
        return { shape: [], integer: Number.isInteger(node.value), static: Number.isSafeInteger(node.value) ? Dim.constant(node.value) : undefined, uses: NO_USES };
      case 'string':
        throw new UnsupportedSyntaxError(`quoted text ${printExpr(node)} is only allowed as a mode`, this.site(node.span), "e.g. conv2(A, B, 'full') or norm(X, 'fro')");
      case 'list':
        return this.join(node, env);
      case 'matrix':
        return this.join(node, env);
      case 'symbol':
        return this.symbol(node, env);
      case 'negate': {
        const a = this.expr(node.arg, env);
        return { shape: a.shape, integer: a.integer, static: a.static?.neg(), uses: a.uses };
      }
      case 'transpose': {
        const a = this.expr(node.arg, env);
        if (a.shape.length > 2) {
          throw this.shapeError(node, `${printExpr(node.arg)} is ${formatSymbolicShape(a.shape)}; the transpose ' is defined for vectors and matrices`, 'use index notation to permute axes of higher-rank tensors');
        }
        return { ...a, shape: transposeShape(a.shape) };
      }
      case 'binary':
        return this.binary(node, env);
      case 'call':
        return this.call(node, env);
      case 'index':
        return this.index(node, env);
      case 'slice':
        return this.slice(node, env);
    }
  }

  private symbol(node: SymbolNode, env: Env): NodeInfo {
    const name = node.name;
    const binding = env.get(name);
    if (binding) {
      this.refs.set(node, { kind: 'index', slot: binding.slot });
      return { shape: [], integer: true, static: undefined, uses: new Set([binding.slot]) };
    }
    const declared = this.scope.symbols.get(name);
    if (declared) {
      this.refs.set(node, { kind: 'tensor', name });
      return { shape: declared.shape, integer: declared.dtype === 'index', static: undefined, uses: NO_USES };
    }
    if (this.scope.dims.has(name)) {
      this.refs.set(node, { kind: 'dim', name });
      return { shape: [], integer: true, static: Dim.symbol(name), uses: NO_USES };
    }
    const constant = CONSTANTS.get(name);
    if (constant !== undefined) {
      this.refs.set(node, { kind: 'constant', value: constant });
      return { shape: [], integer: false, static: undefined, uses: NO_USES };
    }
    const row = functionRow(name);
    if (row) throw new UnsupportedSyntaxError(`${name} is a function`, this.site(node.span), `call it: ${row.usage.split(' | ')[0]}`);
    throw unknownSymbol(node, env, this.scope, this.parsed.text);
  }

  private binary(node: BinaryNode, env: Env): NodeInfo {
    const a = this.expr(node.left, env);
    const b = this.expr(node.right, env);
    const uses = unionUses(a, b);
    const scalarA = a.shape.length === 0;
    const scalarB = b.shape.length === 0;
    switch (node.op) {
      case '*':
        if (scalarA || scalarB) return this.elementwise(node, a, b);
        return { shape: this.matmul(node, a, b), integer: a.integer && b.integer, static: undefined, uses };
      case '/':
        if (!scalarB) {
          throw this.shapeError(node, `${printExpr(node)}: / divides by a scalar, and ${operandName(node.right)} is ${formatSymbolicShape(b.shape)}`, `for elementwise division write ${printExpr({ ...node, op: './' })}`);
        }
        return { shape: a.shape, integer: false, static: a.static && b.static ? a.static.divide(b.static) : undefined, uses };
      case '^':
        if (!scalarA || !scalarB) {
          const which = scalarA ? node.right : node.left;
          const inverse = !scalarA && b.static?.constantValue() === -1 ? `; for the inverse write inv(${printExpr(node.left)})` : '';
          throw this.shapeError(node, `${printExpr(node)}: ^ is a power of scalars, and ${operandName(which)} is ${formatSymbolicShape(scalarA ? b.shape : a.shape)}`, `for an elementwise power write ${printExpr({ ...node, op: '.^' })}; for the transpose write ${operandName(node.left)}'${inverse}`);
        }
        return this.elementwise(node, a, b);
      default:
        return this.elementwise(node, a, b);
    }
  }

  private shapeOf = (e: Expr): SymbolicShape | undefined => this.info.get(e)?.shape;

  private elementwise(node: BinaryNode, a: NodeInfo, b: NodeInfo): NodeInfo {
    const shape = broadcastSymbolic(a.shape, b.shape);
    if (shape === undefined) {
      const suggestion = firstFitting(node, flips(node), broadcastSymbolic, this.shapeOf);
      throw this.shapeError(
        node,
        `${printExpr(node)}: shapes do not broadcast (${operandName(node.left)} is ${formatSymbolicShape(a.shape)}, ${operandName(node.right)} is ${formatSymbolicShape(b.shape)})`,
        suggestion ? `did you mean ${suggestion}?` : 'each axis must match or be 1 (a 1×M row broadcasts against N×M)',
      );
    }
    const op = node.op;
    const comparison = op === '<' || op === '>' || op === '<=' || op === '>=' || op === '==' || op === '!=';
    const power = op === '^' || op === '.^';
    const exponent = b.static?.constantValue();
    const integer = comparison || (a.integer && b.integer && (op === '+' || op === '-' || op === '*' || op === '.*' || (power && exponent !== undefined && exponent >= 0)));
    let value: Dim | undefined;
    if (a.static && b.static) {
      if (op === '+') value = a.static.add(b.static);
      else if (op === '-') value = a.static.sub(b.static);
      else if (op === '*' || op === '.*') value = a.static.mul(b.static);
      else if (op === './') value = a.static.divide(b.static);
      else if (power) value = a.static.pow(b.static);
    }
    return { shape, integer, static: value, uses: unionUses(a, b) };
  }

  private matmul(node: BinaryNode, a: NodeInfo, b: NodeInfo): SymbolicShape {
    const shape = matmulSymbolic(a.shape, b.shape);
    if (shape !== undefined) return shape;
    const suggestion = firstFitting(node, [...flips(node), [node.right, node.left]], matmulSymbolic, this.shapeOf);
    const elementwise = broadcastSymbolic(a.shape, b.shape) !== undefined ? printExpr({ ...node, op: '.*' }) : undefined;
    const hint = suggestion ? `did you mean ${suggestion}?` : elementwise ? `for the elementwise product write ${elementwise}` : '';
    throw this.shapeError(
      node,
      `${printExpr(node)}: inner dimensions differ (${operandName(node.left)} is ${formatSymbolicShape(a.shape)}, ${operandName(node.right)} is ${formatSymbolicShape(b.shape)})`,
      hint,
    );
  }

  private index(node: IndexNode, env: Env): NodeInfo {
    const declared = this.scope.symbols.get(node.name);
    if (!declared) {
      if (this.scope.dims.has(node.name) || env.has(node.name)) {
        throw this.shapeError(node, `${node.name} is a number, not a tensor, so it cannot be indexed`);
      }
      throw unknownSymbol(node, env, this.scope, this.parsed.text);
    }
    this.refs.set(node, { kind: 'tensor', name: node.name });
    return this.entries(node, node.name, declared.shape, declared.dtype === 'index', env);
  }

  /** `(X * W)[:, 1:H]`: the same rules as indexing a name, on the value's checked shape. */
  private slice(node: SliceNode, env: Env): NodeInfo {
    const object = this.expr(node.object, env);
    const info = this.entries(node, operandName(node.object), object.shape, object.integer, env);
    return { ...info, uses: unionUses(info, object) };
  }

  /** The type of `what[entries]` for a value of `shape`: scalar-indexed axes dropped, `:` and ranges kept. */
  private entries(node: IndexNode | SliceNode, what: string, shape: SymbolicShape, integer: boolean, env: Env): NodeInfo {
    const rank = shape.length;
    if (node.entries.length !== rank) {
      throw this.shapeError(node, `${what} is ${formatSymbolicShape(shape)}, so it takes ${rank} ind${rank === 1 ? 'ex' : 'ices'}, not ${node.entries.length}`, rank === 0 ? `write ${what} without brackets` : `e.g. ${what}[${shape.map((_, k) => 'ijklmn'[k] ?? `i${k}`).join(', ')}]`);
    }
    const out: Dim[] = [];
    const entryInfos: NodeInfo[] = [];
    node.entries.forEach((entry: IndexEntry, axis) => {
      if (entry.kind === 'colon') {
        out.push(shape[axis]!);
        return;
      }
      if (entry.kind === 'range') {
        const lo = staticArgument(this, entry.start, env, 'a range start');
        const hi = staticArgument(this, entry.end, env, 'a range end');
        out.push(hi.sub(lo).add(Dim.constant(1)));
        return;
      }
      const e = this.expr(entry, env);
      if (e.shape.length !== 0) throw this.shapeError(entry, `the index ${printExpr(entry)} is ${formatSymbolicShape(e.shape)}, not a number`, 'an index is a scalar expression such as i, i - m + 1 or c[n]');
      if (!e.integer) throw this.shapeError(entry, `the index ${printExpr(entry)} is not always a whole number`, `wrap it: ceil(${printExpr(entry)}) or floor(${printExpr(entry)}); labels used as indices need dtype 'index'`);
      entryInfos.push(e);
    });
    return { shape: out, integer, static: undefined, uses: unionUses(...entryInfos) };
  }

  private call(node: CallNode, env: Env): NodeInfo {
    const row = functionRow(node.fn);
    if (row === undefined) throw new UnsupportedSyntaxError(`${node.fn} is not available here`, this.site(node.nameSpan));
    const args = node.args;
    const [least, most] = row.arity;
    if (args.length < least || args.length > most) {
      throw this.shapeError(node, `${node.fn} takes ${least === most ? least : `${least} to ${most}`} argument${most === 1 ? '' : 's'}, got ${args.length}`, `usage: ${row.usage}`);
    }
    // A spelling row (transpose) of the right arity was read as its tree node.
    if (row.kind !== 'computed') throw new Error(`internal: ${node.fn} reached the checker as a call`);
    const { plan, info } = row.shape(new CallSite(node, env, this, this.bindings));
    this.plans.set(node, plan);
    return info;
  }

  /** `[A, B]` and `[A, B; C, D]` as values: concatenations (MATLAB), by the rule of cat (functions/concat.ts). */
  private join(node: ListNode | MatrixNode, env: Env): NodeInfo {
    if (node.kind === 'list' && node.items.length === 0) {
      throw new UnsupportedSyntaxError('[] is only allowed as the middle argument of max(X, [], dim) or min(X, [], dim)', this.site(node.span), 'an empty matrix has no value in a formula');
    }
    const parts: readonly Expr[] = node.kind === 'list' ? node.items : node.rows;
    const infos = parts.map((p) => this.expr(p, env));
    const joined = bracketJoin(infos.map((i) => i.shape), node.kind === 'list' ? 'horizontal' : 'vertical');
    // A row of one item is named by the item: [A; X] says A and X.
    const texts = parts.map((p) => printExpr(p.kind === 'list' && p.items.length === 1 ? p.items[0]! : p));
    if ('problem' in joined) throw this.shapeError(parts[joined.operand]!, joined.problem(texts), joined.hint);
    this.plans.set(node, { form: 'axis', axis: joined.axis, operands: parts });
    return { shape: joined.shape, integer: infos.every((i) => i.integer), static: undefined, uses: unionUses(...infos) };
  }
}

/** Resolves `targetShape` entries (strings over the declared dims, or numbers). */
function resolveTargetShape(entries: readonly (string | number)[], scope: Scope): SymbolicShape {
  return entries.map((e) => parseDimension(e, scope.dims, 'target shape'));
}

/** Scalars and 1×1 matrices are interchangeable as answers, as in MATLAB; everything else must match exactly. */
function fitsTarget(got: SymbolicShape, target: SymbolicShape): boolean {
  return sameSymbolicShape(got, target) || (isAllOnes(got) && isAllOnes(target));
}

function targetMismatch(got: SymbolicShape, target: SymbolicShape, parsed: ParsedFormula, span: SourceSpan): FormulaShapeError {
  const transposed = got.length === 2 && target.length === 2 && sameSymbolicShape(transposeShape(got), target);
  const what = `expected ${formatSymbolicShape(target)}, got ${formatSymbolicShape(got)}`;
  const message = transposed ? `${what} (transposed?)` : what;
  const hint = transposed ? "the answer is the transpose of what is expected; transpose it (') or swap the operands" : 'the answer must have the shape of the variable it is the gradient of';
  return new FormulaShapeError(what, { text: parsed.text, span }, hint, { message });
}

/**
 * Infers the shape of every node of a parsed formula against the declarations and checks it against
 * the target's shape (when given, or when the formula assigns to a declared name). Throws
 * FormulaShapeError, UnknownSymbolError, UnsupportedSyntaxError or LimitExceededError with the position.
 */
export function checkFormula(parsed: ParsedFormula, declarations: Declarations | Scope, options: CheckOptions = {}): CheckedFormula {
  const scope = declarations instanceof Scope ? declarations : resolveDeclarations(declarations);
  if (parsed.latex) return resolveLatexReading(parsed, parsed.latex, scope, options, (p, o) => checkStatement(p, scope, o));
  return checkStatement(parsed, scope, options);
}

/** checkFormula for a statement as it stands (LaTeX readings already settled). */
function checkStatement(parsed: ParsedFormula, scope: Scope, options: CheckOptions): CheckedFormula {
  const limits = resolveLimits(options.limits);
  const checker = new Checker(parsed, scope, limits);
  const statement = parsed.statement;
  const declaredTarget = statement.kind === 'assignment' ? scope.symbols.get(statement.target)?.shape : undefined;
  const target = options.targetShape ? resolveTargetShape(options.targetShape, scope) : declaredTarget;

  if (statement.kind === 'expression' || statement.indices === null) {
    const value = statement.kind === 'expression' ? statement.expr : statement.value;
    const info = checker.expr(value, new Map());
    if (target && !fitsTarget(info.shape, target)) throw targetMismatch(info.shape, target, parsed, value.span);
    const shape = target ?? info.shape;
    return {
      parsed,
      scope,
      shape,
      shapeText: formatSymbolicShape(shape),
      kind: statement.kind === 'expression' ? 'expression' : 'assignment',
      target: statement.kind === 'assignment' ? statement.target : undefined,
      limits,
      annotations: checker.annotations([]),
    };
  }

  // Index notation: free indices span the target's shape.
  if (!target) {
    throw new FormulaShapeError(`the shape of ${statement.target} is unknown`, { text: parsed.text, span: statement.targetSpan }, `declare ${statement.target} or pass targetShape`);
  }
  if (statement.indices.length !== target.length) {
    throw new FormulaShapeError(
      `${statement.target} is ${formatSymbolicShape(target)}, so the left side takes ${target.length} ind${target.length === 1 ? 'ex' : 'ices'}, not ${statement.indices.length}`,
      { text: parsed.text, span: statement.targetSpan },
    );
  }
  const env = new Map<string, IndexBinding>();
  const free: (IndexBinding | undefined)[] = [];
  const sliceShape: Dim[] = [];
  statement.indices.forEach((entry, axis) => {
    if (entry.kind === 'colon') {
      free.push(undefined);
      sliceShape.push(target[axis]!);
      return;
    }
    const binding = checker.bindings.bind(entry.name, entry, env, { dim: Dim.constant(1) }, { dim: target[axis]! }, 'free');
    env.set(entry.name, binding);
    free.push(binding);
  });
  const info = checker.expr(statement.value, env);
  const fits = info.shape.length === 0 || sameSymbolicShape(info.shape, sliceShape) || (sliceShape.length === 0 && isAllOnes(info.shape));
  if (!fits) {
    const lhs = `${statement.target}[${statement.indices.map((e) => (e.kind === 'colon' ? ':' : e.name)).join(', ')}]`;
    const what = sliceShape.length === 0
      ? `the right side is ${formatSymbolicShape(info.shape)}, but ${lhs} is one number for each index value`
      : `the right side is ${formatSymbolicShape(info.shape)}, but ${lhs} is ${formatSymbolicShape(sliceShape)}`;
    throw checker.shapeError(statement.value, what, sliceShape.length === 0 ? 'index the tensors on the right too, e.g. X[i, j]' : 'the right side must have the shape of the : axes');
  }
  return {
    parsed,
    scope,
    shape: target,
    shapeText: formatSymbolicShape(target),
    kind: 'index-notation',
    target: statement.target,
    limits,
    annotations: checker.annotations(free),
  };
}
