import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { problems } from '../problems/index.js';
import { findProblem, findTarget } from '../src/problem/registry.js';
import { longCommandNodeOptions } from '../src/problem/threads.js';
import { Rng } from '../src/tensor/rng.js';
import { uniqueText } from './grade.js';
import { type Benchmark, formatTable, median } from './harness.js';

/**
 * How grading cost grows with the class, and one check's with the tensor. Class sizes of 100, 1,000
 * and 10,000 generated submissions of 10 answers each (distinct texts: every answer is evaluated), a
 * mix of right spellings (the targets' closed forms), labelled mistakes, answers that do not parse and
 * entries that break the file format, graded end to end with the default worker count, each run in a
 * fresh process: wall time from spawn to exit, and peak resident memory of the process (worker threads
 * are threads of it). The largest class is graded once (it takes minutes), then again as two halves
 * (`--shard 1/2`, `2/2`, one after the other, as two machines would run them), whose verdicts must equal
 * the whole's. Then `derivcheck check`'s library path on a dense layer, ½‖XW − T‖² with respect to W
 * (N = 16, D = M = size), at growing sizes: the check's budget (src/problem/budget.ts) caps its FD work.
 * `SCALE_CLASSES=100,1000` runs fewer classes. bench/plot-scale.ts draws bench/scale.svg from the results.
 */

const SEED = 1;
const ANSWERS_PER_SUBMISSION = 10;
const CLASSES = (process.env.SCALE_CLASSES ?? '100,1000,10000').split(',').map(Number);
/** Classes at most this large are graded REPEATS times (median); larger ones once. */
const REPEATED_UP_TO = 1000;
const REPEATS = 3;
const TENSOR_SIZES = [8, 16, 32, 64, 128, 256, 512];

/** The ten targets every submission answers. */
const TARGETS: readonly (readonly [string, string])[] = [
  ['dense-batch', 'dW'],
  ['dense-batch', 'dX'],
  ['dense-batch', 'db'],
  ['softmax-ce', 'dz'],
  ['logistic-layer', 'dx'],
  ['logistic-layer', 'dW'],
  ['logistic-layer', 'db'],
  ['mlp2-mse', 'dW1'],
  ['mlp2-mse', 'db1'],
  ['mlp2-mse', 'dW2'],
];
/** Shares of the answers: right, a labelled mistake, a formula that does not parse; the rest break the file's format. */
const RIGHT = 0.6;
const WRONG = 0.3;
const UNPARSABLE = 0.05;

/** Writes `count` submission files of ANSWERS_PER_SUBMISSION answers to `dir`, from a seeded stream. */
function writeClass(dir: string, count: number): void {
  const rng = new Rng(SEED);
  for (let i = 0; i < count; i++) {
    const answers = TARGETS.map(([problemId, targetName]) => {
      const target = findTarget(findProblem(problems, problemId), targetName);
      const u = rng.uniform();
      if (u >= RIGHT + WRONG + UNPARSABLE) return { problem: problemId, target: targetName, formula: [uniqueText('x', i)] };
      const right = target.closedForms.filter((c) => c.accepted !== true);
      const pick = u < RIGHT ? right[rng.int(0, right.length - 1)]! : target.mistakes[rng.int(0, target.mistakes.length - 1)]!;
      const syntax = 'syntax' in pick && pick.syntax === 'latex' ? 'latex' : 'formula';
      const text = uniqueText(pick.formula, i) + (u >= RIGHT + WRONG ? ' *' : '');
      return { problem: problemId, target: targetName, [syntax]: text };
    });
    writeFileSync(path.join(dir, `student-${String(i).padStart(5, '0')}.yaml`), stringify({ id: `student-${i}`, answers }));
  }
}

interface ChildResult {
  readonly seconds: number;
  readonly maxRssMB: number;
  readonly [key: string]: unknown;
}

/**
 * Runs bench/scale-child.ts, grading with the Node options `derivcheck grade` runs with (one V8
 * background thread and a smaller inlining budget on 2 cores: src/cli/launch.ts; check keeps Node's
 * defaults); wall seconds from spawn to exit replace the child's own.
 */
