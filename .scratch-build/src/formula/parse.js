import { LimitExceededError } from './errors.js';
import { latexAliasKey, lowerLatex } from './latex.js';
import { printStatement } from './print.js';
import { readFormulaText } from './read.js';
/** Formulas are a line or two; 4000 characters bounds the work of reading hostile input. */
export const MAX_FORMULA_LENGTH = 4000;
function declaredNames(declarations) {
    if (!declarations)
        return new Set();
    const dims = Array.isArray(declarations.dims) ? declarations.dims : [];
    const symbols = Array.isArray(declarations.symbols) ? declarations.symbols : [];
    return new Set([...dims.filter((d) => typeof d === 'string'), ...symbols.map((s) => s?.name).filter((n) => typeof n === 'string')]);
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
        const lowered = lowerLatex(text, { declared: names, aliases: latexAliases(options.declarations) });
        statement = readFormulaText({ text: lowered.text, mapSpan: lowered.mapSpan, userText: text, declaredNames: names });
    }
    else {
        statement = readFormulaText({ text, mapSpan: (span) => span, userText: text, declaredNames: names });
    }
    return { text, syntax, statement, readAs: printStatement(statement) };
}
