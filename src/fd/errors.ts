/**
 * A caller asked the FD engine for something it cannot do (a sample count larger than the tensor, a
 * gradient of the wrong shape, a perturbation of integer labels). Names what was wrong and how to fix it.
 */
export class FdArgumentError extends Error {
  override readonly name = 'FdArgumentError';
  constructor(
    readonly what: string,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`${what}: ${detail}. ${fix}`);
  }
}

/** A forward graph is malformed (unknown argument, duplicate name, cycle, missing input) or was asked about a name it lacks. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly node: string,
    readonly detail: string,
    readonly fix: string,
  ) {
    super(`graph node '${node}': ${detail}. ${fix}`);
  }
}
