/**
 * A verification worker (worker_threads): loads the compiled problem registry once, then verifies one
 * target or property per job. Seeds derive from (seed, problem, item) alone, so a report does not
 * depend on which worker produced it or in what order (verify.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importRegistry } from './compiled.js';
import { findProblem } from './registry.js';
import { verifyProperty, verifyTarget } from './verify.js';
import type { VerifyJob, VerifyWorkerMessage, VerifyWorkerSetup } from './verify-protocol.js';

const setup = workerData as VerifyWorkerSetup;
const port = parentPort!;
const post = (message: VerifyWorkerMessage) => port.postMessage(message);
const problems = await importRegistry(setup.registry);
const options = { runs: setup.runs, seed: setup.seed };

port.on('message', (job: VerifyJob) => {
  try {
    const problem = findProblem(problems, job.problem);
    const report = job.kind === 'target' ? verifyTarget(problem, problem.targets[job.index]!, job.index, options) : verifyProperty(problem, problem.properties[job.index]!, job.index, options);
    post({ kind: 'done', order: job.order, report });
  } catch (err) {
    post({ kind: 'failed', order: job.order, message: err instanceof Error ? err.message : String(err) });
  }
});

post({ kind: 'ready' });
