/**
 * One grading run of bench/grade.ts in a process of its own, so that every mode starts as a real
 * grading run does (cold JIT, nothing cached): `node grade-child.js DIR JOBS SEED` grades the files
 * of DIR and prints the verdict counts as JSON. The parent times it from spawn to exit.
 */
import { problems } from '../problems/index.js';
import { collectSubmissionFiles, gradeFiles } from '../src/grade/index.js';

const [dir, jobs, seed] = process.argv.slice(2) as [string, string, string];
const report = await gradeFiles(collectSubmissionFiles([dir]), { seed: Number(seed), jobs: Number(jobs), problems, registry: new URL('../problems/index.js', import.meta.url) });
const counts: Record<string, number> = {};
for (const s of report.submissions) for (const a of s.answers) counts[a.finding.status] = (counts[a.finding.status] ?? 0) + 1;
console.log(JSON.stringify(counts));
