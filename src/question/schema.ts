/**
 * The question file format, said once: the zod schema below is the allow-list of what a question file
 * may hold, and its output is a QuestionSpec. It reads the document as the yaml package gives it with
 * `mapAsMap`, so every mapping keyed by the user's names (dims, inputs, let, targets, example values)
 * stays a Map in the order written, and no name (`constructor`, `__proto__`) meets an object prototype.
 * docs/questions.md documents every field.
 */
import { z } from 'zod';
import { closeNames } from '../formula/suggest.js';
import { nameRecord } from '../names/records.js';
import { DOMAIN_KINDS, parseDomain } from '../problem/specs.js';
import type { Nested } from '../tensor/tensor.js';
import type { QuestionFormula, QuestionSpec } from './spec.js';

/** Names a formula may use: letters, digits and _, starting with a letter or _. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Question ids appear in submission files and file names: letters, digits, '-', '_' and '.'. */
const QUESTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_ID_LENGTH = 100;

/** Samples per answer a question may ask for: beyond this, grading a class takes hours for no more certainty. */
export const MAX_GRADING_RUNS = 10_000;

/** A fixed-key mapping: the yaml Map read as an object, unknown keys refused with the closest known one. */
export function fields<T extends z.core.$ZodLooseShape>(what: string, shape: T) {
  const known = Object.keys(shape);
  return z.preprocess(
    (v) => (v instanceof Map ? Object.fromEntries(v) : v),
    z.strictObject(shape, {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys') {
          const close = issue.keys.flatMap((k) => closeNames(k, known));
          // `{ answer: ones(N, 1) }` reads as answer: ones(N and a field named 1).
          const cut = issue.keys.some((k) => !IDENTIFIER.test(k)) ? '; inside { ... } a comma ends a value: put a formula with a comma in quotes (answer: "ones(N, 1)")' : '';
          return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} in ${what}; ${close.length > 0 ? `did you mean '${close[0]}'? ` : ''}${what} has ${known.join(', ')}${cut}`;
        }
        if (issue.code === 'invalid_type') return `expected ${what} (a mapping of ${known.join(', ')}), got ${describeValue(issue.input)}`;
        return undefined;
      },
    }),
  );
}

/** A mapping keyed by the user's names (`what` says of what), kept as a Map in the order written. */
export function named<T extends z.ZodType>(what: string, value: T) {
  return z.map(z.string(), value, { error: (issue) => (issue.code === 'invalid_type' ? `expected a mapping of ${what} (NAME: ...), got ${describeValue(issue.input)}` : undefined) });
}

/** How a value looks, in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map || typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Text, from a string or a bare number (YAML reads `answer: 0` as a number). */
function text(what: string, example: string) {
  return z.union([z.string().trim().min(1, `${what} is empty; write it, e.g. ${example}`), z.number().transform(String)], {
    error: (issue) => `expected ${what} as text, e.g. ${example}; got ${describeValue(issue.input)}`,
  });
}

const formula = (what: string, example: string) => text(what, example);

/** A spelling of an answer: a formula, `{ formula: ... }` or `{ latex: ... }`, with an optional `style` saying what it shows. */
function spelling(what: string) {
  const form = fields(`a ${what} spelling`, { formula: formula('the formula', "X' * dY").optional(), latex: z.string().min(1).optional(), style: z.string().optional() }).refine((f) => (f.formula === undefined) !== (f.latex === undefined), {
    message: `give exactly one of formula or latex for the ${what}`,
  });
  return z.union([
    formula(`the ${what}`, "X' * dY").transform((t): QuestionFormula => ({ text: t, syntax: 'formula' })),
    form.transform((f): QuestionFormula => ({ ...(f.latex !== undefined ? { text: f.latex, syntax: 'latex' } : { text: f.formula!, syntax: 'formula' }), ...(f.style !== undefined ? { style: f.style } : {}) })),
  ]);
}

/** A dimension: empty (drawn as every problem's), one size, or an inclusive range `LO..HI`. */
const dimValue = z.union([z.null(), z.number(), z.string()]).transform((v, ctx): readonly [number, number] | undefined => {
  if (v === null) return undefined;
  const m = typeof v === 'number' ? [String(v), String(v), String(v)] : /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(v) ?? /^\s*(\d+)\s*$/.exec(v);
  if (!m || (typeof v === 'number' && !Number.isSafeInteger(v))) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a size or a size range; write a range (N: 1..6), one size (N: 3), or nothing (N:) for the default draws`, input: v });
    return z.NEVER;
  }
  return [Number(m[1]), Number(m[2] ?? m[1])];
});

