import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { problems } from '../problems/index.js';
import { type GradeReport, collectSubmissionFiles, gradeFiles } from '../src/grade/index.js';
import { Rng } from '../src/tensor/rng.js';
import { type Benchmark, formatTable } from './harness.js';

/**
 * Grading throughput (answers per second) on dense-batch and softmax-ce answers, the bar being
 * ≥ 200 answers/s on the 2-core machine. A batch of BATCH_SUBMISSIONS generated submission files, each
 * with one answer to every target of the two problems drawn from a pool of correct spellings and
 * labelled mistakes (about 60% correct, as a class hands in), is graded end to end (files read,
 * workers started, references confirmed against FD) with --jobs 1 and 2, and in-process.
 */

const BATCH_SUBMISSIONS = 500;
const SEED = 1;
const BAR_ANSWERS_PER_SECOND = 200;

interface PoolAnswer {
  readonly formula?: string;
  readonly latex?: string;
}

/** Per target: correct spellings first, then mistakes; CORRECT_SHARE of draws come from the correct ones. */
const POOL: Record<string, { correct: PoolAnswer[]; wrong: PoolAnswer[] }> = {
  'dense-batch/dW': {
    correct: [{ formula: "X' * dY" }, { formula: "(dY' * X)'" }, { formula: 'dW[d,m] = sum(X[n,d] * dY[n,m], n)' }, { latex: 'X^T \\frac{\\partial L}{\\partial Y}' }],
    wrong: [{ formula: "-X' * dY" }, { formula: "2 * X' * dY" }, { formula: "X' * dY / N" }, { formula: "dY' * X" }, { formula: "X' * dy" }],
  },
  'dense-batch/dX': {
    correct: [{ formula: "dY * W'" }, { formula: 'dX[n,d] = sum(dY[n,m] * W[d,m], m)' }],
    wrong: [{ formula: "-dY * W'" }, { formula: 'dX[n,d] = sum(dY[n,m] * W[d+1,m], m)' }, { formula: "dY * W' / N" }],
  },
  'dense-batch/db': {
    correct: [{ formula: 'sum(dY, 1)' }, { formula: 'ones(1, N) * dY' }],
    wrong: [{ formula: 'mean(dY, 1)' }, { formula: 'sum(dY, 2)' }, { formula: '-sum(dY, 1)' }],
  },
  'softmax-ce/dz': {
    correct: [{ formula: 'softmax(z, 2) - p' }, { formula: 's - p' }, { latex: '\\operatorname{softmax}(z, 2) - p' }],
    wrong: [{ formula: 'p - s' }, { formula: '(s - p) / B' }, { formula: 'softmax(z, 1) - p' }, { formula: 's' }],
  },
};
const CORRECT_SHARE = 0.6;

/** Writes `count` submission files to `dir`, drawn from the pool with a seeded stream. */
export function writeBenchSubmissions(dir: string, count: number, seed: number): number {
  const rng = new Rng(seed);
  let answers = 0;
  for (let i = 0; i < count; i++) {
    const list = Object.entries(POOL).map(([key, pool]) => {
      const [problem, target] = key.split('/') as [string, string];
      const from = rng.uniform() < CORRECT_SHARE ? pool.correct : pool.wrong;
      return { problem, target, ...from[rng.int(0, from.length - 1)]! };
    });
    answers += list.length;
    writeFileSync(path.join(dir, `student-${String(i).padStart(4, '0')}.yaml`), stringify({ id: `student-${i}`, answers: list }));
  }
  return answers;
}

interface Row {
  readonly mode: string;
  readonly submissions: number;
  readonly answers: number;
  readonly seconds: number;
  readonly answersPerSecond: number;
  readonly verdicts: Record<string, number>;
}

function verdicts(report: GradeReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of report.submissions) for (const a of s.answers) counts[a.verdict] = (counts[a.verdict] ?? 0) + 1;
  return counts;
}

async function run(): Promise<unknown> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-grade-bench-'));
  try {
    const answers = writeBenchSubmissions(dir, BATCH_SUBMISSIONS, SEED);
    const files = collectSubmissionFiles([dir]);
    const registry = new URL('../problems/index.js', import.meta.url);
    const rows: Row[] = [];
    for (const jobs of [0, 1, 2]) {
      const report = await gradeFiles(files, { seed: SEED, jobs, problems, registry });
      const seconds = report.elapsedMs / 1000;
      rows.push({ mode: jobs === 0 ? 'in-process' : `--jobs ${jobs}`, submissions: files.length, answers, seconds: Number(seconds.toFixed(3)), answersPerSecond: Math.round(answers / seconds), verdicts: verdicts(report) });
    }
    console.log(formatTable(['mode', 'submissions', 'answers', 'seconds', 'answers/s'], rows.map((r) => [r.mode, String(r.submissions), String(r.answers), r.seconds.toFixed(2), String(r.answersPerSecond)])));
    const best = rows.find((r) => r.mode === '--jobs 2')!;
    console.log(`\nbar: ≥ ${BAR_ANSWERS_PER_SECOND} answers/s with --jobs 2: ${best.answersPerSecond >= BAR_ANSWERS_PER_SECOND ? 'met' : 'NOT met'} (${best.answersPerSecond})`);
    return { seed: SEED, runsPerAnswer: 16, bar: BAR_ANSWERS_PER_SECOND, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const gradeBenchmark: Benchmark = {
  name: 'grade',
  description: `grading throughput: ${BATCH_SUBMISSIONS} generated submissions × 4 answers (dense-batch dW/dX/db, softmax-ce dz), end to end, in-process and with --jobs 1 and 2`,
  run,
};
