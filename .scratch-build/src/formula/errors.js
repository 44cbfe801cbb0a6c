export function positionOf(text, span) {
    const offset = Math.max(0, Math.min(span.start, text.length));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
        if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
        }
    }
    return { offset, end: Math.max(offset, Math.min(span.end, text.length)), line, column: offset - lineStart + 1 };
}
/**
 * Base of every error the formula language raises on bad input. `message` says what is wrong and, after
 * "; ", how to fix it; `hint` holds the fix alone; `position` locates it in `source` (the user's text).
 */
export class FormulaError extends Error {
    what;
    hint;
    name = 'FormulaError';
    position;
    source;
    constructor(what, site, hint = '', options) {
        super(options?.message ?? (hint ? `${what}; ${hint}` : what), options?.cause === undefined ? undefined : { cause: options.cause });
        this.what = what;
        this.hint = hint;
        this.source = site?.text;
        this.position = site ? positionOf(site.text, site.span) : undefined;
    }
    /** The message, the offending line with a caret under the span, and the position, for terminals and reports. */
    describe() {
        if (!this.position || this.source === undefined)
            return this.message;
        const { offset, end, line, column } = this.position;
        const lines = this.source.split('\n');
        const lineText = lines[line - 1] ?? '';
        const width = Math.max(1, Math.min(end, offset + lineText.length - column + 1) - offset);
        const where = lines.length > 1 ? `line ${line}, column ${column}` : `column ${column}`;
        return `${this.message}\n  ${lineText}\n  ${' '.repeat(column - 1)}${'^'.repeat(width)}\n  (at ${where})`;
    }
}
/** The text is not a well-formed formula (unbalanced brackets, a dangling operator, a stray character). */
export class FormulaSyntaxError extends FormulaError {
    name = 'FormulaSyntaxError';
}
/** Well-formed, but uses a construct the language refuses (property access, objects, definitions, unknown macros). */
export class UnsupportedSyntaxError extends FormulaError {
    name = 'UnsupportedSyntaxError';
}
/** A name that is neither declared, a dimension, a bound index, nor an allowed function; lists close names. */
export class UnknownSymbolError extends FormulaError {
    symbol;
    suggestions;
    name = 'UnknownSymbolError';
    constructor(what, site, symbol, suggestions, hint = suggestions.length > 0 ? `did you mean ${suggestions.join(' or ')}?` : '') {
        super(what, site, hint);
        this.symbol = symbol;
        this.suggestions = suggestions;
    }
}
/** Shapes that do not fit: operands of an operation, an index count, or the answer against the target. */
export class FormulaShapeError extends FormulaError {
    name = 'FormulaShapeError';
}
/** A size, trip count, time or length cap was exceeded; `limit` names the cap (see FormulaLimits). */
export class LimitExceededError extends FormulaError {
    limit;
    name = 'LimitExceededError';
    constructor(what, site, limit, hint = '') {
        super(what, site, hint);
        this.limit = limit;
    }
}
/** A declaration (dimension names, symbol shapes, `--shape` text) is malformed. */
export class DeclarationError extends FormulaError {
    name = 'DeclarationError';
}
/** Values or dimension sizes passed to a compiled formula do not match the declarations. */
export class FormulaValueError extends FormulaError {
    name = 'FormulaValueError';
}
