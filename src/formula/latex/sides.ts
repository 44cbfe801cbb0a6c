import { UnsupportedNotationError } from '../errors.js';
import { type NameTable, declaredNameOf, derivativeKey, isLossKey, nameKey } from './names.js';
import { type MacroTok, type Span, type Tok, depthChange, isChar, isMacro, plainText, significant, spanOf, wordOf } from './tokens.js';

/**
 * The layout of an answer: its left-hand side, the sides of its chain and its definitions.
 *
 *   \frac{\partial L}{\partial W} = X^T dY = (dY^T X)^T, \quad \delta = …
 *   └────────── left side ──────┘   └ side ┘ └── side ──┘          └ definition ┘
 *
 * A chain `a = b = c` has its left side first; every later side is an answer (the last one is graded).
 * Definitions follow the answer after a comma, a \quad or "where"/"with" (`\delta_2 = …`) and are
 * substituted where their name occurs. The left side is read for what it names: a derivative
 * (∂L/∂W, \nabla_W L, dL/dW, dW), optionally entrywise (∂L/∂W_{ij}, dW_{ij}, (∂L/∂S)_{i,j}), or any other
 * label (J_{ij}, H_{out}, w^*). A left side that names the gradient with respect to another variable than
 * the target's is not graded as the target: it is flagged for a person.
 */

export interface LeftSide {
  /** The LaTeX of the left side, and where it is. */
  readonly text: string;
  readonly span: Span;
  /** The declared variable it differentiates by, when it names one. */
  readonly wrt?: string;
  /** A name for the assignment when the target's is unknown (dW for ∂L/∂W, J for J_{ij}). */
  readonly label?: string;
  /** Index names of an entrywise left side (∂L/∂W_{ij} → i, j; `:` for a whole axis). */
  readonly indices?: readonly string[];
  /** Whether it names a derivative (∂L/∂W, dW): a label's subscript may be a name's part (H_{out}), not indices. */
  readonly derivative: boolean;
  /** An entrywise left side whose subscript is not index names (dS_{2i-1:2i, …}): its entries are not known. */
  readonly unreadIndices?: true;
}

export interface Layout {
  readonly left?: LeftSide;
  /** The answer's sides after the left one (at least one). */
  readonly sides: readonly Tok[][];
  /** Definitions by the key of their name. */
  readonly definitions: ReadonlyMap<string, readonly Tok[]>;
}

/** Words that introduce definitions after the answer. */
const CONNECTIVES = new Set(['where', 'with', 'and', 'for', 'here', 'where,', 'with,']);
const EQUALITIES = new Set(['coloneqq', 'equiv', 'triangleq', 'doteq', 'coloneq', 'defeq']);

const isEquals = (t: Tok): boolean => isChar(t, '=') || isMacro(t, ...EQUALITIES);

/** Splits at top-level tokens `at` accepts, tracking brackets. */
function splitAt(toks: readonly Tok[], at: (t: Tok) => boolean): Tok[][] {
  const out: Tok[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (depth === 0 && at(t)) out.push([]);
    else out[out.length - 1]!.push(t);
    depth += depthChange(t);
  }
  return out;
}

function isSeparator(t: Tok): boolean {
  if (isChar(t, ',') || isChar(t, ';')) return true;
  if (t.kind === 'space' && t.wide) return true;
  return t.kind === 'macro' && ['text', 'mbox', 'textrm', 'quad'].includes(t.name) && CONNECTIVES.has((wordOf(t.args[0] ?? []) ?? '').trim().toLowerCase());
}

/** Index names of a subscript: `ij` (single letters) or `i,j` / `n, c, i, j` (one name each). */
function indexNames(sub: MacroTok): string[] | undefined {
  const arg = significant(sub.args[0] ?? []);
  const entries = splitAt(arg, (t) => isChar(t, ','));
  if (entries.length > 1) {
    const names = entries.map((e) => (significant(e).length === 1 && isChar(significant(e)[0], ':') ? ':' : plainText(e)));
    return names.every((n): n is string => n !== undefined && /^([A-Za-z][A-Za-z0-9]*|:)$/.test(n)) ? names : undefined;
  }
  const word = plainText(arg);
  return word !== undefined && /^[A-Za-z]+$/.test(word) ? [...word] : undefined;
}

/**
 * A name with an optional subscript: the declared name it spells, or its base name and index names.
 * A subscript that is neither (S_{2i-1:2i, …}) is `unread`: the entries it means are not known.
 */
