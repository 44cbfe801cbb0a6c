import { GREEK, type NameTable, isDeclared, singletonAxes } from './names.js';
import type { Base, Lowering } from './lower.js';
import { type MacroTok, type Span, type Tok, isChar, isLetter, isMacro, plainText, significant, wordOf } from './tokens.js';

/**
 * What follows an operand: a superscript (a transpose: T, \\top, \\intercal, \\mathsf{T}, a prime; or a
 * power, read elementwise) and a subscript (indices, filled out to the declared rank: the size-1 axes of
 * a row or column, or whole trailing axes of a higher-rank tensor).
 */

/** Whether a superscript is spelled as a transpose: T, \\top, \\intercal, \\mathsf{T}, \\prime. */
export function isTransposeSpelling(t: MacroTok): boolean {
  const arg = significant(t.args[0] ?? []);
  if (arg.length !== 1) return false;
  const only = arg[0]!;
  if (isMacro(only, 'top', 'intercal', 'prime') || isChar(only, "'")) return true;
  if (isMacro(only, 'mathsf', 'mathrm', 'mathbf', 'mathit', 'text', 'textsf') && wordOf(only.args[0] ?? []) === 'T') return true;
  return isChar(only, 'T');
}

/** Whether a superscript transposes its base. Where T is also a dimension, `x^T` of a scalar is a power. */
export function transposes(l: Lowering, t: MacroTok, base: Base): boolean {
  if (!isTransposeSpelling(t)) return false;
  const only = significant(t.args[0] ?? [])[0]!;
  if (!isChar(only, 'T') || !isDeclared(l.ctx.names, 'T')) return true;
  if (base === 'number') return false;
  if (base !== undefined) return !isScalarName(l, base.name);
  l.ctx.choices.transposes.push({ start: t.start, end: t.end });
  return true;
}

/** A dimension or a declared scalar. */
function isScalarName(l: Lowering, name: string): boolean {
  return l.ctx.names.dims.has(name) || l.ctx.names.symbols.get(name)?.length === 0;
}

export function superscript(l: Lowering, t: MacroTok, base: Base): void {
  if (transposes(l, t, base)) {
    l.emit("'", 'postfix', t);
    return;
  }
  const arg = significant(t.args[0] ?? []);
  const span = { start: t.start, end: t.end };
  const text = arg.length > 0 ? l.source({ start: arg[0]!.start, end: arg[arg.length - 1]!.end }).replace(/\s+/g, '') : '';
  if (arg.some((x) => isMacro(x, 'star', 'ast', 'dagger') || isChar(x, '*') || isChar(x, '+'))) {
    l.unsupported(`^{${text}}`, `^{${text}}: a starred or daggered name is only read on the left of =`, span);
  }
  const scalarBase = base === 'number' || (base !== undefined && isScalarName(l, base.name));
  // A^{-T}, A^{-\top}: the inverse, transposed (x^{-T} of a number where T is a dimension is a power).
  if (isInverseTranspose(arg) && !(scalarBase && isChar(arg[1], 'T') && isDeclared(l.ctx.names, 'T'))) {
    // transpose(x .^ (-1)): a postfix ' would bind to the exponent.
    l.ctx.choices.inverses.push(span);
    if (!l.callOnLastOperand('transpose', t)) l.syntax(`${l.source(t)} needs something before it`, t);
    l.emit('.^', 'op', t);
    l.emit('(-1)', 'number', t);
    l.emit(')', 'close', t);
    return;
  }
  // A^{-1}: the reciprocal of a number, the inverse of a square matrix (the shapes decide).
  if (text === '-1' && !scalarBase) l.ctx.choices.inverses.push(span);
  l.emit('.^', 'op', t);
  l.parenthesised(t.args[0] ?? [], t);
}

/** `-T`, `-\top`, `-\intercal`, `-\mathsf{T}`: the exponent of an inverse transpose. */
function isInverseTranspose(arg: readonly Tok[]): boolean {
  if (arg.length !== 2 || !isChar(arg[0], '-')) return false;
  const t = arg[1]!;
  return isChar(t, 'T') || isMacro(t, 'top', 'intercal') || (isMacro(t, 'mathsf', 'mathrm', 'mathbf', 'mathit', 'text', 'textsf') && wordOf(t.args[0] ?? []) === 'T');
}

