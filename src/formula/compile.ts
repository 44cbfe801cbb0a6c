import { Tensor, formatShape, rowMajorStrides, sameShape } from '../tensor/index.js';
import type { IndexBinding } from './annotations.js';
import { type CheckOptions, type CheckedFormula, checkFormula } from './check.js';
import { CompileContext, type Evaluator, sizeOf } from './context.js';
import { type FormulaCost, assertWithinLimits, priceFormula } from './cost.js';
import type { DeclaredSymbol, Declarations } from './declarations.js';
import { type Dim, formatSymbolicShape } from './dims.js';
import { FormulaValueError, LimitExceededError } from './errors.js';
import type { FormulaLimits } from './limits.js';
import { TensorCompiler } from './evaluate.js';
import { functionRow } from './functions/table.js';
import { compileFillKernel } from './kernels.js';
import { OPERATORS } from './operators.js';
import type { ParsedFormula } from './parse.js';
import { printExpr } from './print.js';
import { type Runtime, countIterations } from './runtime.js';
import type { Expr } from './tree.js';

/**
 * compileFormula turns a checked formula into a function of tensors: whole-tensor expressions become
 * chains of tensor-core kernel calls, index notation becomes generated loops (loops.ts), and every call
 * first checks its inputs against the declarations and the limits.
 */

export type FormulaFunction = (values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>) => Tensor;

export interface CompiledFormula extends FormulaFunction {
  readonly checked: CheckedFormula;
  /** Input names the formula reads (values must hold these). */
  readonly inputs: readonly string[];
  /** Dimension names the formula needs (dims must hold these). */
  readonly dims: readonly string[];
  /** The formula has kinks: a function of the table that is not smooth (relu, max, abs, ...) or a comparison. */
  readonly piecewise: boolean;
  /**
   * The piece signature at these inputs: the codes of every piecewise node (functions/row.ts's
   * PieceRule; a comparison's is the sign of a − b), in evaluation order. Between two inputs with the
   * same signature the formula is smooth; a forward graph node declares it as its `pieces`, so that FD
   * reports a step across a kink as non-differentiable instead of averaging two slopes. Empty when the
   * formula is smooth.
   */
  pieces(values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): number[];
  /**
   * The price of one evaluation at these dimension sizes (cost.ts), without running it: a
   * LimitExceededError when it is over the formula's limits (as evaluating would be refused), a
   * FormulaValueError when a size is not a whole number.
   */
  price(dims: Readonly<Record<string, number>>): FormulaCost;
  /** The value and the piece signature in one evaluation (a forward node needs both at every FD step). */
  withPieces(values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): { value: Tensor; pieces: number[] };
}

export type CompileOptions = CheckOptions;

/** Every dimension name a checked formula's shapes, bounds and sizes mention. */
function neededDims(checked: CheckedFormula, inputs: readonly string[]): string[] {
  const names = new Set<string>();
  const add = (d: Dim): void => d.names().forEach((n) => names.add(n));
  const { info, refs, plans, bindings } = checked.annotations;
  for (const i of info.values()) i.shape.forEach(add);
  for (const r of refs.values()) if (r.kind === 'dim') names.add(r.name);
  for (const p of plans.values()) p.sizes?.forEach(add);
  for (const b of bindings) for (const bound of [b.lo, b.hi]) if ('dim' in bound) add(bound.dim);
  for (const name of inputs) checked.scope.symbols.get(name)!.shape.forEach(add);
  checked.shape.forEach(add);
  return [...names];
}

function readDims(names: readonly string[], dims: Readonly<Record<string, number>>): Map<string, number> {
  const sizes = new Map<string, number>();
  if (typeof dims !== 'object' || dims === null) throw new FormulaValueError('dims must be an object of dimension sizes', undefined);
  for (const name of names) {
    const v = Object.hasOwn(dims, name) ? dims[name] : undefined;
    if (v === undefined) throw new FormulaValueError(`no size given for the dimension ${name}`, undefined, `pass dims.${name}`);
    if (!Number.isSafeInteger(v) || v < 0) throw new FormulaValueError(`the dimension ${name} must be a whole number ≥ 0, got ${v}`, undefined);
    sizes.set(name, v);
  }
  return sizes;
}

