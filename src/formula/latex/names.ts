import type { Tok } from './tokens.js';
import { FONT_MACROS, TEXT_MACROS, isChar, isMacro, significant } from './tokens.js';

/**
 * Names as LaTeX writes them. A spelling is compared by its key: the LaTeX with fonts, braces and
 * spaces dropped, commands by name (`\mathbf{h}_{t-1}` → `h_t-1`, `\delta_2` → `delta_2`, `h'` → `h'`).
 * A key resolves to a declared name through, in order: a declared spelling (a problem's or question's
 * alias: `h_t` → h, `g` → G), the name itself, or the name with its subscript or layer superscript
 * joined (`W_2`, `W_{h}`, `W^{[2]}` → W2, Wh when those are declared).
 */

/** Greek letters read as names (\sigma is the sigmoid and \delta with a subscript the Kronecker delta: see the reader). */
export const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho',
  'varrho', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega', 'Delta', 'Theta', 'Xi', 'Pi', 'delta', 'sigma', 'ell',
]);

/** Numerators of ∂L/∂Y read as "the loss" (key spellings: L, \ell, \mathcal{L}, E, J, \text{loss}). */
const LOSS_KEYS = new Set(['L', 'ell', 'l', 'E', 'J', 'loss', 'Loss']);

/** The key of a LaTeX spelling (see the module comment), or undefined for anything but a name. */
export function nameKey(toks: readonly Tok[]): string | undefined {
  let out = '';
  for (const t of significant(toks)) {
    if (t.kind === 'char') {
      if (!/^[A-Za-z0-9'*+\-,.:()[\]]$/.test(t.ch)) return undefined;
      out += t.ch;
    } else if (t.kind === 'group') {
      const inner = nameKey(t.content);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (t.kind === 'macro' && (t.name === '_' || t.name === '^')) {
      const inner = nameKey(t.args[0] ?? []);
      if (inner === undefined) return undefined;
      out += t.name + inner;
    } else if (t.kind === 'macro' && (TEXT_MACROS.has(t.name) || FONT_MACROS.has(t.name)) && t.args.length > 0) {
      const inner = nameKey(t.args[t.args.length - 1]!);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (t.kind === 'macro' && (GREEK.has(t.name) || ['hat', 'bar', 'tilde', 'widehat', 'overline', 'prime', 'star', 'ast'].includes(t.name))) {
      const inner = t.args.length > 0 ? nameKey(t.args[0]!) : '';
      if (inner === undefined) return undefined;
      out += t.args.length > 0 ? `${t.name}(${inner})` : t.name === 'prime' ? "'" : t.name === 'star' || t.name === 'ast' ? '*' : t.name;
    } else {
      return undefined;
    }
  }
  return out === '' ? undefined : out;
}

/** Whether a key spells the loss (L, \ell, \mathcal{L}, E, J). */
export function isLossKey(key: string | undefined): boolean {
  return key !== undefined && LOSS_KEYS.has(key);
}

/**
 * The key of a derivative spelling, `∂L/∂Y` written as \frac{\partial L}{\partial Y}: numerator and
 * denominator keys after the \partial (or an upright or italic d), the loss spellings as L. Undefined
 * when the fraction is not a derivative.
 */
export function derivativeKey(numerator: readonly Tok[], denominator: readonly Tok[]): { of: string; wrt: readonly Tok[]; key: string } | undefined {
  const num = afterDifferential(numerator);
  const den = afterDifferential(denominator);
  if (!num || !den || num.length === 0 || den.length === 0) return undefined;
  const of = nameKey(num);
  const wrtKey = nameKey(den);
  if (of === undefined || wrtKey === undefined) return undefined;
  return { of: isLossKey(of) ? 'L' : of, wrt: den, key: `${isLossKey(of) ? 'L' : of}/${wrtKey}` };
}

/** The tokens after a leading \partial, d or \mathrm{d} (undefined when there is none). */
function afterDifferential(toks: readonly Tok[]): Tok[] | undefined {
  const s = significant(toks);
  const first = s[0];
  if (isMacro(first, 'partial')) return s.slice(1);
  if (isMacro(first, 'mathrm', 'text', 'operatorname', 'mathit') && nameKey(first.args[first.args.length - 1] ?? []) === 'd') return s.slice(1);
  // A plain d: `dL` is a run of letters; what follows the d is the name.
  if (isChar(first, 'd') && s.length > 1) return s.slice(1);
  return undefined;
}

/** What a problem declares that LaTeX names resolve to. */
export interface NameTable {
  /** Declared symbols with their shapes (dimension expressions or numbers), and dimension names. */
  readonly symbols: ReadonlyMap<string, readonly (string | number)[]>;
  readonly dims: ReadonlySet<string>;
  /** Declared spellings: name keys (`h_t`, `g`) and derivative keys (`L/Y`) → declared names. */
  readonly aliases: ReadonlyMap<string, string>;
}

export function isDeclared(table: NameTable, name: string): boolean {
  return table.symbols.has(name) || table.dims.has(name);
}

/** The declared name a key spells, if any (see the module comment for the order). */
export function declaredNameOf(table: NameTable, key: string): string | undefined {
  const alias = table.aliases.get(key);
  if (alias !== undefined) return alias;
  if (isDeclared(table, key)) return key;
  const joined = /^([A-Za-z]+[A-Za-z0-9]*)(?:_|\^\[|\^\()([A-Za-z0-9]+)[\])]?$/.exec(key);
  if (joined) {
    for (const candidate of [`${joined[1]}_${joined[2]}`, `${joined[1]}${joined[2]}`]) if (isDeclared(table, candidate)) return candidate;
  }
  return undefined;
}

/** A declared symbol's rank and where its axes of size 1 are (a column m×1 has one at axis 1). */
export function singletonAxes(table: NameTable, name: string): { rank: number; singletons: number[] } | undefined {
  const shape = table.symbols.get(name);
  if (!shape) return undefined;
  return { rank: shape.length, singletons: shape.flatMap((d, k) => (d === 1 || d === '1' ? [k] : [])) };
}
