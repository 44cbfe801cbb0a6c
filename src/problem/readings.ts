/**
 * What a Finding says about how a LaTeX answer was read (src/formula/latex/resolve.ts decides it): the
 * readings the shapes settled, a reading of a product that would have been right where the matrix
 * product was graded, sides of a chain `dW = a = b` that disagree with the graded last one, and — for
 * an answer that fails as read — another reading the notation allows as much (σ as the softmax) under
 * which it would pass: then which was meant is a person's call (unsupported-notation), not a verdict.
 */
import { FormulaError, FormulaShapeError } from '../formula/errors.js';
import type { Claim } from './claim.js';
import { type Finding, findingFor } from './finding.js';
import { type SearchResult, searchClaim } from './search.js';
import type { TruthCache } from './truth-cache.js';
import type { Problem, Target } from './types.js';

type Status = 'correct' | 'incorrect' | 'undecided' | 'not evaluable';

/** What the judgement searches with: the same samples and ground truths for every reading. */
export interface ReadingSearch {
  readonly runs: number;
  readonly fcSeed: number;
  readonly truths: TruthCache;
}

/** The status a search gives, as findingOfSearch decides it (kinks and non-finite losses are undecided here). */
function statusOfSearch(found: SearchResult): Status {
  if (found.runtimeError) return 'not evaluable';
  if (found.counterexample) return 'incorrect';
  return found.undecided === 0 && found.passed > 0 ? 'correct' : 'undecided';
}

/**
 * The Finding of a LaTeX answer with what its reading adds: an incorrect answer that another reading
 * as plausible makes correct needs review; otherwise the notes on the reading are appended.
 */
export function withReading(problem: Problem, target: Target, claim: Claim, finding: Finding, search: ReadingSearch): Finding {
  const reading = claim.reading;
  if (!reading) return finding;
  const statusOf = (c: Claim): Status => statusOfSearch(searchClaim(problem, target, c, search.runs, search.fcSeed, search.truths));
  if (finding.status === 'incorrect' && finding.reason === 'mismatch') {
    const doubt = reading.alternatives.find((a) => a.review && statusOf(a.claim) === 'correct');
    if (doubt) {
      const message = `Needs review (unsupported notation: a reading in doubt): read as ${claim.readAs} the answer is incorrect; ${doubt.note} (${doubt.claim.readAs}) it would be correct.`;
      return findingFor('unsupported-notation', message, { readAs: claim.readAs, ...(finding.samples ? { samples: finding.samples } : {}) });
    }
  }
  const out: string[] = [];
  if (reading.notes.length > 0) out.push(`Read: ${reading.notes.join('; ')}.`);
  if (finding.status === 'incorrect') {
    const right = reading.alternatives.find((a) => !a.review && statusOf(a.claim) === 'correct');
    if (right) out.push(`The product as written is a matrix product; ${right.note} (${right.claim.readAs}) would be correct.`);
  }
  const status: Status = finding.status === 'correct' || finding.status === 'incorrect' ? finding.status : finding.status === 'invalid' ? 'not evaluable' : 'undecided';
  const sides = reading.earlierSides.map((side, k) => {
    if (side instanceof FormulaShapeError) return `side ${k + 1} does not have the target's shape (${side.what})`;
    if (side instanceof FormulaError) return `side ${k + 1} could not be read (${side.what})`;
    const s = statusOf(side);
    return s === status ? undefined : `side ${k + 1} (${side.readAs}) is ${s}`;
  });
  if (sides.some((s) => s !== undefined)) out.push(`The chain's sides disagree: the last side is graded; ${sides.filter((s) => s !== undefined).join('; ')}.`);
  else if (reading.earlierSides.length > 0) out.push('Every side of the chain agrees.');
  return out.length > 0 ? { ...finding, message: `${finding.message} ${out.join(' ')}` } : finding;
}
