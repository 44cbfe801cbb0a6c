/**
 * An assignment: which questions and targets a batch grades, their points and per-question settings.
 *
 *   title: Homework 3
 *   questions:
 *     tanh-mlp-ce:                     # every target, at the question's own points
 *     dense-batch:
 *       targets: { dW: 2, db: 1 }      # only these (a list [dW, db] keeps the question's points)
 *       grading: { runs: 32, partial: true }
 *
 * The points file of earlier versions (`PROBLEM: { TARGET: POINTS }`) is read as an assignment of the
 * targets it lists. With an assignment, a target it does not list is not graded and adds nothing to
 * the score. Every name is checked against the problems, and every error has its line and column.
 */
import { z } from 'zod';
import { closeNames } from '../formula/suggest.js';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import { MAX_ALIAS_COUNT, composeYaml, offsetOfPath } from '../io/yaml-document.js';
import type { Problem } from '../problem/types.js';
import { AssignmentFileError } from './errors.js';
import { fields, gradingSchema, named } from './schema.js';
import { type FieldPath, type QuestionGrading, formatFieldPath } from './spec.js';
import { keyOffset, reportedIssue } from './yaml-position.js';

/** An assignment lists tens of targets in a few hundred bytes; 1 MiB bounds the read and the parse. */
const MAX_ASSIGNMENT_BYTES = 1024 * 1024;

export interface Assignment {
  readonly file: string;
  readonly title?: string;
  /** Question id → assigned target → points, in the file's order: only these are graded. */
  readonly targets: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Question id → its grading settings in this assignment. */
  readonly grading: ReadonlyMap<string, QuestionGrading>;
}

const points = z.number({ error: 'points are a number ≥ 0' }).nonnegative('points are a number ≥ 0').finite();

const assignedTargets = z.union([z.array(z.string().min(1), { error: 'targets is a list of names ([dW, db]) or a mapping of names to points ({ dW: 2 })' }), named('targets and their points (dW: 2)', points)]);

const assignedQuestion = z.union([z.null().transform(() => ({})), fields('an assigned question', { targets: assignedTargets.optional(), grading: gradingSchema.optional() })]);

const assignmentSchema = fields('an assignment', { title: z.string().optional(), questions: named('assigned questions (ID: { targets, grading })', assignedQuestion) });

/** The points file of earlier versions: PROBLEM: { TARGET: POINTS }. */
const pointsTableSchema = named('problems (PROBLEM: { TARGET: POINTS }), or questions: for an assignment', named('targets and their points (dW: 2)', points));

/** Reads an assignment (or points) file and checks every name in it against `problems`; throws AssignmentFileError. */
export function readAssignmentFile(file: string, problems: readonly Problem[]): Assignment {
  let text: string;
  try {
    text = readRegularFile(file, MAX_ASSIGNMENT_BYTES, 'an assignment');
  } catch (err) {
    if (err instanceof FileReadError) throw new AssignmentFileError(file, 0, 0, '', err.reason);
    throw err;
  }
  return parseAssignment(text, file, problems);
}

/** Validates the text of an assignment (or points) file against `problems`. */
export function parseAssignment(text: string, file: string, problems: readonly Problem[]): Assignment {
  const { doc, at, error } = composeYaml(text);
  const fail = (offset: number, path: FieldPath, reason: string): AssignmentFileError => {
    const { line, column } = at(offset);
    return new AssignmentFileError(file, line, column, formatFieldPath(path), reason);
  };
  if (error) throw fail(error.offset, [], `not valid YAML or JSON: ${error.message}`);
  let data: unknown;
  try {
    data = doc.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw fail(0, [], `cannot read the document: ${(err as Error).message}`);
  }
  const modern = data instanceof Map && data.has('questions');
  const parsed = modern ? assignmentSchema.safeParse(data) : pointsTableSchema.safeParse(data);
  if (!parsed.success) {
    const { path, message, offset } = reportedIssue(doc, parsed.error.issues);
    throw fail(offset, path, message);
  }
  // Both forms as (path prefix of the entry, id, targets given, settings).
  const entries = modern
    ? [...(parsed.data as z.output<typeof assignmentSchema>).questions].map(([id, q]) => ({ at: ['questions', id], id, targets: 'targets' in q ? q.targets : undefined, grading: 'grading' in q ? q.grading : undefined }))
    : [...(parsed.data as z.output<typeof pointsTableSchema>)].map(([id, t]) => ({ at: [id], id, targets: t, grading: undefined }));
  const targets = new Map<string, Map<string, number>>();
  const grading = new Map<string, QuestionGrading>();
  const ids = problems.map((p) => p.id);
  for (const entry of entries) {
    const problem = problems.find((p) => p.id === entry.id);
    if (!problem) {
      const close = closeNames(entry.id, ids);
      throw fail(keyOffset(doc, entry.at.slice(0, -1), entry.id), entry.at, `no question or problem has the id '${entry.id}'; ${close.length > 0 ? `did you mean '${close[0]}'?` : 'load its file with --questions'}`);
    }
    const own = new Map(problem.targets.map((t) => [t.name, t.points ?? 1]));
    const assigned = new Map<string, number>();
    const given = entry.targets === undefined ? [...own.keys()] : Array.isArray(entry.targets) ? entry.targets : [...entry.targets.keys()];
    given.forEach((name, i) => {
      if (!own.has(name)) {
        const list = [...entry.at, ...(modern ? ['targets'] : [])];
        const at = [...list, Array.isArray(entry.targets) ? i : name];
        const close = closeNames(name, own.keys());
        throw fail(Array.isArray(entry.targets) ? offsetOfPath(doc, at) : keyOffset(doc, list, name), at, `${entry.id} has no target '${name}'; ${close.length > 0 ? `did you mean '${close[0]}'?` : `its targets are ${[...own.keys()].join(', ')}`}`);
      }
      assigned.set(name, entry.targets instanceof Map ? entry.targets.get(name)! : own.get(name)!);
    });
    targets.set(entry.id, assigned);
    if (entry.grading) grading.set(entry.id, entry.grading);
  }
  const title = modern ? (parsed.data as z.output<typeof assignmentSchema>).title : undefined;
  return { file, ...(title !== undefined ? { title } : {}), targets, grading };
}
