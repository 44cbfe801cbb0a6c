/**
 * Scalar expressions of the symbolic leg: THE allow-list of what reaches the CAS engines and the
 * leg's own evaluator. Text from problem modules, from formulas src/formula has already validated, and
 * every engine output pass through `ScalarExpression.parse` / `fromNode`, which accept only the node
 * types, operators and functions named here. mathjs (the bundle src/formula loads, so that nodes of both
 * layers are one library's) is used for its parser and node classes alone:
 * nothing is ever passed to `math.evaluate`; values come from closures compiled below.
 */
import type { ConstantNode, MathNode, ParenthesisNode } from 'mathjs';
import { mathjs } from './mathjs.js';
import { SymbolicExpressionError, SymbolicLimitError } from './errors.js';

/** Functions of one argument an expression may call, with their float64 implementations. sech appears in mathjs's d/dx tanh. */
export const SYMBOLIC_FUNCTIONS: ReadonlyMap<string, (x: number) => number> = new Map([
  ['exp', Math.exp],
  ['log', Math.log],
  ['sqrt', Math.sqrt],
  ['tanh', Math.tanh],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['sech', (x: number) => 1 / Math.cosh(x)],
]);

/** mathjs operator functions an expression may use (n-ary add/multiply come out of mathjs's simplify). */
const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

/**
 * Names a variable may not take: mathjs's simplify and derivative read them as constants (e, pi, i, ...)
 * or as functions, so a variable spelled that way would silently change meaning inside an engine.
 */
const RESERVED_NAMES = new Set([
  'e', 'E', 'pi', 'PI', 'i', 'tau', 'phi', 'Infinity', 'NaN', 'true', 'false', 'null', 'undefined',
  'LN2', 'LN10', 'LOG2E', 'LOG10E', 'SQRT1_2', 'SQRT2', 'version', 'end',
  ...SYMBOLIC_FUNCTIONS.keys(),
]);

/** Variable names: a letter, then letters, digits or underscores (z1, p3, W1_12, b2_1). */
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Limits on what the leg works on. Text: 20 000 characters holds the largest expansion here (≈ 2 600
 * characters, mlp2-mse at n = m = k = 2) seven times over and keeps mathjs's parse (linear time) in
 * milliseconds. Nodes:
 * mathjs's unsimplified derivatives grow with the chain rule; 20 000 nodes still evaluate in
 * well under a millisecond, and the engines have tighter caps of their own (engines.ts, rational.ts). Depth: every
 * walk here is recursive; 200 levels keep them far from V8's stack limit.
 */
export const MAX_EXPRESSION_CHARS = 20_000;
export const MAX_EXPRESSION_NODES = 20_000;
export const MAX_EXPRESSION_DEPTH = 200;

/** Running maximum of |value| over every intermediate of an evaluation: the scale its round-off is measured against. */
export interface Magnitude {
  max: number;
}

type Compiled = (x: ArrayLike<number>, magnitude: Magnitude) => number;

/**
 * A validated scalar expression over an ordered list of variables, with a compiled evaluator. Values
 * are passed as an array in the order of `variables`.
 */
export class ScalarExpression {
  private constructor(
    readonly node: MathNode,
    readonly variables: readonly string[],
    /** mathjs text with explicit `*` (nerdamer reads it as well). */
    readonly text: string,
    /** Number of nodes. */
    readonly size: number,
    private readonly compiled: Compiled,
  ) {}

  /** Parses text (never evaluated by mathjs) and checks every node against the allow-list. */
  static parse(text: string, variables: readonly string[]): ScalarExpression {
    if (text.length > MAX_EXPRESSION_CHARS) {
      throw new SymbolicLimitError('expression length (characters)', text.length, MAX_EXPRESSION_CHARS, 'split the expression or state the fact at a smaller size');
    }
    let node: MathNode;
    try {
      node = mathjs.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const char = /\(char (\d+)\)/.exec(message);
      const position = char ? Number(char[1]) - 1 : -1;
      throw new SymbolicExpressionError(text, text.slice(Math.max(position, 0), Math.max(position, 0) + 1), position, `syntax error: ${message.replace(/ \(char \d+\)/, '')}`, 'write a scalar expression with + - * / ^, parentheses, numbers, the declared variables and exp log sqrt tanh sinh cosh sech');
    }
    return ScalarExpression.build(node, variables, text, null);
  }

