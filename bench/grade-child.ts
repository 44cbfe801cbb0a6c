/**
 * One grading run of bench/grade.ts in a process of its own, so that every mode starts as a real
 * grading run does (cold JIT, nothing cached): `node grade-child.js DIR JOBS SEED` grades the files
 * of DIR and prints the verdict counts as JSON. The parent times it from spawn to exit.
 */
import { gradeFiles } from '../src/grade/batch.js';
import { collectSubmissionFiles } from '../src/grade/collect-files.js';

const [dir, jobs, seed] = process.argv.slice(2) as [string, string, string];
const registry = new URL('../problems/index.js', import.meta.url);
// The problems are loaded in this thread only to grade here: with workers, each loads its own.
const problems = Number(jobs) === 0 ? ((await import(registry.href)) as typeof import('../problems/index.js')).problems : undefined;
const report = await gradeFiles(collectSubmissionFiles([dir]), { seed: Number(seed), jobs: Number(jobs), ...(problems ? { problems } : {}), registry });
const counts: Record<string, number> = {};
for (const s of report.submissions) for (const a of s.answers) counts[a.finding.status] = (counts[a.finding.status] ?? 0) + 1;
console.log(JSON.stringify(counts));