const dims = z.union([z.array(z.string()).transform((names) => names.map((name) => ({ name }))), named('dimensions', dimValue).transform((m) => [...m].map(([name, range]) => ({ name, ...(range ? { range } : {}) })))], {
  error: (issue) => `expected the dimensions as a mapping (N: 1..6) or a list of names, got ${describeValue(issue.input)}`,
});

const shapeEntry = z.union([z.number().int().nonnegative(), z.string().min(1)], { error: (issue) => `a shape entry is a whole number or a dimension name or expression (N, 2*M), got ${describeValue(issue.input)}` });

const domain = z.string().transform((spec, ctx) => {
  const parsed = parseDomain(spec);
  if (parsed !== undefined) return parsed;
  ctx.addIssue({ code: 'custom', message: `'${spec}' is not a domain; write one of ${DOMAIN_KINDS}`, input: spec });
  return z.NEVER;
});

const input = fields('an input', {
  shape: z.array(shapeEntry, { error: (issue) => `expected the shape as a list of sizes ([N, D], [1, K], [] for a scalar), got ${describeValue(issue.input)}` }),
  domain: domain.optional(),
  role: z.enum(['data', 'parameter', 'upstream'], { error: 'role is data, parameter or upstream' }).optional(),
  description: z.string().optional(),
  latex: z.union([z.string().transform((s) => [s]), z.array(z.string())]).optional(),
});

const letStep = z.union([
  formula('the formula of a let step', 'tanh(X * W1 + b1)').transform((f) => ({ formula: f })),
  fields('a let step', {
    formula: formula('the formula of a let step', 'tanh(X * W1 + b1)'),
    shape: z.array(shapeEntry).optional(),
    description: z.string().optional(),
    latex: z.union([z.string().transform((s) => [s]), z.array(z.string())]).optional(),
  }),
]);

const mistake = fields('a mistake', {
  formula: formula('the mistake’s formula', "X' * dY'"),
  label: z.string({ error: 'missing the label: a mistake kind (sign, transposed, factor, ...) or a label of your own' }).trim().min(1, 'the label is empty'),
  why: z.string({ error: 'missing why: say in a sentence what is wrong, for the student' }).trim().min(1, 'why is empty'),
});

const target = fields('a target', {
  wrt: z.string({ error: 'missing wrt: the input or let name the gradient is taken with respect to' }).regex(IDENTIFIER, 'wrt names an input or a let step'),
  answer: spelling('answer'),
  latex: z.string().optional(),
  accept: z.array(spelling('accepted'), { error: 'accept is a list of further spellings' }).optional(),
  points: z.number({ error: 'points is a number ≥ 0' }).nonnegative('points is a number ≥ 0').finite().optional(),
  mistakes: z.array(mistake, { error: 'mistakes is a list of { formula, label, why }' }).optional(),
  description: z.string().optional(),
});

const nested: z.ZodType<Nested> = z.lazy(() => z.union([z.number(), z.array(nested)], { error: 'values are numbers or nested lists of numbers ([[1, 2], [3, 4]])' }));

const example = fields('an example', {
  name: text('the example’s name', 'tiny'),
  description: z.string().optional(),
  values: named('input values', nested).transform((m) => nameRecord(m)),
  dims: named('dimension sizes', z.number().int().positive()).transform((m) => nameRecord(m)).optional(),
  lr: z.number().positive('lr is a learning rate > 0').finite().optional(),
});

