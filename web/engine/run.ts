/**
 * A check as the engine runs it: the user's own loss as `derivcheck check` checks it, or an answer to
 * a built-in problem as `derivcheck grade` grades it, with a tick per ground truth for the progress bar.
 */
import { FormulaError } from '../../src/formula/errors.js';
import { HEATMAP_MAX_ENTRIES, gradeAnswer } from '../../src/grade/answer.js';
import { DEFAULT_GRADE_RUNS, GradingSession } from '../../src/grade/session.js';
import type { SampleCase } from '../../src/problem/check.js';
import type { Claim } from '../../src/problem/claim.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import type { Problem, Target } from '../../src/problem/types.js';
import { DEFAULT_RUNS, type SearchResult, searchCounterexample } from '../../src/problem/verify.js';
import { ShapeError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { InvalidFieldError, claimOf, fieldError, targetOf } from './prepare.js';
import type { CheckRequest, LossRequest, ProblemRequest } from './protocol.js';
import { type DifferenceValues, type ResultView, viewOfAnswer, viewOfCheck, viewOfInvalid } from './result-view.js';

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
  try {
    return request.kind === 'loss' ? checkLoss(request, runs, tick) : gradeProblemAnswer(request, problems, runs, tick);
  } catch (err) {
    if (err instanceof InvalidFieldError) return viewOfInvalid(err.error, request.seed);
    throw err;
  }
}

function checkLoss(request: LossRequest, runs: number, tick: () => void): ResultView {
  const { problem: adHoc, target } = targetOf(request, []);
  const claim = claimOf(adHoc, target, request);
  const problem = counting(adHoc, tick);
  const cache = new TruthCache();
  let found: SearchResult;
  try {
    found = searchCounterexample(problem, target, claim, runs, request.seed, cache);
  } catch (err) {
    // The gradient failed while it ran (an index past the end, a value of another shape): the CLI's bad input.
    if (err instanceof FormulaError || err instanceof ShapeError) throw fieldError('grad', err);
    throw err;
  }
  const sample = found.counterexample?.check?.sample;
  const difference = sample ? differenceAt(problem, target, claim, sample, cache) : undefined;
  return viewOfCheck({ target: target.name, readAs: claim.readAs, seed: request.seed, found }, difference);
}

/** Ground truth and claim in full at the counterexample's sample (its truth is in the cache), when small enough to draw. */
function differenceAt(problem: Problem, target: Target, claim: Claim, sample: SampleCase, cache: TruthCache): DifferenceValues | undefined {
  const { truth } = cache.at(problem, target, sample.dims, sample.seed);
  const got = claim.evaluate(truth.values, sample.dims);
  const { indices, value } = truth.estimate;
  if (got.size > HEATMAP_MAX_ENTRIES || indices.length !== got.size) return undefined;
  const expected = new Float64Array(got.size);
  indices.forEach((flat, k) => (expected[flat] = value[k]!));
  return { expected: Tensor.fromArray(truth.shape, expected).toNested(), got: got.toNested() };
}

function gradeProblemAnswer(request: ProblemRequest, problems: readonly Problem[], runs: number, tick: () => void): ResultView {
  const { problem, target } = targetOf(request, problems);
  const session = new GradingSession([counting(problem, tick)], { seed: request.seed, runs });
  const answer = gradeAnswer(session, { problem: problem.id, target: target.name, text: request.grad, syntax: request.syntax, line: 0 }, 1);
  return viewOfAnswer(answer, request.seed);
}
