/**
 * The points file (`--points FILE`, YAML or JSON): points per problem and target,
 *
 *   dense-batch: { dW: 2, dX: 1, db: 1 }
 *   softmax-ce: { dz: 3 }
 *
 * A target it lists is part of the assignment: a submission that does not answer it gets 0 of its
 * points. A target it does not list is worth DEFAULT_POINTS.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import { nameRecord, ownValue } from '../names/records.js';
import { UnknownNameError, findProblem, findTarget } from '../problem/registry.js';
import type { Problem } from '../problem/types.js';
import type { AssignedTarget } from './types.js';

/** Points of a target no points file lists (the issue: 1 each). */
export const DEFAULT_POINTS = 1;

/** A points file lists tens of targets in a few hundred bytes; 1 MiB bounds the read and the parse. */
const MAX_POINTS_FILE_BYTES = 1024 * 1024;

/** problem id → target name → points. */
export type PointsTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

const pointsSchema = z.number().nonnegative().finite();

/** A points file that cannot be used (PROBLEM: { TARGET: POINTS } is expected): the grading would be wrong, so the batch does not start. */
export class PointsFileError extends Error {
  override readonly name = 'PointsFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line: number,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`);
  }
}

export function readPointsFile(file: string): PointsTable {
  let text: string;
  try {
    text = readRegularFile(file, MAX_POINTS_FILE_BYTES, 'a points file');
  } catch (err) {
    if (err instanceof FileReadError) throw new PointsFileError(file, err.reason, 0);
    throw err;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new PointsFileError(file, `not valid YAML or JSON: ${error.message.split('\n')[0]}`, lineCounter.linePos(error.pos[0]).line);
  const fail = (keyPath: readonly string[], message: string): never => {
    const node = doc.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : 0;
    throw new PointsFileError(file, `${keyPath.join('.') || 'the file'}: ${message}`, line);
  };
  return pointsTableOf(doc.toJS({ maxAliasCount: 100 }), fail);
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The table in the document's data, validated key by key into prototype-free records (z.record
 * would drop a key named __proto__, and a plain object would answer a lookup of toString).
 */
function pointsTableOf(data: unknown, fail: (keyPath: readonly string[], message: string) => never): PointsTable {
  if (!isMapping(data)) return fail([], 'expected a mapping of PROBLEM: { TARGET: POINTS }');
  const table = nameRecord<Readonly<Record<string, number>>>();
  for (const [problem, targets] of Object.entries(data)) {
    if (!isMapping(targets)) return fail([problem], 'expected a mapping of TARGET: POINTS');
    const row = nameRecord<number>();
    for (const [target, points] of Object.entries(targets)) {
      const parsed = pointsSchema.safeParse(points);
      if (!parsed.success) return fail([problem, target], parsed.error.issues[0]!.message);
      row[target] = parsed.data;
    }
    table[problem] = row;
  }
  return table;
}

/** Points of one target. */
export function pointsFor(table: PointsTable | undefined, problem: string, target: string): number {
  return ownValue(ownValue(table, problem), target) ?? DEFAULT_POINTS;
}

/**
 * The assignment's targets with their points, in the table's order (none without a table). Everything
 * that needs "the targets this assignment asks for" (missing answers, gradebook columns, test order)
 * asks here, so an assignment file can take the points table's place in one function.
 */
export function assignedTargets(table: PointsTable | undefined): AssignedTarget[] {
  return Object.entries(table ?? {}).flatMap(([problem, targets]) => Object.entries(targets).map(([target, points]) => ({ problem, target, points })));
}

/** Every problem and target the table names exists (a typo would silently give every student 0). */
export function checkPointsTable(table: PointsTable, problems: readonly Problem[], file: string): void {
  for (const [problemId, targets] of Object.entries(table)) {
    try {
      const problem = findProblem(problems, problemId);
      for (const target of Object.keys(targets)) findTarget(problem, target);
    } catch (err) {
      if (err instanceof UnknownNameError) throw new PointsFileError(file, err.message, 0);
      throw err;
    }
  }
}