/**
 * The formula as a function of its inputs. Accepts a checked formula, or a parsed formula with its
 * declarations (checked here, with options.targetShape and options.limits).
 */
export function compileFormula(checked: CheckedFormula): CompiledFormula;
export function compileFormula(parsed: ParsedFormula, declarations: Declarations, options?: CompileOptions): CompiledFormula;
export function compileFormula(formula: CheckedFormula | ParsedFormula, declarations?: Declarations, options: CompileOptions = {}): CompiledFormula {
  const checked = 'annotations' in formula ? formula : checkFormula(formula, declarations!, options);
  // One price per set of sizes, shared by both compilations (a price depends on the formula and the sizes only).
  const prices = new Map<string, FormulaCost>();
  const plain = statementRunner(checked, false, prices);
  // Compiled on first use: a second compilation in which every piecewise node records its pieces.
  let traced: StatementRunner | undefined;
  const withPieces = (values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): { value: Tensor; pieces: number[] } => {
    traced ??= statementRunner(checked, true, prices);
    const sink: number[] = [];
    const value = traced.run(values, dims, sink);
    return { value, pieces: sink };
  };
  const pieces = (values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): number[] => withPieces(values, dims).pieces;
  const evaluate = (values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>): Tensor => plain.run(values, dims);
  const price = (dims: Readonly<Record<string, number>>): FormulaCost => plain.price(readDims(plain.dims, dims));
  return Object.assign(evaluate, { checked, inputs: plain.inputs, dims: plain.dims, piecewise: hasKinks(checked), pieces, withPieces, price });
}

interface StatementRunner {
  readonly inputs: readonly string[];
  readonly dims: readonly string[];
  /** Checks the inputs and dims, evaluates; piecewise nodes append their codes to `pieces` when compiled to trace them. */
  run(values: Readonly<Record<string, Tensor>>, dims: Readonly<Record<string, number>>, pieces?: number[]): Tensor;
  /** Checks the sizes (whole, within maxElements) and prices an evaluation at them, refusing a price over the limits. */
  price(sizes: ReadonlyMap<string, number>): FormulaCost;
}

/** Prices a compiled formula keeps, one per set of sizes: a check meets at most a few hundred. */
const KEPT_PRICES = 256;

/**
 * `prices` holds the price at each set of sizes met (keyed by the dims' values in `dims` order): FD and
 * the check's budget price a formula at the same sizes over and over, and pricing walks every node. A
 * price that throws is not kept, so it is made (and thrown) again at the next call.
 */