function variable(toks: readonly Tok[], names: NameTable): { name?: string; indices?: string[]; unread?: true } {
  const s = significant(toks);
  const whole = nameKey(s);
  const declared = whole !== undefined ? declaredNameOf(names, whole) : undefined;
  if (declared !== undefined) return { name: declared };
  const last = s[s.length - 1];
  if (isMacro(last, '_')) {
    const baseKey = nameKey(s.slice(0, -1));
    const indices = indexNames(last);
    const name = baseKey !== undefined ? declaredNameOf(names, baseKey) : undefined;
    if (indices) return { ...(name !== undefined ? { name } : {}), indices };
    if (name !== undefined) return { name, unread: true };
  }
  return {};
}

/**
 * A side written as the matrix of its entries, `[h_i (1 - h_i) W_{ij}]_{ij}` or `(…)_{i,j}`: the inside
 * and the index names, or undefined.
 */
export function entrywiseSide(toks: readonly Tok[]): { inner: Tok[]; indices: string[] } | undefined {
  const s = significant(toks);
  const last = s[s.length - 1];
  if (s.length < 4 || !isMacro(last, '_') || !(isChar(s[0], '(') || isChar(s[0], '['))) return undefined;
  let depth = 0;
  for (let k = 0; k < s.length - 1; k++) {
    depth += depthChange(s[k]!);
    if (depth === 0 && k !== s.length - 2) return undefined;
  }
  const indices = indexNames(last);
  if (!indices) return undefined;
  // (X^T dY)_{ij}, whose inside has none of the indices, is the entry of a whole matrix: that matrix.
  return { inner: s.slice(1, -2), indices: indices.some((i) => words(s.slice(1, -2)).has(i)) ? indices : [] };
}

/** The runs of letters in a token list, commands' arguments included. */
function words(toks: readonly Tok[], out = new Set<string>()): Set<string> {
  let run = '';
  for (const t of toks) {
    if (t.kind === 'char' && /[A-Za-z]/.test(t.ch)) {
      run += t.ch;
      continue;
    }
    if (run) out.add(run);
    run = '';
    if (t.kind === 'group' || t.kind === 'env') words(t.content, out);
    else if (t.kind === 'macro') t.args.forEach((a) => words(a, out));
  }
  if (run) out.add(run);
  return out;
}

/** Reads what a left side names (see the module comment). */
function leftSide(toks: readonly Tok[], names: NameTable, latex: string): LeftSide {
  let s = significant(toks);
  while (isChar(s[s.length - 1], ':')) s = s.slice(0, -1);
  const span = spanOf(s, { start: 0, end: 0 });
  const text = latex.slice(span.start, span.end);
  // (∂L/∂S)_{i,j}, [\nabla_W L]_{ij}: an entry of a bracketed left side.
  let outer: string[] | undefined;
  const last = s[s.length - 1];
  if (isMacro(last, '_') && s.length > 2 && (isChar(s[0], '(') || isChar(s[0], '['))) {
    outer = indexNames(last);
    if (outer) s = s.slice(1, -2);
  } else if (isMacro(last, '_') && s.length === 2 && s[0]!.kind === 'group') {
    outer = indexNames(last);
    if (outer) s = significant(s[0]!.content);
  } else if (isMacro(last, '_') && s.length === 2 && isMacro(s[0], 'frac', 'dfrac', 'tfrac')) {
    outer = indexNames(last);
    if (outer) s = [s[0]!];
  }
  const withOuter = (side: LeftSide): LeftSide => (outer ? { ...side, indices: outer } : side);
  // dX[n,c,:,:] = …: the formula language's brackets on the left.
  const open = s.findIndex((t) => isChar(t, '['));
  if (!outer && open > 0 && isChar(s[s.length - 1], ']')) {
    const entries = splitAt(s.slice(open + 1, -1), (t) => isChar(t, ','));
    const names = entries.map((e) => (significant(e).length === 1 && isChar(significant(e)[0], ':') ? ':' : plainText(e)));
    if (names.every((n): n is string => n !== undefined && /^([A-Za-z][A-Za-z0-9]*|:)$/.test(n))) {
      outer = names;
      s = s.slice(0, open);
    }
  }
  const first = s[0];
  // \frac{\partial L}{\partial W_{ij}}, \frac{dL}{dW}
  if (s.length === 1 && isMacro(first, 'frac', 'dfrac', 'tfrac')) {
    const d = first.args.length === 2 ? derivativeKey(first.args[0]!, first.args[1]!) : undefined;
    if (d) {
      const v = variable(d.wrt, names);
      return withOuter({ text, span, derivative: true, ...(v.name !== undefined ? { wrt: v.name, label: `d${v.name}` } : {}), ...(v.indices ? { indices: v.indices } : {}), ...(v.unread ? { unreadIndices: true } : {}) });
    }
  }
  // \nabla_W L, \nabla_{\mathbf{W}} \mathcal{L}
  if (isMacro(first, 'nabla') && isMacro(s[1], '_') && (s.length === 2 || (s.length === 3 && isLossKey(nameKey([s[2]!]))))) {
    const v = variable((s[1] as MacroTok).args[0] ?? [], names);
    return withOuter({ text, span, derivative: true, ...(v.name !== undefined ? { wrt: v.name, label: `d${v.name}` } : {}) });
  }
  // dW, dW_{ij}, \mathrm{d}W, db_2: the gradient's name.
  const dropD = isMacro(first, 'mathrm', 'text', 'operatorname') && wordOf(first.args[first.args.length - 1] ?? []) === 'd' ? s.slice(1) : isChar(first, 'd') && s.length > 1 ? s.slice(1) : undefined;
  if (dropD && dropD.length > 0) {
    const v = variable(dropD, names);
    if (v.name !== undefined && names.symbols.has(v.name)) return withOuter({ text, span, derivative: true, wrt: v.name, label: `d${v.name}`, ...(v.indices ? { indices: v.indices } : {}), ...(v.unread ? { unreadIndices: true } : {}) });
  }
  // Any other label: J_{ij}, step_{ij}, H_{\text{out}}, w^*.
  const lastToken = s[s.length - 1];
  if (isMacro(lastToken, '_') && s.length >= 2) {
    const base = nameKey(s.slice(0, -1));
    const indices = indexNames(lastToken);
    if (base !== undefined && /^[A-Za-z][A-Za-z0-9]*$/.test(base) && indices) return withOuter({ text, span, derivative: false, label: base, indices });
  }
  const key = nameKey(s);
  return withOuter({ text, span, derivative: false, ...(key !== undefined && /^[A-Za-z][A-Za-z0-9]*$/.test(key) ? { label: key } : {}) });
}

