/**
 * A verification worker (worker_threads): loads the compiled problem registry and question files
 * once, then verifies one item per job (a closed form, a mistake or the symbolic leg of a target, or
 * a property). Seeds derive from (seed, problem, target or property) alone, so a result does not
 * depend on which worker produced it or in what order (verify.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importProblems } from './compiled.js';
import { findProblem } from './registry.js';
import { TruthCache } from './truth-cache.js';
import { verifyProperty, verifyTargetPart } from './verify.js';
import type { VerifyItem, VerifyJob, VerifyWorkerMessage, VerifyWorkerSetup } from './verify-protocol.js';

const setup = workerData as VerifyWorkerSetup;
const port = parentPort!;
const post = (message: VerifyWorkerMessage) => port.postMessage(message);
const problems = await importProblems(setup.registry, setup.questions);
// One truth cache per worker: the parts of a target that this worker verifies share its samples' FD.
const options = { runs: setup.runs, seed: setup.seed, truths: new TruthCache() };

function verifyItem(item: VerifyItem) {
  const problem = findProblem(problems, item.problem);
  if (item.kind === 'property') return verifyProperty(problem, problem.properties[item.property]!, item.property, options);
  return verifyTargetPart(problem, problem.targets[item.target]!, item.target, item.part, options);
}

port.on('message', ({ order, item }: VerifyJob) => {
  try {
    const start = performance.now();
    const result = verifyItem(item);
    post({ kind: 'done', order, result, timeMs: performance.now() - start });
  } catch (err) {
    post({ kind: 'failed', order, message: err instanceof Error ? err.message : String(err) });
  }
});

post({ kind: 'ready' });
