import { Tensor } from '../tensor/tensor.js';
import { FdArgumentError } from './errors.js';
import { DerivativeEstimator, type EstimateStatus } from './estimate.js';
import type { Displacement, Probe } from './probe.js';
import { measureNoise } from './noise.js';
import { InPlaceMover, assertPerturbable, fullEvaluationRoundoff, storageOffsets } from './objective.js';
import { SparseChange } from './sparse.js';

/** FD Jacobian of a vector-valued map: value[i, j] = ∂y_i/∂x_j with y and x flattened row-major. */
export interface JacobianEstimate {
  /** [y.size, x.size]. */
  readonly value: Tensor;
  /** Error bound of each entry (Richardson tableau error + round-off, as for gradients). */
  readonly error: Tensor;
  /** The round-off part of each error bound. */
  readonly roundoff: Tensor;
  /** Row-major, one per entry of `value`. */
  readonly status: readonly EstimateStatus[];
  readonly outputShape: readonly number[];
  readonly evaluations: number;
}

/** Moves entries of x (in place, restored bit-exactly) and reports the change of every output component. */
class ColumnProbe implements Probe {
  scale = 1;
  private entry = 0;
  private readonly mover: InPlaceMover;
  private readonly single = new SparseChange(1);
  /** Noise σ per output component (noise.ts). */
  private readonly noise: Float64Array;

  constructor(
    private readonly f: (x: Tensor) => Tensor,
    private readonly x: Tensor,
    private readonly base: Float64Array,
  ) {
    this.mover = new InPlaceMover(x.data, storageOffsets(x));
    this.noise = measureNoise(x.size, (i) => this.valueAt(i), (move) => this.evaluateMoved(move));
  }

  get components(): number {
    return this.base.length;
  }

  select(flat: number): void {
    this.entry = flat;
    this.scale = Math.max(1, Math.abs(this.valueAt(flat)));
  }

  displace(out: Displacement): void {
    const old = this.valueAt(this.entry);
    const actual = old + out.step - old;
    this.single.clear();
    this.single.push(this.entry, actual, 0);
    const y = this.evaluateMoved(this.single);
    for (let c = 0; c < y.length; c++) {
      out.delta[c] = y[c]! - this.base[c]!;
      out.roundoff[c] = fullEvaluationRoundoff(y[c]!, this.base[c]!, this.noise[c]!);
    }
    out.crossedKink = false;
    out.taken = actual;
  }

  private valueAt(flat: number): number {
    return this.mover.valueAt(flat);
  }

  private evaluateMoved(move: SparseChange): Float64Array {
    return this.mover.run(move, () => {
      const y = this.f(this.x);
      if (y.size !== this.base.length) {
        throw new FdArgumentError('jacobian', `f returned ${y.size} values at a perturbed point, ${this.base.length} at the base point`, 'make the output shape independent of the input values');
      }
      return y.contiguous().data;
    });
  }
}

/**
 * Jacobian of y = f(x) by central differences with Richardson extrapolation, one column (entry of x)
 * at a time: 2·(2..MAX_RUNGS) evaluations of f per entry of x. x is perturbed in place and restored.
 */
export function jacobian(f: (x: Tensor) => Tensor, x: Tensor): JacobianEstimate {
  assertPerturbable(x, 'the tensor to differentiate');
  const y0 = f(x);
  const base = y0.contiguous().data.slice();
  const m = base.length;
  const n = x.size;
  const probe = new ColumnProbe(f, x, base);
  const estimator = new DerivativeEstimator(m);
  const value = new Float64Array(m * n);
  const error = new Float64Array(m * n);
  const roundoff = new Float64Array(m * n);
  const status = new Array<EstimateStatus>(m * n);
  let evaluations = 1;
  for (let j = 0; j < n; j++) {
    probe.select(j);
    estimator.estimate(probe);
    evaluations += estimator.evaluations;
    for (let i = 0; i < m; i++) {
      value[i * n + j] = estimator.value[i]!;
      error[i * n + j] = estimator.error[i]!;
      roundoff[i * n + j] = estimator.roundoff[i]!;
      status[i * n + j] = estimator.status[i]!;
    }
  }
  return { value: new Tensor(value, [m, n]), error: new Tensor(error, [m, n]), roundoff: new Tensor(roundoff, [m, n]), status, outputShape: [...y0.shape], evaluations };
}
