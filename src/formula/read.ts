import { ALLOWED_NODE_TYPES, BINARY_OPERATORS, FUNCTION_NAMES, REFUSED_NODE_TYPES, REFUSED_OPERATORS, RESERVED_WORDS } from './allowlist.js';
import { type ErrorSite, FormulaSyntaxError, LimitExceededError, type SourceSpan, UnknownSymbolError, UnsupportedSyntaxError } from './errors.js';
import { closeNames } from './suggest.js';
import { type Token, tokenize } from './tokens.js';
import { functionRow } from './functions/table.js';
import type { ColonNode, Expr, IndexEntry, IndexName, ListNode, RangeNode, Statement } from './tree.js';
import { parseMathjs } from './mathjs-parse.js';

/**
 * Reads formula text into the formula tree: mathjs parses (its AST only; nothing is ever evaluated), then
 * one walk over mathjs's tree checks every node against the allow-list and, consuming the token stream in
 * step, gives each node its span in the user's text.
 */

/** Trees deeper than this are refused (they would only come from machine-made or hostile input). */
export const MAX_TREE_DEPTH = 200;

/** Where the text being read came from: LaTeX input is read through a generated formula text. */
export interface TextSource {
  /** The text handed to mathjs. */
  readonly text: string;
  /** Maps a span of `text` to the span of the user's text it came from. */
  readonly mapSpan: (span: SourceSpan) => SourceSpan;
  /** The user's text, for error positions. */
  readonly userText: string;
  /** Dimensions and scalar symbols: `W^T` is a transpose unless `T` is one of them (then it is a power). */
  readonly scalarNames: ReadonlySet<string>;
}

/** The fields of mathjs nodes this reader looks at (mathjs's own types are generic over every node kind). */
interface MathjsNode {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly op?: string;
  readonly fn?: MathjsNode | string;
  readonly args?: readonly MathjsNode[];
  readonly implicit?: boolean;
  readonly content?: MathjsNode;
  readonly object?: MathjsNode;
  readonly index?: MathjsNode | null;
  readonly dimensions?: readonly MathjsNode[];
  readonly dotNotation?: boolean;
  readonly start?: MathjsNode;
  readonly end?: MathjsNode;
  readonly step?: MathjsNode | null;
  readonly items?: readonly MathjsNode[];
  readonly isPercentage?: boolean;
}

const TRANSPOSE_EXPONENT = 'T';

/**
 * MATLAB's left division `A \ B` (solve A X = B): mathjs has no such operator, so the text mathjs reads
 * has `%` in its place, which mathjs parses at the same precedence and associativity as `*` and `/`
 * (MATLAB's for `\`), and which the tokenizer refuses in user text, so every `%` mathjs sees was a `\`.
 */
const LEFT_DIVISION = '\\';
const LEFT_DIVISION_STAND_IN = '%';
const LEFT_DIVISION_FUNCTION = 'solve';

export function readFormulaText(source: TextSource): Statement {
  const tokens = tokenizeAt(source);
  let root: MathjsNode;
  try {
    // mathjs ends a statement at a newline outside brackets; a formula is one statement, so newlines are spaces.
    root = parseMathjs(source.text.replace(/[\n\r\t]/g, ' ').replaceAll(LEFT_DIVISION, LEFT_DIVISION_STAND_IN)) as unknown as MathjsNode;
  } catch (err) {
    throw fromMathjsError(err, source);
  }
  return new Reader(source, tokens).statement(root);
}

function tokenizeAt(source: TextSource): Token[] {
  return tokenize(source.text, (span) => ({ text: source.userText, span: source.mapSpan(span) }));
}