  /** Wraps a node an engine produced (or a transform of a validated node); `source` names the engine for errors. */
  static fromNode(node: MathNode, variables: readonly string[], source: string): ScalarExpression {
    return ScalarExpression.build(node, variables, node.toString({ implicit: 'show' }), source);
  }

  /** `source` null: `origin` is the caller's own text. */
  private static build(node: MathNode, variables: readonly string[], origin: string, source: string | null): ScalarExpression {
    checkVariableNames(variables, origin);
    const index = new Map(variables.map((name, k) => [name, k]));
    const counter = { nodes: 0 };
    const compiled = compileNode(node, { index, origin, source, counter }, 0);
    return new ScalarExpression(node, variables, origin, counter.nodes, compiled);
  }

  evaluate(values: ArrayLike<number>): number {
    return this.compiled(values, { max: 0 });
  }

  /** Evaluates and raises `magnitude.max` to the largest |value| of any input or intermediate. */
  evaluateTracked(values: ArrayLike<number>, magnitude: Magnitude): number {
    return this.compiled(values, magnitude);
  }

  /** Replaces variables by expressions (parenthesised), over a new variable list (default: the same). */
  substitute(replacements: ReadonlyMap<string, ScalarExpression>, variables: readonly string[] = this.variables): ScalarExpression {
    const node = this.node.transform((n, path) => {
      if (path !== 'fn' && n.type === 'SymbolNode') {
        const replacement = replacements.get((n as unknown as { name: string }).name);
        if (replacement) return new mathjs.ParenthesisNode(replacement.node);
      }
      return n;
    });
    return ScalarExpression.fromNode(node, variables, 'substitution');
  }

  /** Fixes some variables to numbers. */
  at(values: Readonly<Record<string, number>>, variables: readonly string[] = this.variables): ScalarExpression {
    const node = this.node.transform((n, path) => {
      if (path !== 'fn' && n.type === 'SymbolNode') {
        const value = values[(n as unknown as { name: string }).name];
        if (value !== undefined) return new mathjs.ConstantNode(value);
      }
      return n;
    });
    return ScalarExpression.fromNode(node, variables, 'substitution');
  }

  /** Names of the variables that occur in the expression. */
  symbols(): Set<string> {
    const names = new Set<string>();
    this.node.traverse((n, path) => {
      if (path !== 'fn' && n.type === 'SymbolNode') names.add((n as unknown as { name: string }).name);
    });
    return names;
  }

  /** True when the expression is the constant 0 (what a simplifier returns for an identically zero residue). */
  isZero(): boolean {
    let node = this.node;
    while (node.type === 'ParenthesisNode') node = (node as ParenthesisNode).content;
    return node.type === 'ConstantNode' && (node as ConstantNode).value === 0;
  }

  toString(): string {
    return this.text;
  }
}

interface CompileContext {
  readonly index: ReadonlyMap<string, number>;
  /** Text the node came from, for error messages and positions. */
  readonly origin: string;
  /** The engine or step that produced the node; null when origin is what a caller wrote. */
  readonly source: string | null;
  readonly counter: { nodes: number };
}

function checkVariableNames(variables: readonly string[], origin: string): void {
  const seen = new Set<string>();
  for (const name of variables) {
    if (!VARIABLE_NAME.test(name) || RESERVED_NAMES.has(name)) {
      throw new SymbolicExpressionError(origin, name, -1, `'${name}' cannot be a variable name`, 'use a letter followed by letters, digits or underscores, other than a mathjs constant (e, pi, i, ...) or a function name');
    }
    if (seen.has(name)) throw new SymbolicExpressionError(origin, name, -1, `variable '${name}' is declared twice`, 'declare each variable once');
    seen.add(name);
  }
}

