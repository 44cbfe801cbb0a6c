/** The formula language: parse (plain or LaTeX), shape-check against declarations, compile, evaluate. */
export { parseFormula, MAX_FORMULA_LENGTH, type ParseOptions as FormulaParseOptions, type ParsedFormula, type FormulaSyntax, type LatexNotation } from './parse.js';
export { checkFormula, type CheckOptions as FormulaCheckOptions, type CheckedFormula } from './check.js';
export type { LatexResolution } from './latex/resolve.js';
export { compileFormula, type CompileOptions as FormulaCompileOptions, type CompiledFormula, type FormulaFunction } from './compile.js';
export { checkLetChain, LetError, type LetDefinition, type LetStep, type LetChain } from './let.js';
export { resolveDeclarations, parseDimension, Scope as DeclarationScope, type Declarations, type SymbolDeclaration, type DeclaredSymbol } from './declarations.js';
export { Dim as SymbolicDim, formatSymbolicShape, sameSymbolicShape, type SymbolicShape } from './dims.js';
export { DEFAULT_LIMITS, MAX_RANK, type FormulaLimits } from './limits.js';
export { priceFormula, type FormulaCost } from './cost.js';
export { printStatement, printExpr } from './print.js';
export { treeShape, type Statement, type Expr } from './tree.js';
export { FUNCTION_ROWS, FUNCTION_NAMES, functionRow, LATEX_SPELLINGS, type LatexSpelling, type LatexCommand } from './functions/table.js';
export type { FunctionRow, ComputedRow, SpellingRow, Family, CallChecker, CallCompiler, CallResult, PieceRule, Smoothness, CostRule, CostShapes, ScalarKernel } from './functions/row.js';
export {
  FormulaError,
  FormulaSyntaxError,
  UnsupportedSyntaxError,
  UnsupportedNotationError,
  UnknownSymbolError,
  FormulaShapeError,
  LimitExceededError,
  DeclarationError,
  FormulaValueError,
  FormulaDomainError,
  type SourcePosition,
  type SourceSpan,
} from './errors.js';
