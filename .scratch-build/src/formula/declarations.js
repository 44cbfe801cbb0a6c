import { CONSTANTS, IDENTIFIER, RESERVED_WORDS, isFunctionName } from './allowlist.js';
import { Dim, dimFromExpr } from './dims.js';
import { DeclarationError, FormulaError } from './errors.js';
import { readFormulaText } from './read.js';
/** Declarations validated and with shapes parsed into symbolic dimensions. */
export class Scope {
    dims;
    symbols;
    constructor(dims, symbols) {
        this.dims = dims;
        this.symbols = symbols;
    }
    /** Every name a formula may use bare: symbols, dimensions and constants not shadowed by them. */
    names() {
        return [...this.symbols.keys(), ...this.dims, ...[...CONSTANTS.keys()].filter((c) => !this.isDeclared(c))];
    }
    isDeclared(name) {
        return this.dims.has(name) || this.symbols.has(name);
    }
    dimOf = (name) => (this.dims.has(name) ? Dim.symbol(name) : undefined);
}
function checkName(name, what) {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
        throw new DeclarationError(`${what} ${JSON.stringify(name)} is not a valid name`, undefined, 'names are letters, digits and _, starting with a letter or _');
    }
    if (RESERVED_WORDS.has(name) || isFunctionName(name)) {
        throw new DeclarationError(`${what} ${name} clashes with a reserved word or function of the formula language`, undefined, 'pick another name');
    }
}
/** Parses one shape entry: a non-negative integer or a dimension expression over `dims`. */
export function parseDimension(entry, dims, owner) {
    if (typeof entry === 'number') {
        if (!Number.isSafeInteger(entry) || entry < 0)
            throw new DeclarationError(`${owner}: shape entry ${entry} is not a non-negative integer`, undefined);
        return Dim.constant(entry);
    }
    if (typeof entry !== 'string' || entry.trim() === '')
        throw new DeclarationError(`${owner}: shape entry ${JSON.stringify(entry)} is not a number or a dimension expression`, undefined);
    let statement;
    try {
        statement = readFormulaText({ text: entry, userText: entry, mapSpan: (s) => s, scalarNames: dims });
    }
    catch (err) {
        if (err instanceof FormulaError)
            throw new DeclarationError(`${owner}: shape entry '${entry}': ${err.what}`, { text: entry, span: { start: err.position?.offset ?? 0, end: err.position?.end ?? 0 } }, err.hint);
        throw err;
    }
    if (statement.kind !== 'expression')
        throw new DeclarationError(`${owner}: shape entry '${entry}' is not a dimension expression`, { text: entry, span: statement.span });
    const dim = dimFromExpr(statement.expr, (name) => (dims.has(name) ? Dim.symbol(name) : undefined));
    if (!(dim instanceof Dim)) {
        const hint = dim.node.kind === 'symbol' ? `declare ${dim.node.name} among the dims` : 'use integers, dimension names and + - * and division by a constant';
        throw new DeclarationError(`${owner}: in shape entry '${entry}', ${dim.reason}`, { text: entry, span: dim.node.span }, hint);
    }
    return dim;
}
/** Validates declarations: unique valid names, symbols distinct from dims, shapes over declared dims. */
export function resolveDeclarations(declarations) {
    if (typeof declarations !== 'object' || declarations === null || !Array.isArray(declarations.dims) || !Array.isArray(declarations.symbols)) {
        throw new DeclarationError('declarations need dims (an array of names) and symbols (an array of { name, shape })', undefined);
    }
    const dims = new Set();
    for (const d of declarations.dims) {
        checkName(d, 'dimension');
        if (dims.has(d))
            throw new DeclarationError(`dimension ${d} is declared twice`, undefined);
        dims.add(d);
    }
    const symbols = new Map();
    for (const s of declarations.symbols) {
        checkName(s?.name, 'symbol');
        if (dims.has(s.name))
            throw new DeclarationError(`${s.name} is declared both as a dimension and as a symbol`, undefined);
        if (symbols.has(s.name))
            throw new DeclarationError(`symbol ${s.name} is declared twice`, undefined);
        if (!Array.isArray(s.shape))
            throw new DeclarationError(`${s.name}: shape must be an array ([] for a scalar)`, undefined);
        const dtype = s.dtype ?? 'float64';
        if (dtype !== 'float64' && dtype !== 'index')
            throw new DeclarationError(`${s.name}: dtype must be 'float64' or 'index'`, undefined);
        symbols.set(s.name, {
            name: s.name,
            shape: s.shape.map((entry) => parseDimension(entry, dims, s.name)),
            dtype,
            aliases: s.aliases ?? [],
        });
    }
    return new Scope(dims, symbols);
}
