import { TensorArgumentError } from './errors.js';
import { type Shape, Tensor, sizeOf } from './tensor.js';

/**
 * SplitMix32 (Vigna's 32-bit variant of SplitMix64): spreads one 32-bit seed word into well-mixed
 * state words, as the xoshiro authors recommend for seeding.
 */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;
/** 2^-53: scales a 53-bit integer to [0, 1) with every float64 mantissa bit random. */
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/**
 * xoshiro128** 1.0 (Blackman and Vigna, 2018): 128 bits of state, period 2^128 − 1, 32-bit outputs
 * computed with Math.imul so that every platform produces the same stream. Seeds are integers in
 * [0, 2^53); the same seed always gives the same sequence, and so the same tensors.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second Box–Muller value, kept so that normals come in pairs without waste. */
  private spareNormal: number | null = null;

  constructor(readonly seed: number) {
    checkSeed('Rng', seed);
    // Two SplitMix streams, one per 32-bit half of the seed: s0 is a bijection of the low half and
    // s1 mixes in a bijection of the high half, so distinct seeds give distinct states (folding the
    // halves into one 32-bit word first would make, e.g., seeds 1 and 2^32 collide).
    const low = { s: seed % TWO_POW_32 };
    const high = { s: Math.floor(seed / TWO_POW_32) ^ 0x6a09e667 };
    this.s0 = splitmix32(low);
    this.s1 = (splitmix32(low) ^ splitmix32(high)) >>> 0;
    this.s2 = (splitmix32(low) ^ splitmix32(high)) >>> 0;
    this.s3 = (splitmix32(low) ^ splitmix32(high)) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * An independent stream for a labelled sub-task (run r of target t, ...): the derived seed mixes
   * the parent seed with the labels, so one printed seed reproduces every sub-stream.
   */
  static derive(seed: number, ...labels: number[]): Rng {
    checkSeed('Rng.derive', seed);
    const st = { s: seed % TWO_POW_32 };
    let hi = splitmix32(st) ^ splitmix32({ s: Math.floor(seed / TWO_POW_32) ^ 0x6a09e667 });
    let lo = splitmix32(st);
    for (const label of labels) {
      st.s ^= label | 0;
      hi ^= splitmix32(st);
      lo = (lo + splitmix32(st)) >>> 0;
    }
    return new Rng((hi & 0x1fffff) * TWO_POW_32 + lo);
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi], inclusive, without modulo bias. */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new TensorArgumentError('Rng.int', `need integers lo ≤ hi, got ${lo}, ${hi}`);
    }
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal by the Box–Muller transform. */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential(1), the building block of uniform points on the simplex. */
  exponential(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return -Math.log(u);
  }
}

function checkSeed(op: string, seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new TensorArgumentError(op, `a seed is an integer in [0, 2^53), got ${seed}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function fill(shape: Shape, draw: () => number): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, shape);
}

/** Samplers: each draws a whole tensor from one Rng, so (seed, shape) fixes the result. */
export const sample = {
  uniform(rng: Rng, shape: Shape, lo = 0, hi = 1): Tensor {
    return fill(shape, () => rng.uniform(lo, hi));
  },

  normal(rng: Rng, shape: Shape, mean = 0, std = 1): Tensor {
    return fill(shape, () => rng.normal(mean, std));
  },

  /** Log-normal values, positive and spread over about two orders of magnitude (for log and sqrt inputs). */
  positive(rng: Rng, shape: Shape): Tensor {
    return fill(shape, () => Math.exp(rng.normal(0, 0.5)));
  },

  /**
   * Normal values pushed at least `margin` away from 0, for inputs of relu/step/abs where a value
   * within the FD step of the kink would make the sample non-differentiable.
   */
  awayFromZero(rng: Rng, shape: Shape, margin = 0.1): Tensor {
    return fill(shape, () => {
      const z = rng.normal();
      return z >= 0 ? z + margin : z - margin;
    });
  },

  /**
   * Rows of the last axis drawn uniformly from the probability simplex (Dirichlet(1, ..., 1)): each row
   * is i.i.d. Exp(1) values divided by their sum, so entries are positive and each row sums to 1.
   */
  simplexRows(rng: Rng, shape: Shape): Tensor {
    const t = fill(shape, () => rng.exponential());
    const k = shape.length === 0 ? 1 : shape[shape.length - 1]!;
    for (let start = 0; start < t.data.length; start += k) {
      let s = 0;
      for (let j = 0; j < k; j++) s += t.data[start + j]!;
      for (let j = 0; j < k; j++) t.data[start + j]! /= s;
    }
    return t;
  },

  /** 0 or 1 with equal probability, as float64 values (binary labels, masks). */
  binary(rng: Rng, shape: Shape): Tensor {
    return fill(shape, () => rng.int(0, 1));
  },

  /** −1 or +1 with equal probability (the ±1 labels of SVM and perceptron derivations). */
  signs(rng: Rng, shape: Shape): Tensor {
    return fill(shape, () => 2 * rng.int(0, 1) - 1);
  },

  /** Integers uniform in [lo, hi], as float64 values. */
  integers(rng: Rng, shape: Shape, lo: number, hi: number): Tensor {
    return fill(shape, () => rng.int(lo, hi));
  },

  /** Class labels uniform in 1..k, tagged `index`. */
  labels(rng: Rng, shape: Shape, k: number): Tensor {
    const values = new Float64Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = rng.int(1, k);
    return Tensor.labels(shape, values);
  },

  /** One-hot rows along the last axis (k = last dimension), the hot position uniform. */
  oneHotRows(rng: Rng, shape: Shape): Tensor {
    const t = Tensor.zeros(shape);
    const k = shape.length === 0 ? 1 : shape[shape.length - 1]!;
    if (k === 0) return t;
    for (let start = 0; start < t.data.length; start += k) t.data[start + rng.int(0, k - 1)] = 1;
    return t;
  },
};
