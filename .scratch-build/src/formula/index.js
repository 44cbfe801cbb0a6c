/** The formula language: parse (plain or LaTeX), shape-check against declarations, compile, evaluate. */
export { parseFormula, MAX_FORMULA_LENGTH } from './parse.js';
export { checkFormula } from './check.js';
export { compileFormula } from './compile.js';
export { resolveDeclarations, parseDimension, Scope as DeclarationScope } from './declarations.js';
export { Dim as SymbolicDim, formatSymbolicShape, sameSymbolicShape } from './dims.js';
export { DEFAULT_LIMITS } from './limits.js';
export { printStatement, printExpr } from './print.js';
export { treeShape } from './tree.js';
export { FUNCTIONS, FUNCTION_NAMES } from './allowlist.js';
export { FormulaError, FormulaSyntaxError, UnsupportedSyntaxError, UnknownSymbolError, FormulaShapeError, LimitExceededError, DeclarationError, FormulaValueError, } from './errors.js';