/** Per-question grading settings (question files and assignments). */
export const gradingSchema = fields('grading', {
  runs: z.number({ error: 'runs is a whole number ≥ 1' }).int('runs is a whole number ≥ 1').min(1, 'runs is a whole number ≥ 1').max(MAX_GRADING_RUNS, `runs is at most ${MAX_GRADING_RUNS}`).optional(),
  partial: z.boolean({ error: 'partial is true or false' }).optional(),
  // Named so that asking for one says why there is none (docs/questions.md, "Tolerance").
  tolerance: z
    .never({ error: "there is no per-question tolerance: every verdict compares an answer with finite differences within the FD estimate's own error bars (docs/questions.md); remove tolerance" })
    .optional(),
});

const notation = fields('notation', {
  aliases: named('LaTeX spellings to declared names (g: G, W_2: W2)', z.string().regex(IDENTIFIER, 'an alias stands for a declared name')).optional(),
  otimes: z.enum(['elementwise', 'kronecker'], { error: 'otimes is elementwise or kronecker' }).optional(),
  step: z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1))], { error: "step is the LaTeX spelling of the unit step function, or a list of them ('\\theta')" }).optional(),
});

/** The whole file; the output is a QuestionSpec. */
export const questionSchema = fields('a question', {
  id: z.string({ error: 'missing the id: a short name students write in their submissions (id: tanh-mlp-ce)' }).max(MAX_ID_LENGTH).regex(QUESTION_ID, 'the id is letters, digits, -, _ and ., starting with a letter or digit'),
  title: z.string().optional(),
  statement: z.string().optional(),
  dims: dims.optional(),
  inputs: named('inputs', input),
  let: named('let steps', letStep).optional(),
  loss: formula('the loss', 'sum(Y .* G)'),
  admissible: formula('the admissibility test', 'sum(q > 0) > 0').optional(),
  class_axis: z.union([z.literal(1), z.literal(2)], { error: 'class_axis is 1 (classes down the columns) or 2 (classes along the rows)' }).optional(),
  targets: named('targets', target).refine((m) => m.size > 0, 'a question needs at least one target'),
  examples: z.array(example, { error: 'examples is a list of { name, values }' }).optional(),
  grading: gradingSchema.optional(),
  notation: notation.optional(),
}).transform(
  (q): QuestionSpec => ({
    id: q.id,
    title: q.title ?? q.id,
    statement: q.statement ?? '',
    dims: q.dims ?? [],
    inputs: [...q.inputs].map(([name, i]) => ({ name, shape: i.shape, domain: i.domain ?? { kind: 'normal' }, ...(i.role ? { role: i.role } : {}), ...(i.description !== undefined ? { description: i.description } : {}), ...(i.latex ? { latex: i.latex } : {}) })),
    let: [...(q.let ?? [])].map(([name, l]) => ({
      name,
      formula: l.formula,
      ...('shape' in l && l.shape ? { shape: l.shape } : {}),
      ...('description' in l && l.description !== undefined ? { description: l.description } : {}),
      ...('latex' in l && l.latex ? { latex: l.latex } : {}),
    })),
    loss: q.loss,
    ...(q.admissible !== undefined ? { admissible: q.admissible } : {}),
    ...(q.class_axis !== undefined ? { classAxis: q.class_axis } : {}),
    targets: [...q.targets].map(([name, t]) => ({
      name,
      wrt: t.wrt,
      answer: t.answer,
      accept: t.accept ?? [],
      mistakes: t.mistakes ?? [],
      ...(t.latex !== undefined ? { latex: t.latex } : {}),
      ...(t.points !== undefined ? { points: t.points } : {}),
      ...(t.description !== undefined ? { description: t.description } : {}),
    })),
    examples: (q.examples ?? []).map((e) => ({ name: e.name, values: e.values, ...(e.description !== undefined ? { description: e.description } : {}), ...(e.dims ? { dims: e.dims } : {}), ...(e.lr !== undefined ? { lr: e.lr } : {}) })),
    ...(q.grading ? { grading: q.grading } : {}),
    ...(q.notation ? { notation: { ...(q.notation.aliases ? { aliases: q.notation.aliases } : {}), ...(q.notation.otimes ? { otimes: q.notation.otimes } : {}), ...(q.notation.step ? { step: q.notation.step } : {}) } } : {}),
  }),
);
