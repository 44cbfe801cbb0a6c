/**
 * One run of bench/scale.ts in a process of its own, which prints JSON with its peak resident memory
 * (process.resourceUsage().maxRSS: the whole process, worker threads included):
 *   node scale-child.js grade DIR SEED [SHARD]  grades the files of DIR (default --jobs, optionally part i/n)
 *   node scale-child.js check SIZE SEED          `derivcheck check`'s library path on the dense layer at D = M = SIZE
 */
import { createHash } from 'node:crypto';
import { gradeFiles } from '../src/grade/batch.js';
import { collectSubmissionFiles } from '../src/grade/collect-files.js';
import { parseShard, shardOf } from '../src/grade/shard.js';

const [mode, arg, seedText, shard] = process.argv.slice(2) as [string, string, string, string | undefined];
const seed = Number(seedText);
const start = performance.now();

/** Batch size of the dense layer's check: N fixed, D = M = the tensor size swept. */
const CHECK_ROWS = 16;

async function grade(): Promise<unknown> {
  const files = collectSubmissionFiles([arg]);
  const report = await gradeFiles(shard ? shardOf(files, parseShard(shard)) : files, { seed, registry: new URL('../problems/index.js', import.meta.url) });
  const counts: Record<string, number> = {};
  // Each submission's verdicts (with their evidence) hashed, in file order, so that the parts of a split batch can be compared with the whole.
  const perSubmission: string[] = [];
  for (const s of report.submissions) {
    perSubmission.push(createHash('sha256').update(JSON.stringify([s.id, s.status, s.answers.map((a) => a.finding)])).digest('hex').slice(0, 16));
    for (const a of s.answers) counts[a.finding.status] = (counts[a.finding.status] ?? 0) + 1;
  }
  return { submissions: report.submissions.length, counts, verdicts: perSubmission };
}

async function check(): Promise<unknown> {
  const [{ parseInputSpecs }, { adHocProblem }, { judgeText }, { TruthCache }] = await Promise.all([
    import('../src/problem/specs.js'),
    import('../src/question/adhoc.js'),
    import('../src/problem/judge.js'),
    import('../src/problem/truth-cache.js'),
  ]);
  const size = Number(arg);
  const { shapes, dimRanges, domains } = parseInputSpecs({ shape: ['X=NxD', 'W=DxM', 'T=NxM'], dims: [`N=${CHECK_ROWS}..${CHECK_ROWS}`, `D=${size}..${size}`, `M=${size}..${size}`], domain: [] });
  const grad = "X' * (X*W - T)";
  const { problem, target } = adHocProblem({ loss: '0.5*sum((X*W - T).^2)', wrt: 'W', grad, gradSyntax: 'formula', shapes, dimRanges, domains });
  const finding = judgeText(problem, target, grad, 'formula', { runs: 100, fcSeed: seed, truths: new TruthCache() }).finding;
  return { status: finding.status, message: finding.message };
}

const result = mode === 'grade' ? await grade() : await check();
console.log(JSON.stringify({ ...(result as object), seconds: (performance.now() - start) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
