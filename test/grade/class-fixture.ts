/**
 * A small class for the class-level reports (summary, gradebook, platform outputs, HTML index): six
 * students whose answers cover every state a teaching assistant meets: right answers in several
 * spellings, one wrong formula spelled three ways (the same reading), a labelled mistake, an answer
 * that cannot be read, a repeated answer, a missing one, answers that need review (the dense-batch db
 * reference is broken on purpose here, so every db answer is undecided), and a file that is not YAML.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { type Scoring, scoringFor } from '../../src/grade/scoring.js';
import type { GradeReport } from '../../src/grade/types.js';
import type { Problem } from '../../src/problem/types.js';
import { parseAssignment } from '../../src/question/assignment.js';

/** dense-batch with a db reference that fails its own check: every db answer is undecided (needs review). */
export const classProblems: readonly Problem[] = problems.map((p) =>
  p.id !== 'dense-batch' ? p : { ...p, targets: p.targets.map((t) => (t.name === 'db' ? { ...t, closedForms: [{ formula: '-sum(dY, 1)', style: 'wrong on purpose' }, ...t.closedForms] } : t)) },
);

/** The assignment (in the points-file format); its order differs from the files' order on purpose (softmax-ce first). */
export const CLASS_SCORING: Scoring = scoringFor(classProblems, parseAssignment("softmax-ce: { dz: 3 }\ndense-batch: { dW: 2, dX: 1, db: 1 }\n", 'points.yaml', classProblems));

const answer = (problem: string, target: string, formula: string) => `  - problem: ${problem}\n    target: ${target}\n    formula: ${JSON.stringify(formula)}\n`;
const latex = (problem: string, target: string, text: string) => `  - problem: ${problem}\n    target: ${target}\n    latex: ${JSON.stringify(text)}\n`;

export const CLASS_FILES: Record<string, string> = {
  'alice.yaml': `id: alice\nanswers:\n${answer('dense-batch', 'dW', "X' * dY")}${answer('dense-batch', 'dX', "dY * W'")}${answer('dense-batch', 'db', 'sum(dY, 1)')}${latex('softmax-ce', 'dz', '\\operatorname{softmax}(z, 2) - p')}`,
  'bob.yaml': `id: bob\nanswers:\n${answer('dense-batch', 'dW', "-X' * dY")}${answer('dense-batch', 'dX', "dY * W'")}${answer('softmax-ce', 'dz', 'p - softmax(z, 2)')}`,
  'carol.yaml': 'answers:\n  - problem: dense-batch\n    target: [dW\n',
  'dan.yaml': `id: dan\nanswers:\n${answer('dense-batch', 'dW', "-X'*dY")}${answer('dense-batch', 'dX', "dY*W'")}${answer('dense-batch', 'db', 'sum(dY,1)')}${answer('softmax-ce', 'dz', 'softmax(z, 2) - p')}`,
  'eve.yaml': `id: eve\nanswers:\n${answer('dense-batch', 'dW', "- X' * dY")}${answer('dense-batch', 'dW', "X' * dY")}${answer('dense-batch', 'dX', 'W * dY')}${answer('softmax-ce', 'dz', 'softmax(z, 2) - p')}`,
  'frank.yaml': `id: frank\nanswers:\n${answer('dense-batch', 'dW', "X' * dY / N")}${answer('dense-batch', 'dX', "dY * W'")}${answer('dense-batch', 'db', 'sum(dY, 1)')}${answer('softmax-ce', 'dz', 'softmax(z, 2) - p')}`,
};

/** Writes the class into a fresh folder; returns the files (in name order) and a cleanup. */
export function writeClass(files: Record<string, string> = CLASS_FILES): { dir: string; files: string[]; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-class-'));
  const written = Object.keys(files)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      writeFileSync(file, files[name]!);
      return file;
    });
  return { dir, files: written, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The class graded in this thread at a fixed seed (with the class's assignment unless `scoring` says otherwise). */
export async function gradeClass(files: readonly string[], options: { scoring?: Scoring } = {}): Promise<GradeReport> {
  return gradeFiles(files, { seed: 11, jobs: 0, problems: classProblems, scoring: options.scoring ?? CLASS_SCORING });
}