function statementRunner(checked: CheckedFormula, tracePieces: boolean, prices: Map<string, FormulaCost>): StatementRunner {
  const ctx = new CompileContext(checked, tracePieces);
  const run = compileStatement(checked, ctx, new TensorCompiler(ctx));
  const inputs = ctx.tensorNames();
  const dimNames = neededDims(checked, inputs);
  const { limits } = checked;
  const site = { text: checked.parsed.text, span: checked.parsed.statement.span };
  const siteOf = (node: Expr | undefined) => (node ? ctx.site(node) : site);
  const priceAt = (key: string, sizes: ReadonlyMap<string, number>): FormulaCost => {
    const known = prices.get(key);
    if (known) return known;
    checkSizes(checked, ctx, sizes, limits);
    const cost = priceFormula(checked, sizes);
    assertWithinLimits(cost, limits, siteOf);
    if (prices.size < KEPT_PRICES) prices.set(key, cost);
    return cost;
  };
  const price = (sizes: ReadonlyMap<string, number>): FormulaCost => priceAt(dimNames.map((n) => sizes.get(n)).join(','), sizes);
  // The sizes of the last call's dims and the input shapes they give: FD evaluates a formula thousands of
  // times with the same dims object, and reading and checking them again is most of a small formula's cost.
  let last: { readonly dims: Readonly<Record<string, number>>; readonly values: readonly number[]; readonly key: string; readonly sizes: Map<string, number>; readonly shapes: readonly number[][] } | undefined;
  const sameSizes = (dims: Readonly<Record<string, number>>, values: readonly number[]): boolean => {
    for (let i = 0; i < dimNames.length; i++) {
      const n = dimNames[i]!;
      if (!Object.hasOwn(dims, n) || dims[n] !== values[i]) return false;
    }
    return true;
  };
  const declared = inputs.map((name) => checked.scope.symbols.get(name)!);
  // Formulas without index bindings (most) share one empty environment: it has no entries to write.
  const noBindings = new Float64Array(0);
  const sizesOf = (dims: Readonly<Record<string, number>>) => {
    if (last && last.dims === dims && sameSizes(dims, last.values)) return last;
    const sizes = readDims(dimNames, dims);
    const values = dimNames.map((n) => sizes.get(n)!);
    last = { dims, values, key: values.join(','), sizes, shapes: declared.map((symbol) => symbol.shape.map((d) => d.evaluate(sizes))) };
    return last;
  };
  return {
    inputs,
    dims: dimNames,
    price,
    run: (values, dims, pieces) => {
      const known = sizesOf(dims);
      const { sizes } = known;
      // Priced before the inputs are read (once per set of sizes: `prices`).
      priceAt(known.key, sizes);
      const tensors = inputs.map((name, i) => inputValue(declared[i]!, name, values, known.shapes[i]!));
      const bindings = checked.annotations.bindings.length;
      const rt: Runtime = { tensors, sizes, env: bindings === 0 ? noBindings : new Float64Array(bindings), budget: limits.maxIterations, deadline: performance.now() + limits.timeLimitMs, limits, site, pieces };
      const result = run(rt);
      // The answer never shares storage with an input (callers may mutate either).
      return tensors.some((t) => t.data === result.data) ? result.clone() : result.contiguous();
    },
  };
}

/** Whether a checked formula has a node with kinks: a piecewise function of the table, or a comparison. */
function hasKinks(checked: CheckedFormula): boolean {
  for (const node of checked.annotations.info.keys()) {
    if (node.kind === 'binary' && OPERATORS[node.op].piecewise) return true;
    if (node.kind === 'call') {
      const row = functionRow(node.fn);
      if (row?.kind === 'computed' && row.smoothness !== 'smooth') return true;
    }
  }
  return false;
}

/** The input `name`, checked against its declared shape at these sizes (`expected`) and its dtype. */
function inputValue(declared: DeclaredSymbol, name: string, values: Readonly<Record<string, Tensor>>, expected: readonly number[]): Tensor {
  const value = typeof values === 'object' && values !== null && Object.hasOwn(values, name) ? values[name] : undefined;
  if (!(value instanceof Tensor)) throw new FormulaValueError(`no value given for ${name}`, undefined, `pass values.${name} as a Tensor of shape ${formatSymbolicShape(declared.shape)}`);
  if (!sameShape(value.shape, expected)) {
    throw new FormulaValueError(`${name} is ${formatShape(value.shape)}, but its declared shape ${formatSymbolicShape(declared.shape)} is ${formatShape(expected)} for these dimensions`, undefined);
  }
  if (declared.dtype === 'index') {
    let bad: number | undefined;
    value.forEachOffset((off) => {
      const v = value.data[off]!;
      if (bad === undefined && !(Number.isInteger(v) && v >= 1)) bad = v;
    });
    if (bad !== undefined) throw new FormulaValueError(`${name} holds labels, which are whole numbers ≥ 1, but contains ${bad}`, undefined);
  }
  return value;
}