/**
 * Index entries after a declared name: `_{ij}` (single letters) or `_{i-m+1, j}`. Fewer entries than
 * axes fill the axes of size 1 (g_i of a column g → g[i, 1]) or, failing that, the trailing axes with
 * whole slices (K_{f,c} of an F×C×kh×kw K → K[f, c, :, :]).
 */
export function index(l: Lowering, name: string, entries: readonly Tok[][], at: Span): void {
  // H_{out} where H is a dimension: a name nothing defines, not an entry of a number.
  if (l.ctx.names.dims.has(name)) throw l.unknown(`${name}_{${l.source({ start: at.start + 1, end: at.end }).replace(/^\{|\}$/g, '')}}`, at);
  const info = singletonAxes(l.ctx.names, name);
  let split = entries.length === 1 ? letterIndices(l.ctx.names, entries[0]!) : entries;
  // G_{12}: one digit per axis of a matrix (a column's x_{12} is entry 12).
  const digits = split.length === 1 ? plainText(split[0]!) : undefined;
  const needed = info ? info.rank - info.singletons.length : 0;
  if (digits !== undefined && /^[1-9]+$/.test(digits) && needed >= 2 && digits.length === needed) split = significant(split[0]!).map((t) => [t]);
  let slots: (readonly Tok[] | '1' | ':')[] = [...split];
  if (info && split.length < info.rank) {
    if (info.singletons.length === info.rank - split.length) {
      const rest = [...split];
      slots = Array.from({ length: info.rank }, (_, axis) => (info.singletons.includes(axis) ? '1' : rest.shift()!));
    } else if (info.rank - split.length >= 2) {
      slots = [...split, ...Array.from({ length: info.rank - split.length }, () => ':' as const)];
    } else {
      // x_t of an X×T matrix: a row or a column?
      l.unsupported(`${name}_{…}`, `${l.source(at)}: ${split.length} ind${split.length === 1 ? 'ex' : 'ices'} of ${name}, which has ${info.rank} axes: which axis is left whole is not clear`, at, `write every index, with : for a whole axis: ${name}_{:,t}`);
    }
  }
  l.emit('[', 'openIndex', at);
  slots.forEach((slot, k) => {
    if (k > 0) l.emit(',', 'op', at);
    if (slot === '1' || slot === ':') l.emit(slot, slot === '1' ? 'number' : 'op', at);
    else l.sequence(slot);
  });
  l.emit(']', 'close', at);
  // X_{n,:} is row n of a matrix (1×D) and X_{:,d} column d (N×1), as LaTeX writes them; the formula
  // language's slice drops the axis, so the reading keeps it.
  const shape = l.ctx.names.symbols.get(name);
  const colon = slots.map((slot) => isChar(Array.isArray(slot) ? significant(slot as readonly Tok[])[0] : undefined, ':') && (slot as readonly Tok[]).length > 0 && significant(slot as readonly Tok[]).length === 1);
  if (shape && shape.length === 2 && colon.filter(Boolean).length === 1 && l.callOnLastOperand('reshape', at)) {
    const sizes = colon[0] ? [shape[0]!, 1] : [1, shape[1]!];
    for (const size of sizes) {
      l.emit(',', 'op', at);
      l.emit(`(${size})`, 'name', at);
    }
    l.emit(')', 'close', at);
  }
}

/** `ij`, `kc_b`, `nfij`: juxtaposed single letters (each perhaps with its own subscript) are one index each. */
export function letterIndices(names: NameTable, entry: readonly Tok[]): Tok[][] {
  const s = significant(entry);
  const word = plainText(s);
  if (word !== undefined && (word.length < 2 || isDeclared(names, word) || !/^[A-Za-z]+$/.test(word))) return [s];
  const out: Tok[][] = [];
  for (const t of s) {
    if (isChar(t) && isLetter(t.ch)) out.push([t]);
    else if ((isMacro(t, '_') || isChar(t, "'")) && out.length > 0) out[out.length - 1]!.push(t);
    else if (t.kind === 'macro' && GREEK.has(t.name)) out.push([t]);
    else return [s];
  }
  return out.length > 1 ? out : [s];
}