function fromMathjsError(err: unknown, source: TextSource): Error {
  if (err instanceof RangeError) {
    return new LimitExceededError('the formula is nested too deeply to read', { text: source.userText, span: source.mapSpan({ start: 0, end: source.text.length }) }, 'maxDepth');
  }
  const message = err instanceof Error ? err.message : String(err);
  const char = (err as { char?: unknown }).char;
  const offset = typeof char === 'number' ? Math.max(0, Math.min(char - 1, source.text.length)) : 0;
  const what = message.replace(/\s*\(char \d+\)\s*$/, '');
  return new FormulaSyntaxError(what, { text: source.userText, span: source.mapSpan({ start: offset, end: offset + 1 }) }, 'check the brackets and that every operator has both operands');
}

class Reader {
  private cursor = 0;

  constructor(
    private readonly source: TextSource,
    private readonly tokens: readonly Token[],
  ) {}

  statement(root: MathjsNode): Statement {
    const statement = root.type === 'AssignmentNode' ? this.assignment(root) : { kind: 'expression' as const, expr: this.expr(root, 0), span: this.fullSpan() };
    const extra = this.tokens[this.cursor];
    if (extra) throw new FormulaSyntaxError(`unexpected ${extra.text}`, this.site(extra), 'check the brackets and operators');
    return statement;
  }

  private fullSpan(): SourceSpan {
    const first = this.tokens[0];
    const last = this.tokens[this.tokens.length - 1];
    return this.span(first?.start ?? 0, last?.end ?? 0);
  }

  private span(start: number, end: number): SourceSpan {
    return this.source.mapSpan({ start, end });
  }

  private site(token: Token | SourceSpan | undefined): ErrorSite {
    if (token === undefined) return { text: this.source.userText, span: this.span(this.source.text.length, this.source.text.length) };
    return { text: this.source.userText, span: 'kind' in token ? this.span(token.start, token.end) : token };
  }

  private peek(): Token | undefined {
    return this.tokens[this.cursor];
  }

  /** Consumes the next token, which must be `text` (or of `kind`); a mismatch means mathjs read the text differently. */
  private expect(text: string | undefined, kind?: Token['kind']): Token {
    const token = this.tokens[this.cursor];
    if (!token || (text !== undefined && token.text !== text) || (kind !== undefined && token.kind !== kind)) {
      throw new FormulaSyntaxError(token ? `could not read the formula near ${token.text}` : 'unexpected end of the formula', this.site(token), 'check the brackets and operators');
    }
    this.cursor++;
    return token;
  }

  private refuse(type: string): never {
    const reason = REFUSED_NODE_TYPES.get(type) ?? `${type.replace(/Node$/, '')} is not supported in a formula`;
    throw new UnsupportedSyntaxError(reason, this.site(this.peek()));
  }

  private assignment(root: MathjsNode): Statement {
    const object = root.object!;
    if (object.type !== 'SymbolNode') throw new UnsupportedSyntaxError('the left side of = is a name, optionally indexed once: dS[i, j]', this.site(this.peek()));
    const nameToken = this.expect(object.name, 'name');
    let indices: (IndexName | ColonNode)[] | null = null;
    if (root.index) {
      if (root.index.dotNotation) throw new UnsupportedSyntaxError('property access is not allowed', this.site(this.peek()));
      this.expect('[');
      indices = [];
      root.index.dimensions!.forEach((dim, k) => {
        if (k > 0) this.expect(',');
        indices!.push(this.leftIndex(dim));
      });
      this.expect(']');
    }
    const eq = this.peek();
    if (eq?.text !== '=') {
      throw new UnsupportedSyntaxError(
        'the left side of = takes a name and, for index notation, index names or : only',
        this.site(eq),
        'write dS[i, j] = ... or dX[n, c, :, :] = ...',
      );
    }
    this.cursor++;
    const value = this.expr(root.value as unknown as MathjsNode, 0);
    return {
      kind: 'assignment',
      target: object.name!,
      targetSpan: this.span(nameToken.start, nameToken.end),
      indices,
      value,
      span: this.span(nameToken.start, this.tokens[this.cursor - 1]!.end),
    };
  }

