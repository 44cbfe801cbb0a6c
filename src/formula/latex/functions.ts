import { isFunctionName } from '../allowlist.js';

/**
 * LaTeX spellings of the formula language's functions, in one place: commands (\exp, \ln, \sigma) and
 * names in \operatorname{}, \mathrm{}, \text{} or plain letters (ReLU, diag, tr). A spelling whose
 * function the language does not have yet (tr, sign) is known here, so the reader can name it when it
 * refuses it instead of calling it an unknown symbol.
 */

/** Function commands: \exp(x), \log x, \sigma(a). */
const COMMANDS: ReadonlyMap<string, string> = new Map([
  ['exp', 'exp'],
  ['log', 'log'],
  ['ln', 'log'],
  ['lg', 'log10'],
  ['tanh', 'tanh'],
  ['sinh', 'sinh'],
  ['cosh', 'cosh'],
  ['sin', 'sin'],
  ['cos', 'cos'],
  ['tan', 'tan'],
  ['arctan', 'atan'],
  ['max', 'max'],
  ['min', 'min'],
  ['sigma', 'sigmoid'],
  ['det', 'det'],
  ['sgn', 'sign'],
]);

/** Operator names: \operatorname{ReLU}, \mathrm{diag}, \text{softmax}, and the same as plain words. */
const NAMES: ReadonlyMap<string, string> = new Map([
  ['ReLU', 'relu'],
  ['Relu', 'relu'],
  ['RELU', 'relu'],
  ['relu', 'relu'],
  ['sigmoid', 'sigmoid'],
  ['diag', 'diag'],
  ['Diag', 'diag'],
  ['tr', 'trace'],
  ['Tr', 'trace'],
  ['trace', 'trace'],
  ['sign', 'sign'],
  ['sgn', 'sign'],
  ['softmax', 'softmax'],
  ['Softmax', 'softmax'],
  ['logsumexp', 'logsumexp'],
  ['LSE', 'logsumexp'],
  ['vec', 'reshape'],
  ['rot180', 'rot180'],
]);

export interface FunctionSpelling {
  /** The formula language's name for it. */
  readonly fn: string;
  /** Whether the language has it (a known spelling of a missing function is refused by name). */
  readonly available: boolean;
}

function spelling(fn: string | undefined): FunctionSpelling | undefined {
  return fn === undefined ? undefined : { fn, available: (isFunctionName(fn) && fn !== 'reshape') || REWRITES.has(fn) };
}

/** The function a command such as \exp or \sigma spells. */
export function functionOfCommand(command: string): FunctionSpelling | undefined {
  return spelling(COMMANDS.get(command));
}

/** The function an operator name (ReLU, diag, softmax, kron, conv2) spells, when it is one. */
export function functionOfName(name: string): FunctionSpelling | undefined {
  return spelling(NAMES.get(name) ?? (isFunctionName(name) ? name : COMMANDS.get(name)));
}

/** Where the argument goes in a derivative's formula text. */
export const ARGUMENT = Symbol('argument');

/**
 * Derivatives written with a prime, f'(u), as formula text around the argument u (written out twice
 * where it occurs twice): σ' = σ(1 − σ), tanh' = 1 − tanh², relu' = the step (u > 0), exp' = exp, log' = 1/u.
 */
export const DERIVATIVES: ReadonlyMap<string, readonly (string | typeof ARGUMENT)[]> = new Map([
  ['sigmoid', ['(sigmoid(', ARGUMENT, ') .* (1 - sigmoid(', ARGUMENT, ')))']],
  ['tanh', ['(1 - tanh(', ARGUMENT, ') .^ 2)']],
  ['relu', ['((', ARGUMENT, ') > 0)']],
  ['exp', ['exp(', ARGUMENT, ')']],
  ['log', ['(1 ./ (', ARGUMENT, '))']],
]);

/** Functions read as formulas of the language's own: rot180(K) = rot90(K, 2). */
export const REWRITES: ReadonlyMap<string, readonly (string | typeof ARGUMENT)[]> = new Map([['rot180', ['rot90(', ARGUMENT, ', 2)']]]);