/** Position of the first whole-word occurrence of `token` in the text (-1 when absent, e.g. in an engine's output). */
function positionOf(text: string, token: string): number {
  const match = new RegExp(`(?<![A-Za-z0-9_])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).exec(text);
  return match ? match.index : -1;
}

function track(magnitude: Magnitude, v: number): number {
  const a = Math.abs(v);
  if (a > magnitude.max) magnitude.max = a;
  return v;
}

function refuse(ctx: CompileContext, token: string, detail: string, fix: string): never {
  const from = ctx.source === null ? '' : ` (produced by ${ctx.source})`;
  throw new SymbolicExpressionError(ctx.origin, token, positionOf(ctx.origin, token), `${detail}${from}`, fix);
}

function compileNode(node: MathNode, ctx: CompileContext, depth: number): Compiled {
  if (depth > MAX_EXPRESSION_DEPTH) {
    throw new SymbolicLimitError('expression nesting depth', depth, MAX_EXPRESSION_DEPTH, 'remove redundant parentheses or split the expression');
  }
  if (++ctx.counter.nodes > MAX_EXPRESSION_NODES) {
    throw new SymbolicLimitError('expression size (nodes)', ctx.counter.nodes, MAX_EXPRESSION_NODES, 'state the fact at a smaller size');
  }
  switch (node.type) {
    case 'ConstantNode': {
      const value = (node as ConstantNode).value as unknown;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        refuse(ctx, String(value), `the constant ${JSON.stringify(value)} is not a finite number`, 'use finite decimal numbers only');
      }
      return (_x, m) => track(m, value);
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const k = ctx.index.get(name);
      if (k === undefined) {
        refuse(ctx, name, `unknown symbol '${name}'`, `use only the declared variables (${[...ctx.index.keys()].join(', ') || 'none'})`);
      }
      return (x, m) => track(m, x[k]!);
    }
    case 'ParenthesisNode':
      return compileNode((node as ParenthesisNode).content, ctx, depth + 1);
    case 'OperatorNode':
      return compileOperator(node as unknown as { fn: string; op: string; args: MathNode[] }, ctx, depth);
    case 'FunctionNode': {
      const call = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = call.fn.type === 'SymbolNode' ? (call.fn as unknown as { name: string }).name : call.fn.toString();
      const f = SYMBOLIC_FUNCTIONS.get(name);
      if (!f) refuse(ctx, name, `function '${name}' is not allowed`, `call only ${[...SYMBOLIC_FUNCTIONS.keys()].join(', ')}`);
      if (call.args.length !== 1) refuse(ctx, name, `${name} takes one argument, got ${call.args.length}`, `write ${name}(x)`);
      const arg = compileNode(call.args[0]!, ctx, depth + 1);
      return (x, m) => track(m, f(arg(x, m)));
    }
    default:
      refuse(ctx, node.type, `a ${node.type} is not a scalar expression`, 'write a scalar expression: numbers, declared variables, + - * / ^, parentheses and exp log sqrt tanh sinh cosh sech');
  }
}

function compileOperator(node: { fn: string; op: string; args: MathNode[] }, ctx: CompileContext, depth: number): Compiled {
  if (!OPERATORS.has(node.fn)) {
    refuse(ctx, node.op, `operator '${node.op}' (${node.fn}) is not allowed`, 'use + - * / ^ on scalars');
  }
  const args = node.args.map((a) => compileNode(a, ctx, depth + 1));
  const [a, b] = args as [Compiled, Compiled];
  switch (node.fn) {
    case 'unaryMinus':
      return (x, m) => -a(x, m);
    case 'unaryPlus':
      return a;
    case 'subtract':
      return (x, m) => track(m, a(x, m) - b(x, m));
    case 'divide':
      return (x, m) => track(m, a(x, m) / b(x, m));
    case 'pow':
      return (x, m) => track(m, a(x, m) ** b(x, m));
    case 'add':
      return args.length === 2 ? (x, m) => track(m, a(x, m) + b(x, m)) : (x, m) => track(m, args.reduce((s, f) => s + f(x, m), 0));
    default: // multiply
      return args.length === 2 ? (x, m) => track(m, a(x, m) * b(x, m)) : (x, m) => track(m, args.reduce((s, f) => s * f(x, m), 1));
  }
}
