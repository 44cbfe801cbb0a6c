import { CONSTANTS, MODE_STRINGS, RESERVED_WORDS, functionSpec, isFunctionName } from './allowlist.js';
import { type Declarations, Scope, parseDimension, resolveDeclarations } from './declarations.js';
import { Dim, type SymbolicShape, formatSymbolicShape, sameSymbolicShape, symbolicSize } from './dims.js';
import { FormulaShapeError, LimitExceededError, type SourceSpan, UnknownSymbolError, UnsupportedSyntaxError } from './errors.js';
import { type LatexResolution, resolveLatexReading } from './latex/resolve.js';
import { type FormulaLimits, resolveLimits } from './limits.js';
import type { ParsedFormula } from './parse.js';
import { printExpr } from './print.js';
import { closeNames } from './suggest.js';
import { type BinaryNode, type CallNode, type Expr, type IndexEntry, type IndexNode, type SymbolNode } from './tree.js';

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
 */

export interface NodeInfo {
  readonly shape: SymbolicShape;
  /** Every value is a whole number (so a scalar of this kind may index a tensor). */
  readonly integer: boolean;
  /** The value as a dimension expression when it is built from integers and dimension names only. */
  readonly static: Dim | undefined;
  /** Index slots the value depends on (empty: the same value in every iteration of every loop). */
  readonly uses: ReadonlySet<number>;
}

/** A summation or left-side index bound: a dimension expression, or an expression over outer indices. */
export type Bound = { readonly dim: Dim } | { readonly expr: Expr };

export interface IndexBinding {
  readonly name: string;
  /** Position in the evaluation's index environment. */
  readonly slot: number;
  readonly lo: Bound;
  readonly hi: Bound;
  readonly role: 'free' | 'sum';
}

export type SymbolRef =
  | { readonly kind: 'tensor'; readonly name: string }
  | { readonly kind: 'dim'; readonly name: string }
  | { readonly kind: 'index'; readonly slot: number }
  | { readonly kind: 'constant'; readonly value: number };

/** How a call was resolved: which form of the function, and its static arguments. */
export interface CallPlan {
  readonly form: 'map' | 'scalar' | 'pair' | 'all' | 'axis' | 'index' | 'sizes' | 'euclid' | 'spectral' | 'fro' | 'rows' | 'columns' | 'conv';
  /** 0-based axis (reductions, softmax, flip). */
  readonly axis?: number;
  /** Sizes (ones, zeros, eye, reshape), the pad width, onehot's class count. */
  readonly sizes?: readonly Dim[];
  /** Quarter turns of rot90. */
  readonly turns?: number;
  readonly mode?: 'full' | 'valid' | 'same';
  /** Summation indices of sum(expr, i, ...), outermost first. */
  readonly bindings?: readonly IndexBinding[];
  /** The arguments evaluated as values, in order. */
  readonly operands: readonly Expr[];
}

/** Everything the compilers need, keyed by tree node. */
export interface Annotations {
  readonly info: ReadonlyMap<Expr, NodeInfo>;
  readonly refs: ReadonlyMap<SymbolNode | IndexNode, SymbolRef>;
  readonly plans: ReadonlyMap<CallNode, CallPlan>;
  /** Every index binding, by slot. */
  readonly bindings: readonly IndexBinding[];
  /** Left-side indices of index notation (one per target axis; undefined for `:`). */
  readonly free: readonly (IndexBinding | undefined)[];
}

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

type Env = ReadonlyMap<string, IndexBinding>;

const UNARY_MAPS = new Set(['exp', 'log', 'sqrt', 'abs', 'tanh', 'sigmoid', 'relu', 'ceil', 'floor']);
/** Element-wise functions that keep whole numbers whole. */
const INTEGER_PRESERVING = new Set(['abs', 'relu']);

function transposeShape(shape: SymbolicShape): SymbolicShape {
  return shape.length === 2 ? [shape[1]!, shape[0]!] : shape;
}

/** NumPy broadcasting on symbolic shapes: axes align on the right; equal, or one of them is 1. */
export function broadcastSymbolic(a: SymbolicShape, b: SymbolicShape): SymbolicShape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (x === undefined) out.push(y!);
    else if (y === undefined) out.push(x);
    else if (x.equals(y) || y.isOne()) out.push(x);
    else if (x.isOne()) out.push(y);
    else return undefined;
  }
  return out;
}

