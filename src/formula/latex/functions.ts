import { LATEX_SPELLINGS, functionRow } from '../functions/table.js';
import { type Tok, isMacro, wordOf } from './tokens.js';

/**
 * Function names in LaTeX, read from the function table's spellings (src/formula/functions: `\exp`,
 * `\operatorname{tr}`, `\log\det`), so that a function added there is read here. The reader generalises
 * them as a human does: a word a spelling puts in \operatorname{} is read in \mathrm{}, \text{} or as
 * plain letters too, function names and aliases are words (`\operatorname{softmax}`, `diag(v)`), and a
 * word read without regard to case (`\operatorname{Relu}`, `\text{Softmax}`) when the exact word is
 * nothing. What is the reader's own: derivatives written with a prime, and names rewritten (rot180).
 */

/** A command that spells a function alone: \exp, \ln, \sigma, \det, \tr. */
const COMMANDS: ReadonlyMap<string, string> = new Map(
  LATEX_SPELLINGS.flatMap((s) => (s.commands.length === 1 && s.commands[0]!.arg === undefined ? [[s.commands[0]!.name, s.fn] as const] : [])),
);

/** A word a spelling puts in a command's argument: ReLU (\operatorname{ReLU}), Tr (\mathrm{Tr}), sgn. */
const WORDS: ReadonlyMap<string, string> = new Map(
  LATEX_SPELLINGS.flatMap((s) => (s.commands.length === 1 && s.commands[0]!.arg !== undefined ? [[s.commands[0]!.arg, s.fn] as const] : [])),
);

/** Spellings of more than one command (\log\det), longest first. */
const RUNS = LATEX_SPELLINGS.filter((s) => s.commands.length > 1);

/** Shortest word read without regard to case: single letters are names (S, E), not functions. */
const MIN_CASELESS = 2;

/** The function a command such as \exp or \sigma spells. */
export function functionOfCommand(command: string): string | undefined {
  return COMMANDS.get(command);
}

/** The function an operator name (ReLU, diag, softmax, kron, Tr, ln) spells, when it is one. */
export function functionOfName(word: string): string | undefined {
  const exact = functionRow(word)?.name ?? WORDS.get(word) ?? COMMANDS.get(word) ?? (REWRITES.has(word) ? word : undefined);
  if (exact !== undefined || word.length < MIN_CASELESS) return exact;
  const lower = word.toLowerCase();
  return lower === word ? undefined : functionOfName(lower);
}

/** A run of commands that spells one function (`\log\det A`, `\ln \det(A)`) at toks[i], and the index after it. */
export function spelledRun(toks: readonly Tok[], i: number): { readonly fn: string; readonly end: number } | undefined {
  for (const spelling of RUNS) {
    let j = i;
    const matches = spelling.commands.every((command, k) => {
      while (k > 0 && toks[j]?.kind === 'space') j++;
      const t = toks[j];
      if (!isMacro(t, command.name) || (command.arg !== undefined && wordOf(t.args[t.args.length - 1] ?? []) !== command.arg)) return false;
      j++;
      return true;
    });
    if (matches) return { fn: spelling.fn, end: j };
  }
  return undefined;
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

/** Names read as formulas of the language's own: rot180(K) = rot90(K, 2). */
export const REWRITES: ReadonlyMap<string, readonly (string | typeof ARGUMENT)[]> = new Map([['rot180', ['rot90(', ARGUMENT, ', 2)']]]);