function child(args: readonly string[]): ChildResult {
  const options = args[0] === 'grade' ? longCommandNodeOptions() : [];
  const start = performance.now();
  const run = spawnSync(process.execPath, [...options, fileURLToPath(new URL('./scale-child.js', import.meta.url)), ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`scale child ${args.join(' ')} failed: ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as ChildResult), seconds };
}

interface ClassRow {
  readonly submissions: number;
  readonly answers: number;
  readonly seconds: number;
  readonly samplesSeconds: number[];
  readonly answersPerSecond: number;
  readonly maxRssMB: number;
  readonly counts: Record<string, number>;
  /** The class in two halves graded one after the other (the largest class only): each half's time and memory, and whether their verdicts are the whole's. */
  readonly halves?: { readonly seconds: number[]; readonly maxRssMB: number[]; readonly sameVerdicts: boolean };
}

function gradeClass(count: number): ClassRow {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-scale-'));
  try {
    writeClass(dir, count);
    const runs = Array.from({ length: count <= REPEATED_UP_TO ? REPEATS : 1 }, () => child(['grade', dir, String(SEED)]));
    const seconds = median(runs.map((r) => r.seconds));
    const first = runs[0]!;
    const row: ClassRow = {
      submissions: count,
      answers: count * ANSWERS_PER_SUBMISSION,
      seconds: Number(seconds.toFixed(2)),
      samplesSeconds: runs.map((r) => Number(r.seconds.toFixed(2))),
      answersPerSecond: Math.round((count * ANSWERS_PER_SUBMISSION) / seconds),
      maxRssMB: Math.round(Math.max(...runs.map((r) => r.maxRssMB))),
      counts: first.counts as Record<string, number>,
    };
    if (count !== Math.max(...CLASSES)) return row;
    const halves = ['1/2', '2/2'].map((shard) => child(['grade', dir, String(SEED), shard]));
    const sameVerdicts = JSON.stringify(halves.flatMap((h) => h.verdicts as string[])) === JSON.stringify(first.verdicts);
    return { ...row, halves: { seconds: halves.map((h) => Number(h.seconds.toFixed(2))), maxRssMB: halves.map((h) => Math.round(h.maxRssMB)), sameVerdicts } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TensorRow {
  readonly size: number;
  readonly entries: number;
  readonly seconds: number;
  readonly maxRssMB: number;
  readonly status: string;
  /** What the check's budget left out, as the verdict says it. */
  readonly note: string;
}

function checkAtSize(size: number): TensorRow {
  const r = child(['check', String(size), String(SEED)]);
  const note = /(Finite differences checked .*? s\.)/.exec(String(r.message))?.[1] ?? 'every entry of every sample';
  return { size, entries: size * size, seconds: Number(r.seconds.toFixed(2)), maxRssMB: Math.round(r.maxRssMB), status: String(r.status), note };
}

function run(): unknown {
  const classes = CLASSES.map(gradeClass);
  console.log(
    formatTable(
      ['submissions', 'answers', 'median s', 'answers/s', 'peak RSS MB', 'samples s', 'halves s (--shard 1/2, 2/2)', 'halves = whole'],
      classes.map((c) => [String(c.submissions), String(c.answers), c.seconds.toFixed(2), String(c.answersPerSecond), String(c.maxRssMB), c.samplesSeconds.map((s) => s.toFixed(2)).join(' '), c.halves ? c.halves.seconds.map((s) => s.toFixed(2)).join(' ') : '', c.halves ? String(c.halves.sameVerdicts) : '']),
    ),
  );
  const tensors = TENSOR_SIZES.map(checkAtSize);
  console.log();
  console.log(formatTable(['D = M', 'entries of W', 's', 'peak RSS MB', 'verdict', 'FD work'], tensors.map((t) => [String(t.size), String(t.entries), t.seconds.toFixed(2), String(t.maxRssMB), t.status, t.note])));
  return { seed: SEED, answersPerSubmission: ANSWERS_PER_SUBMISSION, loadAverage: os.loadavg(), classes, tensors };
}

export const scaleBenchmark: Benchmark = {
  name: 'scale',
  description: `grading time and peak memory against class size (${CLASSES.join(', ')} submissions × ${ANSWERS_PER_SUBMISSION} answers), and one check's against tensor size (dense layer, D = M = ${TENSOR_SIZES.join(', ')})`,
  run,
};
