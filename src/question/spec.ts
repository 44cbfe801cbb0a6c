/**
 * A question as data, after validation: what a question file (schema.ts) and an ad hoc `check`
 * (adhoc.ts) both become before compile.ts turns it into a Problem. Every user-named thing (dims,
 * inputs, let steps, targets, examples) is a list of named entries in the order written, never a plain
 * object keyed by the user's names.
 */
import type { FormulaError } from '../formula/errors.js';
import type { LatexNotation } from '../formula/parse.js';
import type { DimExpr, Domain, InputRole } from '../problem/types.js';
import type { Nested } from '../tensor/tensor.js';

export interface DimSpec {
  readonly name: string;
  /** Inclusive size range of the draws; absent: distinct sizes as every problem draws them (src/problem/dims.ts). */
  readonly range?: readonly [number, number];
}

export interface QuestionInput {
  readonly name: string;
  readonly shape: readonly DimExpr[];
  readonly domain: Domain;
  /** Default: parameter when a target is taken with respect to it, else data. */
  readonly role?: InputRole;
  readonly description?: string;
  /** LaTeX spellings of the input (∂L/∂Y fractions for an upstream gradient). */
  readonly latex?: readonly string[];
}

export interface QuestionLet {
  readonly name: string;
  readonly formula: string;
  /** The shape it must have (required for index notation). */
  readonly shape?: readonly DimExpr[];
  readonly description?: string;
  /** LaTeX spellings of the name (h_t for h). */
  readonly latex?: readonly string[];
}

/** A spelling of the answer: formula syntax, or LaTeX. */
export interface QuestionFormula {
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  /** What the spelling shows ('index notation', 'LaTeX'); reported by verify. */
  readonly style?: string;
}

export interface QuestionMistake {
  readonly formula: string;
  /** One of the MistakeLabel names, or a course's own label. */
  readonly label: string;
  readonly why: string;
}

export interface QuestionTarget {
  readonly name: string;
  /** An input or a let name. */
  readonly wrt: string;
  readonly answer: QuestionFormula;
  /** Further spellings, each proven by verify. */
  readonly accept: readonly QuestionFormula[];
  /** Shown in reports. */
  readonly latex?: string;
  readonly points?: number;
  readonly mistakes: readonly QuestionMistake[];
  readonly description?: string;
}

export interface QuestionExample {
  readonly name: string;
  readonly description?: string;
  readonly values: Readonly<Record<string, Nested>>;
  /** Sizes the inputs' shapes do not tell. */
  readonly dims?: Readonly<Record<string, number>>;
  /** Learning rate of one SGD step (`eval`). */
  readonly lr?: number;
}

/** Per-question grading settings (an assignment may override them). */
export interface QuestionGrading {
  /** Random samples per answer. */
  readonly runs?: number;
  /** Partial credit: the fraction of entries right at the first failing sample. */
  readonly partial?: boolean;
}

export interface QuestionSpec {
  readonly id: string;
  readonly title: string;
  readonly statement: string;
  readonly dims: readonly DimSpec[];
  readonly inputs: readonly QuestionInput[];
  readonly let: readonly QuestionLet[];
  readonly loss: string;
  /**
   * A scalar formula over inputs and let names: a random draw where it is 0 (false) is drawn again
   * (`sum(q > 0) > 0`: some ReLU unit is on, else every gradient is identically 0 and proves nothing).
   */
  readonly admissible?: string;
  /** The class axis (1-based) of its score matrices: `softmax(Z)` without a dim normalises along it. */
  readonly classAxis?: 1 | 2;
  readonly targets: readonly QuestionTarget[];
  readonly examples: readonly QuestionExample[];
  readonly grading?: QuestionGrading;
  /** How LaTeX answers to this question are read (aliases, \otimes). */
  readonly notation?: LatexNotation;
}

/** Where in a question a value sits: ['targets', 'dW1', 'mistakes', 0, 'formula']. */
export type FieldPath = readonly (string | number)[];

/**
 * A question that cannot be compiled: the field (`path`), what is wrong and what to write instead;
 * for a formula that does not parse or check, the formula's own error (its position in the formula).
 */
export class QuestionError extends Error {
  override readonly name = 'QuestionError';
  constructor(
    readonly path: FieldPath,
    readonly what: string,
    readonly hint: string,
    readonly formulaError?: FormulaError,
  ) {
    super(`${formatFieldPath(path)}: ${what}${hint ? `; ${hint}` : ''}`);
  }
}

/** `targets.dW1.mistakes[0].formula`. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || 'the question';
}
