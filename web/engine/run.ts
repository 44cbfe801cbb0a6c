/**
 * A check as the engine runs it: the user's own loss judged as `derivcheck check` judges it, or an
 * answer to a built-in problem graded as `derivcheck grade` grades it, with a tick per ground truth for
 * the progress bar. Either way the result is the library's Finding.
 */
import { gradeAnswer } from '../../src/grade/answer.js';
import { DEFAULT_GRADE_RUNS, GradingSession } from '../../src/grade/session.js';
import { type Finding, findingFor } from '../../src/problem/finding.js';
import { judgeText } from '../../src/problem/judge.js';
import { DEFAULT_RUNS } from '../../src/problem/search.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import type { Problem, Target } from '../../src/problem/types.js';
import { InvalidFieldError, targetOf } from './prepare.js';
import type { CheckRequest } from './protocol.js';
import { type ResultView, resultView } from './result-view.js';

/** Calls `tick` whenever the problem's forward graph is built: once per ground truth, so about once per sample. */
function counting(problem: Problem, tick: () => void): Problem {
  return {
    ...problem,
    forward: (dims) => {
      tick();
      return problem.forward(dims);
    },
  };
}

/** Runs the request; `progress` hears of each ground truth computed, of about `total` samples. */
export function runCheck(request: CheckRequest, problems: readonly Problem[], progress: (done: number, total: number) => void): ResultView {
  const runs = request.runs ?? (request.kind === 'loss' ? DEFAULT_RUNS : DEFAULT_GRADE_RUNS);
  let done = 0;
  const tick = () => progress(++done, runs);
  let problem: Problem;
  let target: Target;
  try {
    ({ problem, target } = targetOf(request, problems));
  } catch (err) {
    if (!(err instanceof InvalidFieldError)) throw err;
    return resultView(findingFor(err.reason, err.error.described), { seed: request.seed, runs, field: err.error.field });
  }
  const finding = judged(request, counting(problem, tick), target, runs);
  // The problem and target are real by now: an invalid Finding is about the claimed gradient.
  return resultView(finding, { seed: request.seed, runs, target: target.name, ...(finding.status === 'invalid' ? { field: 'grad' as const } : {}) });
}

function judged(request: CheckRequest, problem: Problem, target: Target, runs: number): Finding {
  if (request.kind === 'loss') return judgeText(problem, target, request.grad, request.syntax, { runs, fcSeed: request.seed, truths: new TruthCache() }).finding;
  const session = new GradingSession([problem], { seed: request.seed, runs });
  return gradeAnswer(session, { problem: problem.id, target: target.name, text: request.grad, syntax: request.syntax, line: 0 }, 1).finding;
}