/** NumPy matmul on symbolic shapes (both operands non-scalar); undefined when inner dims differ. */
export function matmulSymbolic(a: SymbolicShape, b: SymbolicShape): SymbolicShape | undefined {
  const [m, k1] = a.length === 1 ? [Dim.constant(1), a[0]!] : [a[a.length - 2]!, a[a.length - 1]!];
  const [k2, n] = b.length === 1 ? [b[0]!, Dim.constant(1)] : [b[b.length - 2]!, b[b.length - 1]!];
  if (!k1.equals(k2)) return undefined;
  const batch = broadcastSymbolic(a.slice(0, -2), b.slice(0, -2));
  if (batch === undefined) return undefined;
  return [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
}

const isAllOnes = (shape: SymbolicShape): boolean => shape.every((d) => d.isOne());

const NO_USES: ReadonlySet<number> = new Set();

function unionUses(...infos: readonly NodeInfo[]): ReadonlySet<number> {
  const nonEmpty = infos.filter((i) => i.uses.size > 0);
  if (nonEmpty.length === 0) return NO_USES;
  if (nonEmpty.length === 1) return nonEmpty[0]!.uses;
  const out = new Set<number>();
  for (const i of nonEmpty) for (const slot of i.uses) out.add(slot);
  return out;
}

class Checker {
  private readonly info = new Map<Expr, NodeInfo>();
  private readonly refs = new Map<SymbolNode | IndexNode, SymbolRef>();
  private readonly plans = new Map<CallNode, CallPlan>();
  private readonly bindings: IndexBinding[] = [];

  constructor(
    private readonly parsed: ParsedFormula,
    private readonly scope: Scope,
    private readonly limits: FormulaLimits,
  ) {}

  annotations(free: readonly (IndexBinding | undefined)[]): Annotations {
    return { info: this.info, refs: this.refs, plans: this.plans, bindings: this.bindings, free };
  }

  private site(span: SourceSpan) {
    return { text: this.parsed.text, span };
  }

  /**
   * The axis softmax normalises when no dim is given: the only axis of a vector, the non-singleton axis of
   * a row or column, else the declared class axis; a general matrix without one needs its dim.
   */
  private softmaxAxis(node: Expr, arg: Expr, shape: SymbolicShape): number {
    if (shape.length === 1) return 0;
    if (shape.length === 2 && shape[0]!.isOne() !== shape[1]!.isOne()) return shape[0]!.isOne() ? 1 : 0;
    if (shape.length === 2 && this.scope.classAxis !== undefined) return this.scope.classAxis;
    throw this.shapeError(node, `softmax of the ${formatSymbolicShape(shape)} ${printExpr(arg)} needs a dim`, `softmax(${printExpr(arg)}, 2) normalises each row, softmax(${printExpr(arg)}, 1) each column`);
  }

  shapeError(node: { span: SourceSpan }, what: string, hint = '', message?: string): FormulaShapeError {
    return new FormulaShapeError(what, this.site(node.span), hint, message === undefined ? undefined : { message });
  }

  /** Binds a new index name (left side or summation), refusing names that already mean something. */
  bind(name: string, node: { span: SourceSpan }, env: Env, lo: Bound, hi: Bound, role: 'free' | 'sum'): IndexBinding {
    if (this.scope.isDeclared(name)) throw this.shapeError(node, `${name} is declared as a ${this.scope.dims.has(name) ? 'dimension' : 'tensor'}, so it cannot be an index name`, 'pick another index name (i, j, k, ...)');
    if (isFunctionName(name) || RESERVED_WORDS.has(name) || CONSTANTS.has(name)) throw this.shapeError(node, `${name} is a reserved name, so it cannot be an index name`, 'pick another index name (i, j, k, ...)');
    if (env.has(name)) throw this.shapeError(node, `the index ${name} is already bound here`, 'use a different name for the inner index');
    const binding: IndexBinding = { name, slot: this.bindings.length, lo, hi, role };
    this.bindings.push(binding);
    return binding;
  }

  private record(node: Expr, info: NodeInfo): NodeInfo {
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
        throw new UnsupportedSyntaxError('a bracketed list is only allowed as a size list or the [] of max(X, [], dim)', this.site(node.span), 'e.g. reshape(X, [N, D])');
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
    if (isFunctionName(name)) {
      throw new UnsupportedSyntaxError(`${name} is a function`, this.site(node.span), `call it: ${functionSpec(name)!.usage.split(' | ')[0]}`);
    }
    throw this.unknown(node, env);
  }

  private unknown(node: SymbolNode | IndexNode, env: Env): UnknownSymbolError {
    const name = node.name;
    const candidates = [...this.scope.names(), ...env.keys()];
    const suggestions = closeNames(name, candidates);
    const known = candidates.length > 0 ? `known names: ${[...new Set(candidates)].join(', ')}` : 'nothing is declared';
    const looksLikeIndex = /^[a-z][a-z0-9]?$/.test(name);
    const hint =
      suggestions.length > 0
        ? `did you mean ${suggestions.join(' or ')}?`
        : looksLikeIndex
          ? `to use ${name} as an index, bind it on the left (dS[${name}, j] = ...) or sum over it: sum(expr, ${name}); otherwise declare it (${known})`
          : `declare it, or check the spelling (${known})`;
    return new UnknownSymbolError(`unknown symbol ${name}`, this.site('nameSpan' in node ? node.nameSpan : node.span), name, suggestions, hint);
  }

  private operandName(node: Expr): string {
    const text = printExpr(node);
    return node.kind === 'symbol' || node.kind === 'index' || node.kind === 'call' || node.kind === 'number' ? text : `(${text})`;
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
          throw this.shapeError(node, `${printExpr(node)}: / divides by a scalar, and ${this.operandName(node.right)} is ${formatSymbolicShape(b.shape)}`, `for elementwise division write ${printExpr({ ...node, op: './' })}`);
        }
        return { shape: a.shape, integer: false, static: a.static && b.static ? a.static.divide(b.static) : undefined, uses };
      case '^':
        if (!scalarA || !scalarB) {
          const which = scalarA ? node.right : node.left;
          throw this.shapeError(node, `${printExpr(node)}: ^ is a power of scalars, and ${this.operandName(which)} is ${formatSymbolicShape(scalarA ? b.shape : a.shape)}`, `for an elementwise power write ${printExpr({ ...node, op: '.^' })}; for the transpose write ${this.operandName(node.left)}'`);
        }
        return this.elementwise(node, a, b);
      default:
        return this.elementwise(node, a, b);
    }
  }

  private elementwise(node: BinaryNode, a: NodeInfo, b: NodeInfo): NodeInfo {
    const shape = broadcastSymbolic(a.shape, b.shape);
    if (shape === undefined) {
      const suggestion = this.firstFitting(node, this.flips(node), (l, r) => broadcastSymbolic(l, r));
      throw this.shapeError(
        node,
        `${printExpr(node)}: shapes do not broadcast (${this.operandName(node.left)} is ${formatSymbolicShape(a.shape)}, ${this.operandName(node.right)} is ${formatSymbolicShape(b.shape)})`,
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

  /**
   * Operand pairs with one or both operands transposed, for "did you mean" hints: undoing a transpose the
   * user wrote comes first (X + s' → X + s), then transposing the left operand (X * dY → X' * dY).
   */
  private flips(node: BinaryNode): [Expr, Expr][] {
    const flip = (e: Expr): Expr => (e.kind === 'transpose' ? e.arg : { kind: 'transpose', arg: e, span: e.span });
    const l = node.left;
    const r = node.right;
    const single: [Expr, Expr][] = r.kind === 'transpose' && l.kind !== 'transpose' ? [[l, flip(r)], [flip(l), r]] : [[flip(l), r], [l, flip(r)]];
    return [...single, [flip(l), flip(r)]];
  }

  /** The first candidate (left, right) operand pair whose shapes fit `rule`, printed as the same operation. */
  private firstFitting(node: BinaryNode, candidates: readonly (readonly [Expr, Expr])[], rule: (a: SymbolicShape, b: SymbolicShape) => SymbolicShape | undefined): string | undefined {
    const shapeOf = (e: Expr): SymbolicShape => this.info.get(e)?.shape ?? transposeShape(this.info.get((e as { arg: Expr }).arg)!.shape);
    for (const [l, r] of candidates) {
      const ls = shapeOf(l);
      const rs = shapeOf(r);
      if ((l.kind === 'transpose' && ls.length !== 2) || (r.kind === 'transpose' && rs.length !== 2)) continue;
      if (rule(ls, rs) !== undefined) return printExpr({ ...node, left: l, right: r });
    }
    return undefined;
  }

  private matmul(node: BinaryNode, a: NodeInfo, b: NodeInfo): SymbolicShape {
    const shape = matmulSymbolic(a.shape, b.shape);
    if (shape !== undefined) return shape;
    const suggestion = this.firstFitting(node, [...this.flips(node), [node.right, node.left]], matmulSymbolic);
    const elementwise = broadcastSymbolic(a.shape, b.shape) !== undefined ? printExpr({ ...node, op: '.*' }) : undefined;
    const hint = suggestion ? `did you mean ${suggestion}?` : elementwise ? `for the elementwise product write ${elementwise}` : '';
    throw this.shapeError(
      node,
      `${printExpr(node)}: inner dimensions differ (${this.operandName(node.left)} is ${formatSymbolicShape(a.shape)}, ${this.operandName(node.right)} is ${formatSymbolicShape(b.shape)})`,
      hint,
    );
  }

  private index(node: IndexNode, env: Env): NodeInfo {
    const declared = this.scope.symbols.get(node.name);
    if (!declared) {
      if (this.scope.dims.has(node.name) || env.has(node.name)) {
        throw this.shapeError(node, `${node.name} is a number, not a tensor, so it cannot be indexed`);
      }
      throw this.unknown(node, env);
    }
    this.refs.set(node, { kind: 'tensor', name: node.name });
    const rank = declared.shape.length;
    if (node.entries.length !== rank) {
      throw this.shapeError(node, `${node.name} is ${formatSymbolicShape(declared.shape)}, so it takes ${rank} ind${rank === 1 ? 'ex' : 'ices'}, not ${node.entries.length}`, rank === 0 ? `write ${node.name} without brackets` : `e.g. ${node.name}[${declared.shape.map((_, k) => 'ijklmn'[k] ?? `i${k}`).join(', ')}]`);
    }
    const shape: Dim[] = [];
    const entryInfos: NodeInfo[] = [];
    node.entries.forEach((entry: IndexEntry, axis) => {
      if (entry.kind === 'colon') {
        shape.push(declared.shape[axis]!);
        return;
      }
      if (entry.kind === 'range') {
        const lo = this.staticArg(entry.start, env, 'a range start');
        const hi = this.staticArg(entry.end, env, 'a range end');
        shape.push(hi.sub(lo).add(Dim.constant(1)));
        return;
      }
      const e = this.expr(entry, env);
      if (e.shape.length !== 0) throw this.shapeError(entry, `the index ${printExpr(entry)} is ${formatSymbolicShape(e.shape)}, not a number`, 'an index is a scalar expression such as i, i - m + 1 or c[n]');
      if (!e.integer) throw this.shapeError(entry, `the index ${printExpr(entry)} is not always a whole number`, `wrap it: ceil(${printExpr(entry)}) or floor(${printExpr(entry)}); labels used as indices need dtype 'index'`);
      entryInfos.push(e);
    });
    return { shape, integer: declared.dtype === 'index', static: undefined, uses: unionUses(...entryInfos) };
  }

  /** A dimension expression argument (sizes, ranges, pad widths): integers and dimension names only. */
  staticArg(node: Expr, env: Env, what: string): Dim {
    const info = this.expr(node, env);
    if (info.static === undefined || info.shape.length !== 0) {
      throw this.shapeError(node, `${what} must be a dimension expression (integers, dimension names, + - * /), got ${printExpr(node)}`, this.scope.dims.size > 0 ? `e.g. ${[...this.scope.dims][0]}` : 'declare the dimension names');
    }
    return info.static;
  }

  /** A constant whole-number argument such as a 1-based dim or rot90's turns. */
  constantArg(node: Expr, env: Env, what: string, range?: readonly [number, number]): number {
    const value = this.staticArg(node, env, what).constantValue();
    if (value === undefined || !Number.isInteger(value) || (range && (value < range[0] || value > range[1]))) {
      const allowed = range ? (range[0] === range[1] ? `${range[0]}` : `${range[0]}..${range[1]}`) : 'a whole number';
      throw this.shapeError(node, `${what} must be ${allowed}, got ${printExpr(node)}`);
    }
    return value;
  }

  /** A 1-based MATLAB dim of a tensor of `rank` (rank 0 and 1 accept dim 1), returned 0-based. */
  private dimArg(node: Expr, env: Env, call: CallNode, shape: SymbolicShape): number {
    const rank = Math.max(1, shape.length);
    if (node.kind === 'symbol' && this.scope.dims.has(node.name) && call.fn === 'sum') {
      throw this.shapeError(node, `${node.name} is a dimension, so sum(expr, ${node.name}) reads it as a 1-based dim, not as an index`, 'sum over an index with a name that is not declared, e.g. sum(expr, k)');
    }
    const dim = this.constantArg(node, env, `the dim of ${call.fn}`, [1, rank]);
    return Math.min(dim, shape.length) - 1;
  }

  private call(node: CallNode, env: Env): NodeInfo {
    const spec = functionSpec(node.fn)!;
    const args = node.args;
    const [least, most] = spec.arity;
    if (args.length < least || args.length > most) {
      throw this.shapeError(node, `${node.fn} takes ${least === most ? least : `${least} to ${most}`} argument${most === 1 ? '' : 's'}, got ${args.length}`, `usage: ${spec.usage}`);
    }
    const { plan, info } = this.resolveCall(node, env);
    this.plans.set(node, plan);
    return info;
  }

  private value(node: Expr, env: Env): NodeInfo {
    return this.expr(node, env);
  }

  private usesOf(nodes: readonly Expr[]): ReadonlySet<number> {
    return unionUses(...nodes.flatMap((n) => this.info.get(n) ?? []));
  }

  private resolveCall(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const fn = node.fn;
    const args = node.args;
    const result = (plan: CallPlan, shape: SymbolicShape, integer = false): { plan: CallPlan; info: NodeInfo } => ({
      plan,
      info: { shape, integer, static: undefined, uses: this.usesOf(plan.operands) },
    });
    if (UNARY_MAPS.has(fn)) {
      const x = this.value(args[0]!, env);
      const integer = fn === 'ceil' || fn === 'floor' || (INTEGER_PRESERVING.has(fn) && x.integer);
      return result({ form: 'map', operands: args }, x.shape, integer);
    }
    switch (fn) {
      case 'delta':
      case 'mod': {
        const a = this.value(args[0]!, env);
        const b = this.value(args[1]!, env);
        for (const [arg, info] of [[args[0]!, a], [args[1]!, b]] as const) {
          if (info.shape.length !== 0) throw this.shapeError(arg, `${fn} takes numbers (such as indices), and ${printExpr(arg)} is ${formatSymbolicShape(info.shape)}`, `usage: ${functionSpec(fn)!.usage}`);
        }
        return result({ form: 'scalar', operands: args }, [], fn === 'delta' || (a.integer && b.integer));
      }
      case 'max':
      case 'min':
        return this.maxMin(node, env);
      case 'sum':
        return this.sum(node, env);
      case 'mean':
      case 'prod':
      case 'logsumexp': {
        const x = this.value(args[0]!, env);
        if (args.length === 1) return result({ form: 'all', operands: [args[0]!] }, []);
        const axis = this.dimArg(args[1]!, env, node, x.shape);
        return result({ form: 'axis', axis, operands: [args[0]!] }, x.shape.map((d, k) => (k === axis ? Dim.constant(1) : d)));
      }
      case 'norm': {
        const x = this.value(args[0]!, env);
        if (args.length === 2) {
          const mode = args[1]!;
          if (mode.kind === 'string' && mode.value === 'fro') return result({ form: 'fro', operands: [args[0]!] }, []);
          if (!(mode.kind === 'number' && mode.value === 2)) throw this.shapeError(mode, `norm's second argument must be 'fro' or 2, got ${printExpr(mode)}`);
        }
        if (x.shape.length > 2) throw this.shapeError(node, `norm of a ${formatSymbolicShape(x.shape)} tensor needs 'fro'`, `write norm(${printExpr(args[0]!)}, 'fro')`);
        return result({ form: x.shape.length === 2 ? 'spectral' : 'euclid', operands: [args[0]!] }, []);
      }
      case 'softmax': {
        const x = this.value(args[0]!, env);
        if (x.shape.length === 0) throw this.shapeError(node, 'softmax of a scalar is always 1', 'softmax takes a vector or a matrix');
        const axis = args.length === 2 ? this.dimArg(args[1]!, env, node, x.shape) : this.softmaxAxis(node, args[0]!, x.shape);
        return result({ form: 'axis', axis, operands: [args[0]!] }, x.shape);
      }
      case 'ones':
      case 'zeros': {
        const sizes = this.sizeList(args, env, fn);
        const shape = sizes.length === 1 ? [sizes[0]!, sizes[0]!] : sizes;
        return result({ form: 'sizes', sizes: shape, operands: [] }, shape, true);
      }
      case 'eye': {
        const n = this.staticArg(args[0]!, env, 'the size of eye');
        const m = args.length === 2 ? this.staticArg(args[1]!, env, 'the size of eye') : n;
        return result({ form: 'sizes', sizes: [n, m], operands: [] }, [n, m], true);
      }
      case 'onehot':
        return this.onehot(node, env);
      case 'diag': {
        const x = this.value(args[0]!, env);
        const s = x.shape;
        if (s.length === 1) return result({ form: 'map', operands: args }, [s[0]!, s[0]!], x.integer);
        if (s.length === 2 && s[0]!.equals(s[1]!)) return result({ form: 'map', operands: args }, [s[0]!], x.integer);
        if (s.length === 2 && (s[0]!.isOne() || s[1]!.isOne())) {
          const n = s[0]!.isOne() ? s[1]! : s[0]!;
          return result({ form: 'rows', operands: args }, [n, n], x.integer);
        }
        throw this.shapeError(node, `diag takes a vector or a square matrix, and ${printExpr(args[0]!)} is ${formatSymbolicShape(s)}`);
      }
      case 'kron': {
        const a = this.value(args[0]!, env);
        const b = this.value(args[1]!, env);
        const rank = Math.max(a.shape.length, b.shape.length);
        const pad = (s: SymbolicShape) => [...new Array<Dim>(rank - s.length).fill(Dim.constant(1)), ...s];
        const pa = pad(a.shape);
        const pb = pad(b.shape);
        return result({ form: 'pair', operands: args }, pa.map((d, k) => d.mul(pb[k]!)), a.integer && b.integer);
      }
      case 'reshape': {
        const x = this.value(args[0]!, env);
        const sizes = this.sizeList(args.slice(1), env, fn);
        if (!symbolicSize(sizes).equals(symbolicSize(x.shape))) {
          throw this.shapeError(node, `reshape: ${printExpr(args[0]!)} is ${formatSymbolicShape(x.shape)}, which has ${symbolicSize(x.shape).toString()} entries, not ${symbolicSize(sizes).toString()}`, 'the sizes must multiply to the same number of entries (reshape reads row-major, as NumPy)');
        }
        return result({ form: 'sizes', sizes, operands: [args[0]!] }, sizes, x.integer);
      }
      case 'rot90': {
        const x = this.value(args[0]!, env);
        if (x.shape.length < 2) throw this.shapeError(node, `rot90 turns the last two axes, and ${printExpr(args[0]!)} is ${formatSymbolicShape(x.shape)}`);
        const turns = args.length === 2 ? this.constantArg(args[1]!, env, 'the number of quarter turns') : 1;
        const s = [...x.shape];
        if (Math.abs(turns) % 2 === 1) [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
        return result({ form: 'map', turns, operands: [args[0]!] }, s, x.integer);
      }
      case 'flip': {
        const x = this.value(args[0]!, env);
        if (args.length === 1) return result({ form: 'all', operands: [args[0]!] }, x.shape, x.integer);
        const axis = this.dimArg(args[1]!, env, node, x.shape);
        return result({ form: 'axis', axis, operands: [args[0]!] }, x.shape, x.integer);
      }
      case 'pad': {
        const x = this.value(args[0]!, env);
        if (x.shape.length < 2) throw this.shapeError(node, `pad adds rows and columns to the last two axes, and ${printExpr(args[0]!)} is ${formatSymbolicShape(x.shape)}`);
        const p = this.staticArg(args[1]!, env, 'the pad width');
        const grow = p.add(p);
        const s = x.shape.map((d, k) => (k >= x.shape.length - 2 ? d.add(grow) : d));
        return result({ form: 'sizes', sizes: [p], operands: [args[0]!] }, s, x.integer);
      }
      case 'conv2':
      case 'corr2':
        return this.conv(node, env);
      case 'avgpool2':
      case 'maxpool2': {
        const x = this.value(args[0]!, env);
        if (x.shape.length < 2) throw this.shapeError(node, `${fn} pools the last two axes, and ${printExpr(args[0]!)} is ${formatSymbolicShape(x.shape)}`);
        const half = Dim.constant(2);
        const s = x.shape.map((d, k) => (k >= x.shape.length - 2 ? d.divide(half)! : d));
        return result({ form: 'map', operands: args }, s, false);
      }
      default:
        throw new UnsupportedSyntaxError(`${fn} is not available here`, this.site(node.nameSpan));
    }
  }

  /** Sizes as separate arguments (ones(N, 1)) or one list (reshape(X, [N, D])). */
  private sizeList(args: readonly Expr[], env: Env, fn: string): Dim[] {
    const items = args.length === 1 && args[0]!.kind === 'list' ? args[0]!.items : args;
    return items.map((a) => this.staticArg(a, env, `a size of ${fn}`));
  }

  private maxMin(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const args = node.args;
    const x = this.value(args[0]!, env);
    if (args.length === 1) return { plan: { form: 'all', operands: [args[0]!] }, info: { shape: [], integer: x.integer, static: undefined, uses: x.uses } };
    if (args.length === 2) {
      const y = this.value(args[1]!, env);
      const shape = broadcastSymbolic(x.shape, y.shape);
      if (shape === undefined) {
        throw this.shapeError(node, `${node.fn}(A, B) is elementwise, and ${printExpr(args[0]!)} (${formatSymbolicShape(x.shape)}) and ${printExpr(args[1]!)} (${formatSymbolicShape(y.shape)}) do not broadcast`, `to reduce along a dim write ${node.fn}(X, [], dim)`);
      }
      return { plan: { form: 'pair', operands: args }, info: { shape, integer: x.integer && y.integer, static: undefined, uses: unionUses(x, y) } };
    }
    const empty = args[1]!;
    if (empty.kind !== 'list' || empty.items.length !== 0) {
      throw this.shapeError(empty, `the middle argument of ${node.fn}(X, [], dim) must be []`, `usage: ${functionSpec(node.fn)!.usage}`);
    }
    const axis = this.dimArg(args[2]!, env, node, x.shape);
    return {
      plan: { form: 'axis', axis, operands: [args[0]!] },
      info: { shape: x.shape.map((d, k) => (k === axis ? Dim.constant(1) : d)), integer: x.integer, static: undefined, uses: x.uses },
    };
  }

  /** A summation index name: a symbol that means nothing yet (not declared, not bound). */
  private isFreshName(node: Expr, env: Env): node is SymbolNode {
    return node.kind === 'symbol' && !this.scope.isDeclared(node.name) && !CONSTANTS.has(node.name) && !env.has(node.name);
  }

  private sum(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const args = node.args;
    if (args.length >= 2 && this.isFreshName(args[1]!, env)) return this.indexSum(node, env);
    if (args.length >= 2 && args[1]!.kind === 'symbol' && env.has(args[1]!.name)) {
      throw this.shapeError(args[1]!, `the index ${args[1]!.name} is already bound here`, 'use a new name for the summation index');
    }
    const x = this.value(args[0]!, env);
    if (args.length === 1) return { plan: { form: 'all', operands: [args[0]!] }, info: { shape: [], integer: x.integer, static: undefined, uses: x.uses } };
    if (args.length > 2) {
      throw this.shapeError(node, `sum(X, dim) takes one dim; ${printExpr(args[2]!)} is extra`, 'to sum over indices, name them: sum(expr, i, j), which needs i and j unused elsewhere');
    }
    const axis = this.dimArg(args[1]!, env, node, x.shape);
    return {
      plan: { form: 'axis', axis, operands: [args[0]!] },
      info: { shape: x.shape.map((d, k) => (k === axis ? Dim.constant(1) : d)), integer: x.integer, static: undefined, uses: x.uses },
    };
  }

  /** sum(body, i, j, ...) with optional explicit ranges sum(body, i, lo, hi, ...). */
  private indexSum(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const args = node.args;
    const body = args[0]!;
    const inner = new Map(env);
    const bindings: IndexBinding[] = [];
    let k = 1;
    while (k < args.length) {
      const nameNode = args[k]!;
      if (!this.isFreshName(nameNode, inner)) {
        throw this.shapeError(nameNode, `expected a new index name in ${node.fn}(expr, i, ...), got ${printExpr(nameNode)}`, 'summation indices are names not declared elsewhere; ranges follow an index: sum(expr, m, 1, kh)');
      }
      const explicit = k + 2 < args.length && !this.isFreshName(args[k + 1]!, inner) && !this.isFreshName(args[k + 2]!, inner);
      let lo: Bound;
      let hi: Bound;
      if (explicit) {
        lo = this.bound(args[k + 1]!, inner);
        hi = this.bound(args[k + 2]!, inner);
        k += 3;
      } else {
        if (k + 1 < args.length && !this.isFreshName(args[k + 1]!, inner)) {
          throw this.shapeError(args[k + 1]!, `a range needs both ends: sum(expr, ${nameNode.name}, lo, hi)`, `e.g. sum(expr, ${nameNode.name}, 1, N)`);
        }
        lo = { dim: Dim.constant(1) };
        hi = { dim: this.inferRange(nameNode, body) };
        k += 1;
      }
      const binding = this.bind(nameNode.name, nameNode, inner, lo, hi, 'sum');
      inner.set(nameNode.name, binding);
      bindings.push(binding);
    }
    const b = this.value(body, inner);
    // The sum depends on the body's indices other than its own, and on indices in dynamic bounds.
    const boundInfos = bindings.flatMap((x) => [x.lo, x.hi]).flatMap((bound) => ('expr' in bound ? [this.info.get(bound.expr)!] : []));
    const uses = new Set(unionUses(b, ...boundInfos));
    for (const x of bindings) uses.delete(x.slot);
    return { plan: { form: 'index', bindings, operands: [body] }, info: { shape: b.shape, integer: b.integer, static: undefined, uses } };
  }

  private bound(node: Expr, env: Env): Bound {
    const info = this.expr(node, env);
    if (info.shape.length !== 0 || !info.integer) {
      throw this.shapeError(node, `a summation bound must be a whole number, got ${printExpr(node)}${info.shape.length ? ` (${formatSymbolicShape(info.shape)})` : ''}`);
    }
    return info.static !== undefined ? { dim: info.static } : { expr: node };
  }

  /**
   * The range of a summation index from where it is used alone as an index (K[f, c, m, t] gives f the
   * range 1..F): every such axis must have the same length, else the range must be given.
   */
  private inferRange(index: SymbolNode, body: Expr): Dim {
    const uses: { tensor: string; axis: number; dim: Dim }[] = [];
    const visit = (e: Expr | IndexEntry): void => {
      if (e.kind === 'index') {
        const declared = this.scope.symbols.get(e.name);
        e.entries.forEach((entry, axis) => {
          if (entry.kind === 'symbol' && entry.name === index.name && declared && axis < declared.shape.length) {
            uses.push({ tensor: e.name, axis, dim: declared.shape[axis]! });
          } else visit(entry);
        });
        return;
      }
      if (e.kind === 'negate' || e.kind === 'transpose') visit(e.arg);
      else if (e.kind === 'binary') {
        visit(e.left);
        visit(e.right);
      } else if (e.kind === 'call') e.args.forEach(visit);
      else if (e.kind === 'range') {
        visit(e.start);
        visit(e.end);
      }
    };
    visit(body);
    const first = uses[0];
    if (!first) {
      throw this.shapeError(index, `cannot infer the range of ${index.name}: it is never used alone as an index`, `give it: sum(expr, ${index.name}, 1, ${[...this.scope.dims][0] ?? 'N'})`);
    }
    const clash = uses.find((u) => !u.dim.equals(first.dim));
    if (clash) {
      throw this.shapeError(
        index,
        `${index.name} indexes axes of different lengths (${first.tensor} axis ${first.axis + 1} is ${first.dim.toString()}, ${clash.tensor} axis ${clash.axis + 1} is ${clash.dim.toString()})`,
        `give the range explicitly: sum(expr, ${index.name}, 1, ${first.dim.toString()})`,
      );
    }
    return first.dim;
  }

  /**
   * onehot(c, K): labels 1..K. A label vector of B entries gives B×K; a B×1 column gives B×K; a 1×B row
   * gives K×B (one column per example, as course notes write Y); a scalar label gives 1×K.
   */
  private onehot(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const [labels, classes] = node.args as [Expr, Expr];
    const c = this.value(labels, env);
    if (!c.integer) {
      throw this.shapeError(labels, `onehot needs whole-number labels 1..K, and ${printExpr(labels)} is not declared with dtype 'index'`, "declare the labels with dtype: 'index'");
    }
    const K = this.staticArg(classes, env, 'the number of classes');
    const s = c.shape;
    const info = (shape: SymbolicShape): NodeInfo => ({ shape, integer: true, static: undefined, uses: c.uses });
    if (s.length === 0) return { plan: { form: 'rows', sizes: [K], operands: [labels] }, info: info([Dim.constant(1), K]) };
    if (s.length === 1) return { plan: { form: 'rows', sizes: [K], operands: [labels] }, info: info([s[0]!, K]) };
    if (s.length === 2 && s[1]!.isOne()) return { plan: { form: 'rows', sizes: [K], operands: [labels] }, info: info([s[0]!, K]) };
    if (s.length === 2 && s[0]!.isOne()) return { plan: { form: 'columns', sizes: [K], operands: [labels] }, info: info([K, s[1]!]) };
    throw this.shapeError(labels, `onehot takes a vector of labels, and ${printExpr(labels)} is ${formatSymbolicShape(s)}`, 'pass a B-vector, a B×1 column or a 1×B row');
  }

  private conv(node: CallNode, env: Env): { plan: CallPlan; info: NodeInfo } {
    const [xNode, kNode, modeNode] = node.args as [Expr, Expr, Expr | undefined];
    const x = this.value(xNode, env);
    const k = this.value(kNode, env);
    const defaultMode = node.fn === 'conv2' ? 'full' : 'valid';
    let mode: 'full' | 'valid' | 'same' = defaultMode;
    if (modeNode) {
      if (modeNode.kind !== 'string' || !MODE_STRINGS.has(modeNode.value) || modeNode.value === 'fro') {
        throw this.shapeError(modeNode, `the mode of ${node.fn} must be 'full', 'valid' or 'same', got ${printExpr(modeNode)}`);
      }
      mode = modeNode.value as typeof mode;
    }
    if (x.shape.length < 2) throw this.shapeError(xNode, `${node.fn} works on the last two axes, and ${printExpr(xNode)} is ${formatSymbolicShape(x.shape)}`, 'a vector must be reshaped to 1×n or n×1');
    if (k.shape.length !== 2) throw this.shapeError(kNode, `the kernel of ${node.fn} must be a matrix, and ${printExpr(kNode)} is ${formatSymbolicShape(k.shape)}`, 'index a kernel plane: K[f, c, :, :]');
    const [H, W] = x.shape.slice(-2) as [Dim, Dim];
    const [kh, kw] = k.shape as [Dim, Dim];
    const one = Dim.constant(1);
    const size = (n: Dim, kn: Dim): Dim => (mode === 'full' ? n.add(kn).sub(one) : mode === 'valid' ? n.sub(kn).add(one) : n);
    const shape = [...x.shape.slice(0, -2), size(H, kh), size(W, kw)];
    return { plan: { form: 'conv', mode, operands: [xNode, kNode] }, info: { shape, integer: false, static: undefined, uses: unionUses(x, k) } };
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
    const binding = checker.bind(entry.name, entry, env, { dim: Dim.constant(1) }, { dim: target[axis]! }, 'free');
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

