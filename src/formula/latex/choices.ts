import type { SourceSpan } from '../errors.js';

/**
 * What the lowering cannot decide from the LaTeX alone and leaves to the shapes (latex/resolve.ts):
 * the length of a vector of ones or an identity written without one, whether `\otimes` (read as a
 * Kronecker product) was meant elementwise, whether `(…)^{-1}` and `(…)^T` apply to a scalar or a matrix,
 * whether `|A|` is an absolute value or a determinant, and written-out matrices whose entries may be blocks.
 */
export interface ReadingChoices {
  /** Placeholder names standing for unknown lengths, with the LaTeX they size (`\mathbf{1}`, `I`). */
  readonly holes: ReadonlyMap<string, { readonly what: string; readonly span: SourceSpan }>;
  /** Spans of `\otimes` read as kron(A, B). */
  readonly otimes: readonly SourceSpan[];
  /** Spans of a `^{-1}` (or `^{-T}`) read as a power: the reciprocal of a scalar, the inverse of a square matrix. */
  readonly inverses: readonly SourceSpan[];
  /** Spans of the opening bar of `|x|`, read as abs: the determinant of a square matrix. */
  readonly bars: readonly SourceSpan[];
  /** Spans of a `^T` read as a transpose where T is also a dimension: right for a matrix, doubtful for a scalar. */
  readonly transposes: readonly SourceSpan[];
  /** Spans of written-out matrices with entries that are not numbers (blocks, or scalar entries). */
  readonly matrices: readonly SourceSpan[];
  /** Spans of `*` and `\ast`: a product, or between matrices that fit no product, a convolution? */
  readonly stars: readonly SourceSpan[];
  /** Spans of `\sigma` applied: the sigmoid, though some courses write σ for the softmax. */
  readonly sigmas: readonly SourceSpan[];
}

export class ChoiceRecorder implements ReadingChoices {
  readonly holes = new Map<string, { what: string; span: SourceSpan }>();
  readonly otimes: SourceSpan[] = [];
  readonly inverses: SourceSpan[] = [];
  readonly bars: SourceSpan[] = [];
  readonly transposes: SourceSpan[] = [];
  readonly matrices: SourceSpan[] = [];
  readonly stars: SourceSpan[] = [];
  readonly sigmas: SourceSpan[] = [];

  constructor(private readonly taken: (name: string) => boolean) {}

  /** A placeholder name for an unknown length, distinct from every declared name. */
  hole(what: string, span: SourceSpan): string {
    let k = this.holes.size + 1;
    while (this.taken(`len_${k}`) || this.holes.has(`len_${k}`)) k++;
    const name = `len_${k}`;
    this.holes.set(name, { what, span });
    return name;
  }
}
