import { BINARY_OPERATORS, FUNCTION_NAMES, REFUSED_NODE_TYPES, REFUSED_OPERATORS, RESERVED_WORDS, isFunctionName } from './allowlist.js';
import { FormulaSyntaxError, LimitExceededError, UnknownSymbolError, UnsupportedSyntaxError } from './errors.js';
import { closeNames } from './suggest.js';
import { tokenize } from './tokens.js';
import { mathjs } from './mathjs.js';
const mathjsParse = mathjs.parse;
/**
 * Reads formula text into the formula tree: mathjs parses (its AST only; nothing is ever evaluated), then
 * one walk over mathjs's tree checks every node against the allow-list and, consuming the token stream in
 * step, gives each node its span in the user's text.
 */
/** Trees deeper than this are refused (they would only come from machine-made or hostile input). */
export const MAX_TREE_DEPTH = 200;
const TRANSPOSE_EXPONENT = 'T';
export function readFormulaText(source) {
    const tokens = tokenizeAt(source);
    let root;
    try {
        // mathjs ends a statement at a newline outside brackets; a formula is one statement, so newlines are spaces.
        root = mathjsParse(source.text.replace(/[\n\r\t]/g, ' '));
    }
    catch (err) {
        throw fromMathjsError(err, source);
    }
    return new Reader(source, tokens).statement(root);
}
function tokenizeAt(source) {
    return tokenize(source.text, (span) => ({ text: source.userText, span: source.mapSpan(span) }));
}
function fromMathjsError(err, source) {
    if (err instanceof RangeError) {
        return new LimitExceededError('the formula is nested too deeply to read', { text: source.userText, span: source.mapSpan({ start: 0, end: source.text.length }) }, 'maxDepth');
    }
    const message = err instanceof Error ? err.message : String(err);
    const char = err.char;
    const offset = typeof char === 'number' ? Math.max(0, Math.min(char - 1, source.text.length)) : 0;
    const what = message.replace(/\s*\(char \d+\)\s*$/, '');
    return new FormulaSyntaxError(what, { text: source.userText, span: source.mapSpan({ start: offset, end: offset + 1 }) }, 'check the brackets and that every operator has both operands');
}
class Reader {
    source;
    tokens;
    cursor = 0;
    constructor(source, tokens) {
        this.source = source;
        this.tokens = tokens;
    }
    statement(root) {
        const statement = root.type === 'AssignmentNode' ? this.assignment(root) : { kind: 'expression', expr: this.expr(root, 0), span: this.fullSpan() };
        const extra = this.tokens[this.cursor];
        if (extra)
            throw new FormulaSyntaxError(`unexpected ${extra.text}`, this.site(extra), 'check the brackets and operators');
        return statement;
    }
    fullSpan() {
        const first = this.tokens[0];
        const last = this.tokens[this.tokens.length - 1];
        return this.span(first?.start ?? 0, last?.end ?? 0);
    }
    span(start, end) {
        return this.source.mapSpan({ start, end });
    }
    site(token) {
        if (token === undefined)
            return { text: this.source.userText, span: this.span(this.source.text.length, this.source.text.length) };
        return { text: this.source.userText, span: 'kind' in token ? this.span(token.start, token.end) : token };
    }
    peek() {
        return this.tokens[this.cursor];
    }
    /** Consumes the next token, which must be `text` (or of `kind`); a mismatch means mathjs read the text differently. */
    expect(text, kind) {
        const token = this.tokens[this.cursor];
        if (!token || (text !== undefined && token.text !== text) || (kind !== undefined && token.kind !== kind)) {
            throw new FormulaSyntaxError(token ? `could not read the formula near ${token.text}` : 'unexpected end of the formula', this.site(token), 'check the brackets and operators');
        }
        this.cursor++;
        return token;
    }
    refuse(type) {
        const reason = REFUSED_NODE_TYPES.get(type) ?? `${type.replace(/Node$/, '').toLowerCase()} expressions are not supported`;
        throw new UnsupportedSyntaxError(reason, this.site(this.peek()));
    }
    assignment(root) {
        const object = root.object;
        if (object.type !== 'SymbolNode')
            this.refuse('nested indexing on the left');
        const nameToken = this.expect(object.name, 'name');
        let indices = null;
        if (root.index) {
            if (root.index.dotNotation)
                throw new UnsupportedSyntaxError('property access is not allowed', this.site(this.peek()));
            this.expect('[');
            indices = [];
            root.index.dimensions.forEach((dim, k) => {
                if (k > 0)
                    this.expect(',');
                indices.push(this.leftIndex(dim));
            });
            this.expect(']');
        }
        const eq = this.peek();
        if (eq?.text !== '=') {
            throw new UnsupportedSyntaxError('the left side of = takes a name and, for index notation, index names or : only', this.site(eq), 'write dS[i, j] = ... or dX[n, c, :, :] = ...');
        }
        this.cursor++;
        const value = this.expr(root.value, 0);
        return {
            kind: 'assignment',
            target: object.name,
            targetSpan: this.span(nameToken.start, nameToken.end),
            indices,
            value,
            span: this.span(nameToken.start, this.tokens[this.cursor - 1].end),
        };
    }
    leftIndex(dim) {
        const token = this.peek();
        if (dim.type === 'SymbolNode' && token?.kind === 'name') {
            this.cursor++;
            return { kind: 'indexName', name: dim.name, span: this.span(token.start, token.end) };
        }
        if (dim.type === 'RangeNode' && token?.text === ':' && this.isImplicitColon(dim)) {
            this.cursor++;
            return { kind: 'colon', span: this.span(token.start, token.end) };
        }
        throw new UnsupportedSyntaxError('on the left of =, each index is a name (i, j, ...) or :', this.site(token), 'write dS[i, j] = ... or dX[n, c, :, :] = ...');
    }
    isImplicitColon(dim) {
        const next = this.tokens[this.cursor + 1];
        return dim.start?.type === 'ConstantNode' && dim.end?.type === 'SymbolNode' && dim.end.name === 'end' && (next?.text === ',' || next?.text === ']');
    }
    expr(node, depth) {
        if (depth > MAX_TREE_DEPTH) {
            throw new LimitExceededError(`the formula is nested more than ${MAX_TREE_DEPTH} levels deep`, this.site(this.peek()), 'maxDepth', 'split it into simpler parts');
        }
        switch (node.type) {
            case 'ParenthesisNode': {
                const open = this.expect('(');
                const inner = this.expr(node.content, depth + 1);
                const close = this.expect(')');
                return { ...inner, span: this.span(open.start, close.end) };
            }
            case 'ConstantNode':
                return this.constant(node);
            case 'SymbolNode': {
                const token = this.peek();
                if (node.name === 'end') {
                    throw new UnsupportedSyntaxError('end is not supported', this.site(token), 'write the dimension name, e.g. A[N, :]');
                }
                this.expect(node.name, 'name');
                return { kind: 'symbol', name: node.name, span: this.span(token.start, token.end) };
            }
            case 'OperatorNode':
                return this.operator(node, depth);
            case 'FunctionNode':
                return this.call(node, depth);
            case 'AccessorNode':
                return this.access(node, depth);
            case 'ArrayNode': {
                const open = this.expect('[');
                const items = node.items.map((item, k) => {
                    if (k > 0)
                        this.expect(',');
                    if (item.type === 'ArrayNode')
                        throw new UnsupportedSyntaxError('matrix literals are not supported', this.site(this.peek()), 'build matrices with ones, zeros, eye, diag or kron');
                    return this.expr(item, depth + 1);
                });
                const close = this.expect(']');
                return { kind: 'list', items, span: this.span(open.start, close.end) };
            }
            case 'RangeNode':
                throw new UnsupportedSyntaxError('a range lo:hi is only allowed inside an index: A[1:3, :]', this.site(this.peek()));
            case 'AssignmentNode':
                throw new UnsupportedSyntaxError('an assignment is only allowed once, at the top: target = expression', this.site(this.peek()));
            default:
                this.refuse(node.type);
        }
    }
    constant(node) {
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
    operator(node, depth) {
        const op = node.op;
        const args = node.args;
        if (args.length === 1) {
            if (op === "'") {
                const arg = this.expr(args[0], depth + 1);
                const mark = this.expect("'", 'transpose');
                return { kind: 'transpose', arg, span: { start: arg.span.start, end: this.span(mark.start, mark.end).end } };
            }
            if (op === '-' || op === '+') {
                const sign = this.expect(op);
                const arg = this.expr(args[0], depth + 1);
                const span = { start: this.span(sign.start, sign.end).start, end: arg.span.end };
                return op === '-' ? { kind: 'negate', arg, span } : { ...arg, span };
            }
            this.refuseOperator(op);
        }
        const left = this.expr(args[0], depth + 1);
        const binary = BINARY_OPERATORS.get(op);
        if (binary === undefined)
            this.refuseOperator(op);
        let opSpan;
        if (node.implicit) {
            opSpan = { start: left.span.end, end: left.span.end };
        }
        else {
            const token = this.expect(op);
            opSpan = this.span(token.start, token.end);
        }
        const right = this.expr(args[1], depth + 1);
        const span = { start: left.span.start, end: right.span.end };
        if (binary === '^' && right.kind === 'symbol' && right.name === TRANSPOSE_EXPONENT && !this.source.scalarNames.has(TRANSPOSE_EXPONENT)) {
            return { kind: 'transpose', arg: left, span };
        }
        return { kind: 'binary', op: binary, left, right, span, opSpan };
    }
    refuseOperator(op) {
        const hint = REFUSED_OPERATORS.get(op) ?? '';
        throw new UnsupportedSyntaxError(`the operator ${op} is not supported`, this.site(this.peek()), hint);
    }
    call(node, depth) {
        const fn = node.fn;
        if (typeof fn !== 'object' || fn.type !== 'SymbolNode')
            this.refuse('computed function');
        const nameToken = this.expect(fn.name, 'name');
        const name = fn.name;
        const nameSpan = this.span(nameToken.start, nameToken.end);
        if (!isFunctionName(name)) {
            const suggestions = closeNames(name, FUNCTION_NAMES);
            throw new UnknownSymbolError(`unknown function ${name}`, { text: this.source.userText, span: nameSpan }, name, suggestions);
        }
        this.expect('(');
        const args = node.args.map((arg, k) => {
            if (k > 0)
                this.expect(',');
            return this.expr(arg, depth + 1);
        });
        const close = this.expect(')');
        const span = { start: nameSpan.start, end: this.span(close.start, close.end).end };
        if (name === 'transpose' && args.length === 1)
            return { kind: 'transpose', arg: args[0], span };
        return { kind: 'call', fn: name, args, span, nameSpan };
    }
    access(node, depth) {
        const object = node.object;
        if (node.index?.dotNotation)
            throw new UnsupportedSyntaxError('property access is not allowed', this.site(this.peek()), 'a formula only reads declared tensors and calls allowed functions');
        if (object.type !== 'SymbolNode') {
            this.expr(object, depth + 1);
            throw new UnsupportedSyntaxError('only a named tensor can be indexed', this.site(this.peek()), 'index the declared tensor itself: A[i, j]; index notation covers the rest');
        }
        const nameToken = this.expect(object.name, 'name');
        if (RESERVED_WORDS.has(object.name))
            throw new UnsupportedSyntaxError(`${object.name} cannot be indexed`, this.site(nameToken));
        this.expect('[');
        const entries = node.index.dimensions.map((dim, k) => {
            if (k > 0)
                this.expect(',');
            return dim.type === 'RangeNode' ? this.range(dim, depth) : this.expr(dim, depth + 1);
        });
        const close = this.expect(']');
        const nameSpan = this.span(nameToken.start, nameToken.end);
        return { kind: 'index', name: object.name, entries, nameSpan, span: { start: nameSpan.start, end: this.span(close.start, close.end).end } };
    }
    range(node, depth) {
        if (node.step)
            throw new UnsupportedSyntaxError('stepped ranges lo:step:hi are not supported', this.site(this.peek()));
        const first = this.peek();
        if (first?.text === ':' && this.isImplicitColon(node)) {
            this.cursor++;
            return { kind: 'colon', span: this.span(first.start, first.end) };
        }
        let start;
        if (first?.text === ':') {
            start = { kind: 'number', value: 1, span: this.span(first.start, first.start) };
        }
        else {
            start = this.expr(node.start, depth + 1);
        }
        const colon = this.expect(':');
        const after = this.peek();
        if (after === undefined || after.text === ',' || after.text === ']') {
            throw new UnsupportedSyntaxError('open ranges lo: are not supported', this.site(colon), 'write the end explicitly, e.g. 2:N');
        }
        const end = this.expr(node.end, depth + 1);
        return { kind: 'range', start, end, span: { start: start.span.start, end: end.span.end } };
    }
}
