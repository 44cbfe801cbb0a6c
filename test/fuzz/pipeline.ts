/**
 * One formula through the whole pipeline (parse → readAs round trip → check → compile → evaluate) and
 * what the fuzz suite demands of it: the result is a value or a typed FormulaError, never another
 * exception; the reading parses back to the same tree; no formula takes more than 2 s, and the fuzz
 * process never holds more than 1 GB. Formulas are evaluated under the default limits
 * (src/formula/limits.ts): the cost model must refuse before it runs whatever would break those bounds.
 * The suite runs in a process of its own (vitest.config.ts's fuzz project), so that the time and memory
 * measured are the fuzz's: CPU time of the process, which load on the machine barely changes, and its
 * resident set.
 */
import { FormulaError, type ParsedFormula, compileFormula, parseFormula } from '../../src/formula/index.js';
import { treeShape } from '../../src/formula/tree.js';
import { ShapeError, Tensor } from '../../src/tensor/index.js';
import { DECLARATIONS, DIMS, TARGETS, VALUES } from './grammar.js';

/** The most CPU time one formula may take, parse to value. */
export const MAX_FORMULA_MS = 2000;

/** A process of the suite may hold at most this much (resident set), in bytes. */
export const MAX_RSS_BYTES = 1024 ** 3;

export type Outcome = 'value' | string;

/** A failure of the fuzz suite's contract (not a FormulaError the formula deserved). */
export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

/** The parse of `text`, whose reading parses back to the same tree (or a FuzzFailure). */
function parseRoundTrip(text: string, syntax: 'formula' | 'latex'): ParsedFormula {
  const parsed = parseFormula(text, { syntax, declarations: DECLARATIONS });
  let again;
  try {
    again = parseFormula(parsed.readAs, { declarations: DECLARATIONS });
  } catch (err) {
    throw new FuzzFailure(`the reading of ${JSON.stringify(text)} does not parse: ${JSON.stringify(parsed.readAs)}: ${(err as Error).message}`);
  }
  if (treeShape(again.statement) !== treeShape(parsed.statement)) {
    throw new FuzzFailure(`the reading of ${JSON.stringify(text)} parses to another tree: ${JSON.stringify(parsed.readAs)} reads as ${JSON.stringify(again.readAs)}`);
  }
  return parsed;
}

function evaluate(text: string, syntax: 'formula' | 'latex'): Outcome {
  try {
    const parsed = parseRoundTrip(text, syntax);
    const statement = parsed.statement;
    const target = statement.kind === 'assignment' && statement.indices !== null ? (TARGETS.get(statement.target) ?? ['N', 'D']) : undefined;
    const run = compileFormula(parsed, DECLARATIONS, target ? { targetShape: target } : {});
    const value = run(VALUES, DIMS);
    if (!(value instanceof Tensor)) throw new FuzzFailure(`${JSON.stringify(text)} evaluated to ${String(value)}, not a Tensor`);
    return 'value';
  } catch (err) {
    if (err instanceof FuzzFailure) throw err;
    if (!(err instanceof FormulaError)) throw new FuzzFailure(`${JSON.stringify(text)} (${syntax}) threw an untyped ${(err as Error)?.name ?? typeof err}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    // A ShapeError from a kernel would mean the checker let a shape mismatch through; argument errors
    // about values (a label outside 1..K) are the data's fault and legitimately surface at run time.
    if (err.cause instanceof ShapeError) throw new FuzzFailure(`a shape mismatch got past the checker for ${JSON.stringify(text)}: ${err.message}`);
    return err.name;
  }
}

/** The outcome of `text`; throws a FuzzFailure when the pipeline breaks its contract on it. */
export function outcome(text: string, syntax: 'formula' | 'latex' = 'formula'): Outcome {
  const start = process.cpuUsage();
  const result = evaluate(text, syntax);
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1e3;
  if (ms > MAX_FORMULA_MS) throw new FuzzFailure(`${JSON.stringify(text.slice(0, 200))} (${syntax}) took ${ms.toFixed(0)} ms of CPU time, more than ${MAX_FORMULA_MS}`);
  return result;
}

/** Throws when the process holds more than MAX_RSS_BYTES. */
export function assertMemory(): void {
  const rss = process.memoryUsage().rss;
  if (rss > MAX_RSS_BYTES) throw new FuzzFailure(`the process holds ${(rss / 1024 ** 2).toFixed(0)} MB, more than ${MAX_RSS_BYTES / 1024 ** 2}`);
}
