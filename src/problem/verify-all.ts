/**
 * Verifying many problems, in this thread (`jobs: 1`) or in a pool of `jobs` worker threads that each
 * load the compiled problem registry and take the next work item as they finish one. An item is one
 * closed form, one known mistake or the symbolic leg of a target, or one property: small enough that
 * no item (a conv target's ten formulas take 3 s together) holds up the end of the run. The reports
 * are the same either way apart from timings: seeds derive from (seed, problem, target or property)
 * alone (verify.ts), never from the thread or the order items run in.
 */
import { Worker } from 'node:worker_threads';
import { type QuestionSource, assertWorkerBuilt, compiledWorkerFile, importProblems, moduleHref } from './compiled.js';
import { findProblem } from './registry.js';
import { DEFAULT_RUNS } from './search.js';
import { defaultWorkerCount } from './threads.js';
import { TruthCache } from './truth-cache.js';
import type { Problem } from './types.js';
import {
  type ProblemReport,
  type PropertyReport,
  type TargetPartResult,
  type TargetReport,
  type VerifyOptions,
  problemReport,
  targetParts,
  targetReport,
  verifyProperty,
  verifyTarget,
} from './verify.js';
import type { VerifyItem, VerifyJob, VerifyWorkerMessage, VerifyWorkerSetup } from './verify-protocol.js';

/**
 * Where the problems come from: a compiled module exporting `problems` (a path or URL, which every
 * worker imports), such a module and question files (which every worker loads), or the problems
 * themselves, which are verified in this thread (a Problem holds functions, which cannot be sent to a
 * worker). With `jobs: 1` a module is imported into this thread and must be built with the same copy
 * of the library as the caller (dist/problems with dist/src): the forward graphs check their tensors
 * with instanceof.
 */
export type ProblemSource = string | URL | readonly Problem[] | ProblemModules;

/** A compiled registry (optional) and question files, loaded in every worker. */
export interface ProblemModules {
  readonly registry?: string | URL;
  readonly questions: QuestionSource;
}

export interface VerifyAllOptions extends VerifyOptions {
  /**
   * Worker threads. Default: the machine's cores (os.availableParallelism()) for a registry module on a
   * machine of more than 2 cores (threads.ts's defaultWorkerCount), else 1; 1 for problems passed as objects. 1 verifies
   * in this thread.
   */
  readonly jobs?: number;
  /** Problem ids to verify, in this order (default: every problem, in the registry's order). */
  readonly ids?: readonly string[];
  /** Called once the work is known, with the number of targets and properties to verify. */
  readonly onStart?: (total: number) => void;
  /** Called as each target or property is finished, in completion order (a progress bar's tick). */
  readonly onReport?: (report: TargetReport | PropertyReport) => void;
}

/** An item whose verification threw in a worker, or whose worker died (a broken problem module, out of memory). */
export class VerifyWorkerError extends Error {
  override readonly name = 'VerifyWorkerError';
  constructor(
    readonly item: VerifyItem,
    readonly detail: string,
  ) {
    const what = item.kind === 'property' ? `property #${item.property + 1}` : `target #${item.target + 1} (${item.part.kind}${'index' in item.part ? ` #${item.part.index + 1}` : ''})`;
    super(`verifying ${item.problem} ${what} failed in a worker: ${detail}`);
  }
}

/** A target or property of a selected problem: what a report is made for. */
interface Unit {
  readonly problem: Problem;
  readonly kind: 'target' | 'property';
  readonly index: number;
}

/** Verifies every selected problem (targets, then properties, as verifyProblem does); reports in the order of the selection. */
export async function verifyAll(source: ProblemSource, options: VerifyAllOptions = {}): Promise<ProblemReport[]> {
  const modules = modulesOf(source);
  const jobs = options.jobs ?? (modules ? defaultWorkerCount() : 1);
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  if (!modules && jobs > 1) throw new TypeError('verifyAll with jobs > 1 needs a compiled registry module (path or URL) that workers can import, not Problem objects');
  const problems = modules ? await importProblems(modules.registry, modules.questions) : (source as readonly Problem[]);
  const selected = options.ids ? options.ids.map((id) => findProblem(problems, id)) : problems;
  const units = selected.flatMap((problem) => [
    ...problem.targets.map((_, index): Unit => ({ problem, kind: 'target', index })),
    ...problem.properties.map((_, index): Unit => ({ problem, kind: 'property', index })),
  ]);
  options.onStart?.(units.length);
  const reports = modules && jobs > 1 && units.length > 0 ? await verifyInWorkers(modules, units, options, jobs) : verifyInThisThread(units, { ...options, truths: options.truths ?? new TruthCache() });
  let at = 0;
  return selected.map((p) => {
    const targets = reports.slice(at, (at += p.targets.length)) as TargetReport[];
    const properties = reports.slice(at, (at += p.properties.length)) as PropertyReport[];
    return problemReport(p.id, targets, properties);
  });
}

/** The modules workers load, or undefined for problems passed as objects. */
function modulesOf(source: ProblemSource): { registry?: string; questions?: QuestionSource } | undefined {
  if (Array.isArray(source)) return undefined;
  if (typeof source === 'string' || source instanceof URL) return { registry: moduleHref(source) };
  const { registry, questions } = source as ProblemModules;
  return { ...(registry !== undefined ? { registry: moduleHref(registry) } : {}), questions };
}