/** Every node's size for these dimensions: whole and within maxElements, before any kernel runs. */
function checkSizes(checked: CheckedFormula, ctx: CompileContext, sizes: ReadonlyMap<string, number>, limits: FormulaLimits): void {
  const site = { text: checked.parsed.text, span: checked.parsed.statement.span };
  for (const [node, info] of checked.annotations.info) {
    let size = 1;
    for (const d of info.shape) size *= sizeOf(d, sizes, ctx, node, () => `a size of ${printExpr(node)}`);
    if (size > limits.maxElements) {
      throw new LimitExceededError(`${printExpr(node)} would hold ${size} elements for these dimensions; the limit is ${limits.maxElements}`, ctx.site(node), 'maxElements', 'use smaller dimensions');
    }
  }
  const target = checked.shape.map((d) => d.evaluate(sizes));
  const total = target.reduce((a, b) => a * b, 1);
  if (!target.every((d) => Number.isInteger(d) && d >= 0)) throw new FormulaValueError(`the answer's shape ${checked.shapeText} is ${target.join('×')} for these dimensions`, site);
  if (total > limits.maxElements) throw new LimitExceededError(`the answer would hold ${total} elements; the limit is ${limits.maxElements}`, site, 'maxElements', 'use smaller dimensions');
}

function targetDims(checked: CheckedFormula, rt: Runtime): number[] {
  return checked.shape.map((d) => d.evaluate(rt.sizes));
}

function compileStatement(checked: CheckedFormula, ctx: CompileContext, tc: TensorCompiler): (rt: Runtime) => Tensor {
  const statement = checked.parsed.statement;
  if (statement.kind === 'expression' || statement.indices === null) {
    const value = statement.kind === 'expression' ? statement.expr : statement.value;
    const evaluator = tc.compile(value);
    return (rt) => {
      const v = evaluator(rt);
      const t = typeof v === 'number' ? Tensor.scalar(v) : v;
      const dims = targetDims(checked, rt);
      // A 1×1 answer for a scalar target (or the reverse) is reshaped, as MATLAB treats them alike.
      return sameShape(t.shape, dims) ? t : t.reshape(dims);
    };
  }
  const free = checked.annotations.free;
  const value = statement.value;
  if (free.every((b): b is IndexBinding => b !== undefined)) {
    const fill = compileFillKernel(ctx, free, value, tc);
    return (rt) => {
      const dims = targetDims(checked, rt);
      const out = new Float64Array(dims.reduce((a, b) => a * b, 1));
      fill(rt, out, rowMajorStrides(dims));
      return new Tensor(out, dims);
    };
  }
  return sliceAssignment(checked, ctx, free, value, tc.compile(value));
}

/** dX[n, c, :, :] = body: for each value of the named indices, the body's tensor fills the : axes. */
function sliceAssignment(checked: CheckedFormula, ctx: CompileContext, free: readonly (IndexBinding | undefined)[], node: Expr, body: Evaluator): (rt: Runtime) => Tensor {
  const site = ctx.site(node);
  return (rt) => {
    const dims = targetDims(checked, rt);
    const out = Tensor.zeros(dims);
    const ranges: (number | null)[] = free.map(() => null);
    const visit = (axis: number): void => {
      if (axis === free.length) {
        const v = body(rt);
        const slice = out.slice(ranges);
        countIterations(rt, 1, site);
        if (typeof v === 'number') slice.assign(Tensor.full(slice.shape, v));
        else slice.assign(sameShape(v.shape, slice.shape) ? v : v.reshape(slice.shape));
        return;
      }
      const binding = free[axis];
      if (binding === undefined) {
        visit(axis + 1);
        return;
      }
      for (let i = 1; i <= dims[axis]!; i++) {
        rt.env[binding.slot] = i;
        ranges[axis] = i - 1;
        visit(axis + 1);
      }
    };
    visit(0);
    return out;
  };
}
