/**
 * The overrides file (`grade --overrides FILE`, YAML or JSON): a grader's rulings on answers the
 * checker could not settle, or got wrong for a reason it cannot see, re-applied on every regrade:
 *
 *   - student: alice            # the submission's id (its `id:`, else its file name)
 *     problem: dense-batch      # or `question:`
 *     target: db
 *     points: 1                 # at most the target's points
 *     note: "sum over rows, written with a loop; right"
 *
 * The Finding of an overridden answer stays what derivcheck found; the answer's score becomes the
 * ruling's points, and every output shows the ruling and its note. A ruling names a student, a target
 * and the points once; the file is checked against the problems and the points before any grading.
 */
import { z } from 'zod';
import { FileReadError, readRegularFile } from '../io/read-file.js';
import { type FilePosition, describeIssue, leadingIssue, offsetOfPath, parseYaml } from '../io/yaml-document.js';
import { UnknownNameError, findProblem, findTarget } from '../problem/registry.js';
import type { Problem } from '../problem/types.js';
import { roundScore } from './answer.js';
import { targetKey } from './class/order.js';
import { type Scoring, isAssigned, pointsOf } from './scoring.js';
import { isRepeat } from './review.js';
import type { GradeReport, SubmissionResult } from './types.js';

/** A class's rulings fit in a few hundred kilobytes; 1 MiB bounds the read and the parse. */
const MAX_OVERRIDES_BYTES = 1024 * 1024;

/** One ruling per answer of a class of hundreds; 20,000 bounds the work of a hostile file. */
const MAX_OVERRIDES = 20_000;

const ENTRY_FIELDS = 'a ruling has student, problem (or question), target, points and note';

const entrySchema = z
  .strictObject({
    // Student numbers are often written bare (student: 20231234): read them as text.
    student: z.union([z.string().min(1, 'the student id is empty'), z.number().transform(String)]),
    problem: z.string().min(1, 'the problem id is empty').optional(),
    question: z.string().min(1, 'the question id is empty').optional(),
    target: z.string().min(1, 'the target name is empty'),
    points: z.number().nonnegative('points cannot be negative').finite(),
    note: z.string().min(1, 'say why in the note: the student reads it'),
  })
  .refine((e) => (e.problem === undefined) !== (e.question === undefined), { message: 'give exactly one of problem or question' });

const fileSchema = z.array(entrySchema).max(MAX_OVERRIDES, `more than ${MAX_OVERRIDES} rulings`);

/** One ruling, where it was written. */
export interface Override {
  readonly student: string;
  readonly problem: string;
  readonly target: string;
  readonly points: number;
  readonly note: string;
  /** `FILE:LINE`, as outputs cite it. */
  readonly source: string;
}

/** The rulings by student, then by problem and target (targetKey); Maps, since ids and names are the users'. */
export type Overrides = ReadonlyMap<string, ReadonlyMap<string, Override>>;

/** An overrides file that cannot be used: grading with it would give a student points nobody meant. */
export class OverridesFileError extends Error {
  override readonly name = 'OverridesFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly position: FilePosition = { line: 0, column: 0 },
  ) {
    super(`${file}${position.line > 0 ? `:${position.line}:${position.column}` : ''}: ${reason}`);
  }
}

/**
 * Reads and checks the overrides file: the form of every entry, each student's target ruled on once,
 * the problem and target known (and part of the assignment, with one), the points at most the
 * target's (`scoring`, src/grade/scoring.ts).
 */