  private leftIndex(dim: MathjsNode): IndexName | ColonNode {
    const token = this.peek();
    if (dim.type === 'SymbolNode' && token?.kind === 'name') {
      this.cursor++;
      return { kind: 'indexName', name: dim.name!, span: this.span(token.start, token.end) };
    }
    if (dim.type === 'RangeNode' && token?.text === ':' && this.isImplicitColon(dim)) {
      this.cursor++;
      return { kind: 'colon', span: this.span(token.start, token.end) };
    }
    throw new UnsupportedSyntaxError('on the left of =, each index is a name (i, j, ...) or :', this.site(token), 'write dS[i, j] = ... or dX[n, c, :, :] = ...');
  }

  private isImplicitColon(dim: MathjsNode): boolean {
    const next = this.tokens[this.cursor + 1];
    return dim.start?.type === 'ConstantNode' && dim.end?.type === 'SymbolNode' && dim.end.name === 'end' && (next?.text === ',' || next?.text === ']');
  }

  private expr(node: MathjsNode, depth: number): Expr {
    if (depth > MAX_TREE_DEPTH) {
      throw new LimitExceededError(`the formula is nested more than ${MAX_TREE_DEPTH} levels deep`, this.site(this.peek()), 'maxDepth', 'split it into simpler parts');
    }
    if (!ALLOWED_NODE_TYPES.has(node.type)) this.refuse(node.type);
    switch (node.type) {
      case 'ParenthesisNode': {
        const open = this.expect('(');
        // Parentheses leave no node: they count towards the bracket nesting (tokens.ts), not the depth,
        // so that the canonical reading of a tree (print.ts) is as deep as the tree and reads back.
        const inner = this.expr(node.content!, depth);
        const close = this.expect(')');
        return { ...inner, span: this.span(open.start, close.end) } as Expr;
      }
      case 'ConstantNode':
        return this.constant(node);
      case 'SymbolNode': {
        const token = this.peek();
        if (node.name === 'end') {
          throw new UnsupportedSyntaxError('end is not supported', this.site(token), 'write the dimension name, e.g. A[N, :]');
        }
        this.expect(node.name, 'name');
        return { kind: 'symbol', name: node.name!, span: this.span(token!.start, token!.end) };
      }
      case 'OperatorNode':
        return this.operator(node, depth);
      case 'FunctionNode':
        return this.call(node, depth);
      case 'AccessorNode':
        return this.access(node, depth);
      case 'ArrayNode':
        return this.array(node, depth);
      case 'RangeNode':
        throw new UnsupportedSyntaxError('a range lo:hi is only allowed inside an index: A[1:3, :]', this.site(this.peek()));
      case 'AssignmentNode':
        throw new UnsupportedSyntaxError('an assignment is only allowed once, at the top: target = expression', this.site(this.peek()));
      default:
        throw new Error(`internal: ${node.type} is allowed but not read`);
    }
  }

  /**
   * `[A, B]` (a list: a concatenation, a size list or the [] of max) or `[A, B; C, D]` (rows separated by
   * `;`, which mathjs gives as an ArrayNode of row ArrayNodes without brackets of their own).
   */
  private array(node: MathjsNode, depth: number): Expr {
    const open = this.expect('[');
    const items = node.items!;
    if (!this.rowsAhead()) {
      const list = this.items(items, depth);
      const close = this.expect(']');
      return { kind: 'list', items: list, span: this.span(open.start, close.end) };
    }
    const rows = items.map((row, k): ListNode => {
      if (k > 0) this.expect(';');
      const first = this.peek();
      const list = this.items(row.items!, depth);
      const last = this.tokens[this.cursor - 1]!;
      return { kind: 'list', items: list, span: this.span(first!.start, last.end) };
    });
    // MATLAB allows a trailing ; as mathjs does: [A; B;] is [A; B].
    if (this.peek()?.text === ';') this.cursor++;
    const close = this.expect(']');
    const span = this.span(open.start, close.end);
    // One row and a trailing ; ([A, B;]) is the row itself: the same tree as [A, B], so readings re-read alike.
    if (rows.length === 1) return { kind: 'list', items: rows[0]!.items, span };
    return { kind: 'matrix', rows, span };
  }

