import { closeNames } from '../formula/suggest.js';
import type { Problem, Target } from './types.js';

/** A problem id or target name that does not exist; lists the close ones. */
export class UnknownNameError extends Error {
  override readonly name = 'UnknownNameError';
  constructor(
    readonly kind: 'problem' | 'target',
    readonly given: string,
    readonly known: readonly string[],
  ) {
    const close = closeNames(given, known);
    const hint = close.length > 0 ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : `known: ${known.join(', ')}`;
    super(`unknown ${kind} '${given}': ${hint}`);
  }
}

export function findProblem(problems: readonly Problem[], id: string): Problem {
  const problem = problems.find((p) => p.id === id);
  if (!problem) throw new UnknownNameError('problem', id, problems.map((p) => p.id));
  return problem;
}

export function findTarget(problem: Problem, name: string): Target {
  const target = problem.targets.find((t) => t.name === name);
  if (!target) throw new UnknownNameError('target', name, problem.targets.map((t) => t.name));
  return target;
}