/** Splits an answer into its left side, sides and definitions; `target` is where a chain's main clause is found. */
export function layoutOf(toks: readonly Tok[], names: NameTable, latex: string, target: { readonly wrt?: string; readonly name?: string } = {}): Layout {
  const clauses = splitAt(toks, isSeparator).filter((c) => significant(c).length > 0);
  const withEquals = (c: readonly Tok[]) => splitAt(c, isEquals).length > 1;
  // A clause without = continues the one before it (a comma inside the answer, \quad as spacing).
  const merged: Tok[][] = [];
  for (const c of clauses) {
    if (merged.length > 0 && !withEquals(c)) merged[merged.length - 1]!.push({ kind: 'space', wide: false, start: c[0]!.start, end: c[0]!.start }, ...c);
    else merged.push([...c]);
  }
  if (merged.length === 0) return { sides: [[]], definitions: new Map() };
  const chains = merged.map((c) => splitAt(c, isEquals));
  // The main clause is the one whose left side names the target, else the first.
  let main = 0;
  if (chains.length > 1) {
    const naming = chains.findIndex((chain) => {
      if (chain.length < 2) return false;
      const left = leftSide(chain[0]!, names, latex);
      return (target.wrt !== undefined && left.wrt === target.wrt) || (target.name !== undefined && left.label === target.name);
    });
    if (naming >= 0) main = naming;
  }
  const definitions = new Map<string, readonly Tok[]>();
  chains.forEach((chain, k) => {
    if (k === main) return;
    const label = significant(chain[0] ?? []);
    const key = chain.length >= 2 ? nameKey(isChar(label[label.length - 1], ':') ? label.slice(0, -1) : label) : undefined;
    if (key === undefined) {
      const at = spanOf(significant(chain.flat()), { start: 0, end: latex.length });
      throw new UnsupportedNotationError('a second clause', `${latex.slice(at.start, at.end).trim()}: only definitions of names (\\delta = …) may follow the answer`, { text: latex, span: at }, 'give one answer; define helper names as name = expression');
    }
    definitions.set(key, chain[chain.length - 1]!);
  });
  const chain = chains[main]!;
  if (chain.length === 1) return { sides: [chain[0]!], definitions };
  return { left: leftSide(chain[0]!, names, latex), sides: chain.slice(1), definitions };
}