  /** Comma-separated items of a list or of one row of a matrix. */
  private items(items: readonly MathjsNode[], depth: number): Expr[] {
    return items.map((item, k) => {
      if (k > 0) this.expect(',');
      return this.expr(item, depth + 1);
    });
  }

  /** Whether the bracket just opened holds a `;` at its own level (so its items are rows). */
  private rowsAhead(): boolean {
    let depth = 0;
    for (let k = this.cursor; k < this.tokens.length; k++) {
      const t = this.tokens[k]!.text;
      if (t === '(' || t === '[') depth++;
      else if (t === ')' || t === ']') {
        if (depth === 0) return false;
        depth--;
      } else if (t === ';' && depth === 0) return true;
    }
    return false;
  }

  private constant(node: MathjsNode): Expr {
    const token = this.peek();
    if (typeof node.value === 'number' && token?.kind === 'number' && Number.isFinite(node.value)) {
      this.cursor++;
      return { kind: 'number', value: node.value, span: this.span(token.start, token.end) };
    }
    if (typeof node.value === 'string' && token?.kind === 'string') {
      this.cursor++;
      return { kind: 'string', value: node.value, span: this.span(token.start, token.end) };
    }
    const text = token?.text ?? String(node.value);
    throw new UnsupportedSyntaxError(`${text} is not allowed in a formula`, this.site(token), 'use decimal numbers and declared names');
  }

  private operator(node: MathjsNode, depth: number): Expr {
    const op = node.op!;
    const args = node.args!;
    if (args.length === 1) {
      if (op === "'") {
        const arg = this.expr(args[0]!, depth + 1);
        const mark = this.expect("'", 'transpose');
        return { kind: 'transpose', arg, span: { start: arg.span.start, end: this.span(mark.start, mark.end).end } };
      }
      if (op === '-' || op === '+') {
        const sign = this.expect(op);
        const arg = this.expr(args[0]!, depth + 1);
        const span = { start: this.span(sign.start, sign.end).start, end: arg.span.end };
        return op === '-' ? { kind: 'negate', arg, span } : ({ ...arg, span } as Expr);
      }
      this.refuseOperator(op);
    }
    if (node.isPercentage) {
      this.expr(args[0]!, depth + 1);
      throw new FormulaSyntaxError(`${LEFT_DIVISION} needs a right operand`, this.site(this.peek()), 'write A \\ B to solve A X = B');
    }
    const left = this.expr(args[0]!, depth + 1);
    if (op === LEFT_DIVISION_STAND_IN) {
      const token = this.expect(LEFT_DIVISION);
      const right = this.expr(args[1]!, depth + 1);
      return { kind: 'call', fn: LEFT_DIVISION_FUNCTION, args: [left, right], span: { start: left.span.start, end: right.span.end }, nameSpan: this.span(token.start, token.end) };
    }
    const binary = BINARY_OPERATORS.get(op);
    if (binary === undefined) this.refuseOperator(op);
    let opSpan: SourceSpan;
    if (node.implicit) {
      opSpan = { start: left.span.end, end: left.span.end };
    } else {
      const token = this.expect(op);
      opSpan = this.span(token.start, token.end);
    }
    const right = this.expr(args[1]!, depth + 1);
    const span = { start: left.span.start, end: right.span.end };
    if (binary === '^' && right.kind === 'symbol' && right.name === TRANSPOSE_EXPONENT && !this.source.scalarNames.has(TRANSPOSE_EXPONENT)) {
      return { kind: 'transpose', arg: left, span };
    }
    return { kind: 'binary', op: binary, left, right, span, opSpan };
  }

  private refuseOperator(op: string): never {
    const hint = REFUSED_OPERATORS.get(op) ?? '';
    throw new UnsupportedSyntaxError(`the operator ${op} is not supported`, this.site(this.peek()), hint);
  }