export function readOverridesFile(file: string, problems: readonly Problem[], scoring?: Scoring): Overrides {
  let text: string;
  try {
    text = readRegularFile(file, MAX_OVERRIDES_BYTES, 'an overrides file');
  } catch (err) {
    if (err instanceof FileReadError) throw new OverridesFileError(file, err.reason);
    throw err;
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) throw new OverridesFileError(file, parsed.reason, parsed.position);
  if (parsed.data === null || parsed.data === undefined) return new Map();
  const { doc, at } = parsed;
  const fail = (keyPath: readonly PropertyKey[], reason: string): never => {
    throw new OverridesFileError(file, reason, at(offsetOfPath(doc, keyPath)));
  };
  const checked = fileSchema.safeParse(parsed.data, { reportInput: true });
  if (!checked.success) {
    const issue = leadingIssue(checked.error.issues);
    const keyPath = issue.path as readonly PropertyKey[];
    return fail(keyPath, describeIssue(issue, ENTRY_FIELDS, keyPath));
  }
  const overrides = new Map<string, Map<string, Override>>();
  checked.data.forEach((entry, i) => {
    const problemId = (entry.problem ?? entry.question)!;
    try {
      findTarget(findProblem(problems, problemId), entry.target);
    } catch (err) {
      if (err instanceof UnknownNameError) fail([i], `[${i}]: ${err.message}`);
      throw err;
    }
    if (!isAssigned(scoring, problemId, entry.target)) fail([i], `[${i}]: ${problemId}/${entry.target} is not part of this assignment, so no answer to it is graded`);
    const max = pointsOf(scoring, problemId, entry.target);
    if (entry.points > max) fail([i, 'points'], `[${i}].points: ${entry.points} is more than ${problemId}/${entry.target} is worth (${max})`);
    const byTarget = overrides.get(entry.student) ?? new Map<string, Override>();
    const key = targetKey({ problem: problemId, target: entry.target });
    const earlier = byTarget.get(key);
    if (earlier) fail([i], `[${i}]: ${entry.student}'s ${problemId}/${entry.target} is ruled on twice (first at ${earlier.source})`);
    byTarget.set(key, { student: entry.student, problem: problemId, target: entry.target, points: entry.points, note: entry.note, source: `${file}:${at(offsetOfPath(doc, [i])).line}` });
    overrides.set(entry.student, byTarget);
  });
  return overrides;
}

/** A ruling that matched no answer of the batch (a misspelled id, a student whose file could not be read). */
export interface UnusedOverride {
  readonly override: Override;
  readonly why: string;
}

export interface ApplyOptions {
  /**
   * Who the student of a report of one submission is, by the platform's record (the emails of
   * Gradescope's submission metadata; several for a group): rulings are matched by these, never by the
   * id the file declares, which a student could set to another's.
   */
  readonly students?: readonly string[];
}

/**
 * The report with the rulings applied: each matching answer (the first answer of the student to the
 * target; a missing answer counts) gets its `override` and the ruling's points, and its submission's
 * score is summed again. Rulings that match nothing are returned, to be reported.
 */
export function applyOverrides(report: GradeReport, overrides: Overrides, options: ApplyOptions = {}): { report: GradeReport; unused: UnusedOverride[] } {
  const used = new Set<Override>();
  const platformIds = report.submissions.length === 1 ? options.students : undefined;
  const rulingsOf = (s: SubmissionResult): ((key: string) => Override | undefined) => {
    const byStudent = (platformIds ?? [s.id]).map((id) => overrides.get(id)).filter((r) => r !== undefined);
    return (key) => byStudent.map((r) => r.get(key)).find((o) => o !== undefined);
  };
  const submissions = report.submissions.map((s): SubmissionResult => {
    if (s.status === 'invalid') return s;
    const ruling = rulingsOf(s);
    const answers = s.answers.map((a) => {
      const ruled = isRepeat(a) ? undefined : ruling(targetKey(a));
      if (!ruled) return a;
      used.add(ruled);
      return { ...a, score: ruled.points, override: { points: ruled.points, note: ruled.note, source: ruled.source } };
    });
    return { ...s, answers, score: roundScore(answers.reduce((sum, a) => sum + a.score, 0)) };
  });
  const students = new Map(report.submissions.flatMap((s) => (platformIds ?? [s.id]).map((id) => [id, s] as const)));
  // Graded one at a time (an autograder), a file leaves every other student's rulings unused: only its own are reported.
  const alone = report.submissions.length === 1;
  const unused = [...overrides.values()]
    .flatMap((byTarget) => [...byTarget.values()])
    .filter((o) => !used.has(o) && (!alone || students.has(o.student)))
    .map((override): UnusedOverride => {
      const s = students.get(override.student);
      const why = !s ? `no submission has the id '${override.student}'` : s.status === 'invalid' ? `${override.student}'s file could not be read` : `${override.student} has no answer to ${override.problem}/${override.target}`;
      return { override, why };
    });
  return { report: { ...report, submissions }, unused };
}
