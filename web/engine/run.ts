/**
 * A check as the engine runs it: the user's own loss judged as `derivcheck check` judges it, or an
 * answer to a built-in problem graded as `derivcheck grade` grades it, with a tick per ground truth for
 * the progress bar. Either way the result is the library's Finding.
 */
import { gradeAnswer } from '../../src/grade/answer.js';
import type { Scoring } from '../../src/grade/scoring.js';
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

/**
 * Runs the request; `progress` hears of each ground truth computed, of about `total` samples.
 * `scoring` holds the dropped question files' own grading settings (`grading: { runs }`), which
 * `derivcheck grade --questions` applies the same way (src/cli/commands/grade.ts).
 */
export function runCheck(request: CheckRequest, problems: readonly Problem[], progress: (done: number, total: number) => void, scoring?: Scoring): ResultView {
  let runs = request.runs ?? (request.kind === 'loss' ? DEFAULT_RUNS : DEFAULT_GRADE_RUNS);
  let problem: Problem;
  let target: Target;
  try {
    ({ problem, target } = targetOf(request, problems));
  } catch (err) {
    if (!(err instanceof InvalidFieldError)) throw err;
    return resultView(findingFor(err.reason, err.error.described), { seed: request.seed, runs, field: err.error.field });
  }
  let done = 0;
  const counted = counting(problem, () => progress(++done, runs));
  let finding: Finding;
  if (request.kind === 'loss') {
    finding = judgeText(counted, target, request.grad, request.syntax, { runs, fcSeed: request.seed, truths: new TruthCache() }).finding;
  } else {
    const session = new GradingSession([counted], { seed: request.seed, runs, ...(scoring ? { scoring } : {}) });
    runs = session.runsFor(problem.id);
    finding = gradeAnswer(session, { problem: problem.id, target: target.name, text: request.grad, syntax: request.syntax, line: 0 }, 1).finding;
  }
  // The problem and target are real by now: an invalid Finding is about the claimed gradient.
  return resultView(finding, { seed: request.seed, runs, target: target.name, ...(finding.status === 'invalid' ? { field: 'grad' as const } : {}) });
}