  private call(node: MathjsNode, depth: number): Expr {
    const fn = node.fn as MathjsNode;
    if (typeof fn !== 'object' || fn.type !== 'SymbolNode') throw new UnsupportedSyntaxError('only named functions can be called', this.site(this.peek()));
    const nameToken = this.expect(fn.name, 'name');
    const name = fn.name!;
    const nameSpan = this.span(nameToken.start, nameToken.end);
    const row = functionRow(name);
    if (row === undefined) {
      const suggestions = closeNames(name, FUNCTION_NAMES);
      const hint = suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}?` : `the functions are ${FUNCTION_NAMES.join(' ')}`;
      throw new UnknownSymbolError(`unknown function ${name}`, { text: this.source.userText, span: nameSpan }, name, suggestions, hint);
    }
    this.expect('(');
    const args = node.args!.map((arg, k) => {
      if (k > 0) this.expect(',');
      return this.expr(arg, depth + 1);
    });
    const close = this.expect(')');
    const span = { start: nameSpan.start, end: this.span(close.start, close.end).end };
    const [least, most] = row.arity;
    if (row.kind === 'spelling' && args.length >= least && args.length <= most) return row.read(args, span);
    // Aliases read as the function's name (tr(A) is trace(A)).
    return { kind: 'call', fn: row.name, args, span, nameSpan };
  }

  private access(node: MathjsNode, depth: number): Expr {
    const object = node.object!;
    if (node.index?.dotNotation) throw new UnsupportedSyntaxError('property access is not allowed', this.site(this.peek()), 'a formula only reads declared tensors and calls allowed functions');
    if (object.type !== 'SymbolNode') {
      // A value indexed: (X * W)[:, 1:H], [A, B][:, 1:D]; a parenthesised name (A)[i] is the name indexed.
      const value = this.expr(object, depth + 1);
      const [entries, close] = this.entries(node, depth);
      const span = { start: value.span.start, end: this.span(close.start, close.end).end };
      if (value.kind === 'symbol' && !RESERVED_WORDS.has(value.name)) return { kind: 'index', name: value.name, entries, nameSpan: value.span, span };
      return { kind: 'slice', object: value, entries, span };
    }
    const nameToken = this.expect(object.name, 'name');
    if (RESERVED_WORDS.has(object.name!)) throw new UnsupportedSyntaxError(`${object.name} cannot be indexed`, this.site(nameToken));
    const [entries, close] = this.entries(node, depth);
    const nameSpan = this.span(nameToken.start, nameToken.end);
    return { kind: 'index', name: object.name!, entries, nameSpan, span: { start: nameSpan.start, end: this.span(close.start, close.end).end } };
  }

  /** The bracketed index entries of an accessor, and its closing bracket. */
  private entries(node: MathjsNode, depth: number): [IndexEntry[], Token] {
    this.expect('[');
    const entries: IndexEntry[] = node.index!.dimensions!.map((dim, k) => {
      if (k > 0) this.expect(',');
      return dim.type === 'RangeNode' ? this.range(dim, depth) : this.expr(dim, depth + 1);
    });
    return [entries, this.expect(']')];
  }

  private range(node: MathjsNode, depth: number): ColonNode | RangeNode {
    if (node.step) throw new UnsupportedSyntaxError('stepped ranges lo:step:hi are not supported', this.site(this.peek()));
    const first = this.peek();
    if (first?.text === ':' && this.isImplicitColon(node)) {
      this.cursor++;
      return { kind: 'colon', span: this.span(first.start, first.end) };
    }
    let start: Expr;
    if (first?.text === ':') {
      start = { kind: 'number', value: 1, span: this.span(first.start, first.start) };
    } else {
      start = this.expr(node.start!, depth + 1);
    }
    const colon = this.expect(':');
    const after = this.peek();
    if (after === undefined || after.text === ',' || after.text === ']') {
      throw new UnsupportedSyntaxError('open ranges lo: are not supported', this.site(colon), 'write the end explicitly, e.g. 2:N');
    }
    const end = this.expr(node.end!, depth + 1);
    return { kind: 'range', start, end, span: { start: start.span.start, end: end.span.end } };
  }
}
