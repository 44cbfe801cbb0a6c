import { LimitExceededError } from './errors.js';
import { latexAliasKey, lowerLatex } from './latex.js';
import { printStatement } from './print.js';
import { readFormulaText } from './read.js';
/** Formulas are a line or two; 4000 characters bounds the work of reading hostile input. */
export const MAX_FORMULA_LENGTH = 4000;
/** All declared names, and those that denote numbers (dimensions and scalar symbols). */
function declaredNames(declarations) {
    const dims = Array.isArray(declarations?.dims) ? declarations.dims.filter((d) => typeof d === 'string') : [];
    const symbols = Array.isArray(declarations?.symbols) ? declarations.symbols.filter((s) => typeof s?.name === 'string') : [];
    return {
        all: new Set([...dims, ...symbols.map((s) => s.name)]),
        scalars: new Set([...dims, ...symbols.filter((s) => Array.isArray(s.shape) && s.shape.length === 0).map((s) => s.name)]),
    };
}
function latexAliases(declarations) {
    const aliases = new Map();
    for (const s of declarations?.symbols ?? []) {
        for (const alias of s?.aliases ?? []) {
            const key = latexAliasKey(alias);
            if (key !== undefined)
                aliases.set(key, s.name);
        }
    }
    return aliases;
}
/** Reads a formula (or LaTeX) into the formula tree; throws a FormulaError subclass on bad input. */
export function parseFormula(text, options = {}) {
    const syntax = options.syntax ?? 'formula';
    const maxLength = options.maxLength ?? MAX_FORMULA_LENGTH;
    if (typeof text !== 'string')
        throw new TypeError('parseFormula: the formula must be a string');
    if (text.length > maxLength) {
        throw new LimitExceededError(`the formula is ${text.length} characters long; the limit is ${maxLength}`, { text, span: { start: maxLength, end: text.length } }, 'maxLength');
    }
    const names = declaredNames(options.declarations);
    let statement;
    if (syntax === 'latex') {
        const lowered = lowerLatex(text, { declared: names.all, scalars: names.scalars, aliases: latexAliases(options.declarations) });
        statement = readFormulaText({ text: lowered.text, mapSpan: lowered.mapSpan, userText: text, scalarNames: names.scalars });
    }
    else {
        statement = readFormulaText({ text, mapSpan: (span) => span, userText: text, scalarNames: names.scalars });
    }
    return { text, syntax, statement, readAs: printStatement(statement) };
}
