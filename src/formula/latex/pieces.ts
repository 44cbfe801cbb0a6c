import type { SourceSpan } from '../errors.js';
import type { Span } from './tokens.js';

/**
 * The output of lowering: formula-language text built piece by piece, each piece remembering the LaTeX
 * characters it came from, so that the formula reader's positions map back into the LaTeX. Where two
 * operands meet (`X W`, `2x`, `\frac{1}{4} G`) a `*` with an empty span is inserted: the formula tree
 * marks such products as juxtapositions (an empty operator span), which the shape resolution may read
 * elementwise when the matrix product does not fit.
 */

/** Kinds of pieces, for inserting `*` between juxtaposed operands. */
export type PieceKind = 'name' | 'func' | 'number' | 'open' | 'openIndex' | 'close' | 'postfix' | 'op';

interface Piece {
  readonly text: string;
  readonly kind: PieceKind;
  readonly start: number;
  readonly end: number;
}

export interface LoweredLatex {
  /** The formula text the LaTeX reads as. */
  readonly text: string;
  /** Maps a span of `text` back to the LaTeX. */
  readonly mapSpan: (span: SourceSpan) => SourceSpan;
}

const ENDS_OPERAND: ReadonlySet<PieceKind> = new Set(['name', 'number', 'close', 'postfix']);
const STARTS_OPERAND: ReadonlySet<PieceKind> = new Set(['name', 'func', 'number', 'open']);

export class Pieces {
  private readonly pieces: Piece[] = [];

  constructor(private readonly latexLength: number) {}

  /** Appends a piece, first inserting `*` when two operands meet. */
  emit(text: string, kind: PieceKind, at: Span): void {
    const prev = this.pieces[this.pieces.length - 1];
    if (prev !== undefined && ENDS_OPERAND.has(prev.kind) && STARTS_OPERAND.has(kind)) this.pieces.push({ text: '*', kind: 'op', start: at.start, end: at.start });
    this.pieces.push({ text, kind, start: at.start, end: at.end });
  }

  /** Whether the last piece ends an operand (a following `|` closes, a following `[` indexes). */
  endsOperand(): boolean {
    const prev = this.pieces[this.pieces.length - 1];
    return prev !== undefined && ENDS_OPERAND.has(prev.kind);
  }

  get length(): number {
    return this.pieces.length;
  }

  /**
   * Where the operand that ends the pieces begins: a name or number (with its postfix transposes and
   * index brackets), or a bracketed group with the function name before it; with `juxtaposed`, the
   * operands juxtaposed before it too (which bind tighter than an operator: `a B \otimes C` is (a B) ⊗ C).
   */
  operandStart(juxtaposed: boolean): number {
    let end = this.pieces.length;
    for (;;) {
      const start = this.singleOperandStart(end);
      const before = this.pieces[start - 1];
      if (juxtaposed && start > 1 && before && before.text === '*' && before.start === before.end) end = start - 1;
      else return start;
    }
  }

  private singleOperandStart(end: number): number {
    let k = end - 1;
    while (k >= 0 && this.pieces[k]!.kind === 'postfix') k--;
    if (k < 0) return 0;
    if (this.pieces[k]!.kind === 'close') {
      let depth = 0;
      for (; k >= 0; k--) {
        const kind = this.pieces[k]!.kind;
        if (kind === 'close') depth++;
        else if ((kind === 'open' || kind === 'openIndex') && --depth === 0) break;
      }
      const before = this.pieces[k - 1];
      if (before && (before.kind === 'func' || (this.pieces[k]!.kind === 'openIndex' && before.kind === 'name'))) k--;
    }
    return Math.max(0, k);
  }

  /** Inserts pieces at position `at` (no `*` insertion: the caller builds a call around an operand). */
  insert(at: number, inserted: readonly { text: string; kind: PieceKind; span: Span }[]): void {
    this.pieces.splice(at, 0, ...inserted.map((p) => ({ text: p.text, kind: p.kind, start: p.span.start, end: p.span.end })));
  }

  result(): LoweredLatex {
    let text = '';
    const starts: number[] = [];
    const ends: number[] = [];
    for (const p of this.pieces) {
      if (text.length > 0) {
        text += ' ';
        starts.push(p.start);
        ends.push(p.start);
      }
      text += p.text;
      for (let k = 0; k < p.text.length; k++) {
        starts.push(p.start);
        ends.push(p.end);
      }
    }
    const latexEnd = this.latexLength;
    const mapSpan = (span: SourceSpan): SourceSpan => {
      const start = span.start < starts.length ? starts[span.start]! : latexEnd;
      const end = span.end > span.start && span.end - 1 < ends.length ? ends[span.end - 1]! : start;
      return { start, end: Math.max(start, end) };
    };
    return { text, mapSpan };
  }
}