function verifyInThisThread(units: readonly Unit[], options: VerifyAllOptions): (TargetReport | PropertyReport)[] {
  return units.map(({ problem, kind, index }) => {
    const report = kind === 'target' ? verifyTarget(problem, problem.targets[index]!, index, options) : verifyProperty(problem, problem.properties[index]!, index, options);
    options.onReport?.(report);
    return report;
  });
}

/** The work items of a unit: a target's parts (targetParts' order), or the property itself. */
function itemsOf({ problem, kind, index }: Unit): VerifyItem[] {
  if (kind === 'property') return [{ problem: problem.id, kind: 'property', property: index }];
  return targetParts(problem.targets[index]!).map((part) => ({ problem: problem.id, kind: 'target-part', target: index, part }));
}

/** A unit's results as they come in: its report is made when the last one arrives. */
interface Collecting {
  readonly results: (TargetPartResult | PropertyReport)[];
  missing: number;
  timeMs: number;
}

function verifyInWorkers(modules: { registry?: string; questions?: QuestionSource }, units: readonly Unit[], options: VerifyAllOptions, jobs: number): Promise<(TargetReport | PropertyReport)[]> {
  const script = compiledWorkerFile(import.meta.url, './verify-worker.js');
  assertWorkerBuilt(script, 'verification');
  const setup: VerifyWorkerSetup = { ...modules, runs: options.runs ?? DEFAULT_RUNS, seed: options.seed ?? 0 };
  const items: { readonly item: VerifyItem; readonly unit: number; readonly slot: number }[] = [];
  const collecting: Collecting[] = units.map((unit, u) => {
    const unitItems = itemsOf(unit);
    unitItems.forEach((item, slot) => items.push({ item, unit: u, slot }));
    return { results: new Array(unitItems.length), missing: unitItems.length, timeMs: 0 };
  });
  const reports = new Array<TargetReport | PropertyReport>(units.length);
  const record = (order: number, result: TargetPartResult | PropertyReport, timeMs: number): boolean => {
    const { unit: u, slot } = items[order]!;
    const c = collecting[u]!;
    c.results[slot] = result;
    c.timeMs += timeMs;
    if (--c.missing > 0) return false;
    const { problem, kind, index } = units[u]!;
    const report = kind === 'property' ? (c.results[0] as PropertyReport) : targetReport(problem, problem.targets[index]!, c.results as TargetPartResult[], c.timeMs, options);
    reports[u] = report;
    options.onReport?.(report);
    return true;
  };
  // Items still to hand out, per unit, in report order; and the units no worker has begun.
  const remaining: number[][] = units.map(() => []);
  items.forEach(({ unit }, order) => remaining[unit]!.push(order));
  const fresh = units.map((_, u) => u);
  /**
   * The next item for a worker whose last unit was `current`: more of that unit while it lasts (its
   * parts meet the same samples, whose FD truths the worker has cached), else a unit nobody has
   * begun, else (at the end of the run) the last item of the unit with the most left, so that no
   * worker idles while another holds a queue. A unit's last items are the ones that need fewest of
   * its truths: the symbolic leg none, a mistake the few samples until it fails.
   */
  const nextItem = (current: number | undefined): { order: number; unit: number | undefined } | undefined => {
    if (current !== undefined && remaining[current]!.length > 0) return { order: remaining[current]!.shift()!, unit: current };
    const unit = fresh.shift();
    if (unit !== undefined) return { order: remaining[unit]!.shift()!, unit };
    let most = 0;
    let busiest: number | undefined;
    remaining.forEach((left, u) => {
      if (left.length > most) [most, busiest] = [left.length, u];
    });
    // A stolen item leaves the thief without a unit of its own: it steals again next time.
    return busiest === undefined ? undefined : { order: remaining[busiest]!.pop()!, unit: undefined };
  };

  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let unitsDone = 0;
    let settled = false;
    const stopAll = () => {
      for (const worker of pool) void worker.terminate();
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      stopAll();
      reject(err);
    };
    const startWorker = () => {
      const worker = new Worker(script, { workerData: setup });
      pool.push(worker);
      let running: VerifyJob | undefined;
      let unit: number | undefined;
      const takeNext = () => {
        const next = settled ? undefined : nextItem(unit);
        if (!next) {
          void worker.terminate();
          return;
        }
        unit = next.unit;
        running = { order: next.order, item: items[next.order]!.item };
        worker.postMessage(running);
      };
      worker.on('message', (message: VerifyWorkerMessage) => {
        if (message.kind === 'ready') return takeNext();
        if (message.kind === 'failed') return fail(new VerifyWorkerError(items[message.order]!.item, message.message));
        running = undefined;
        if (record(message.order, message.result, message.timeMs) && ++unitsDone === units.length) {
          settled = true;
          stopAll();
          resolve(reports);
          return;
        }
        takeNext();
      });
      worker.on('error', (err) => fail(running ? new VerifyWorkerError(running.item, err.message) : err));
      worker.on('exit', (code) => {
        if (running) fail(new VerifyWorkerError(running.item, `the worker exited unexpectedly (code ${code})`));
      });
    };
    for (let w = 0; w < Math.min(jobs, items.length); w++) startWorker();
  });
}
