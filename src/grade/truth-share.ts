/**
 * FD truths shared between the grading workers of one batch (src/problem/truth-cache.ts's TruthShare)
 * over a BroadcastChannel: a worker posts each truth it computes, and before computing one reads what
 * the others posted, synchronously (receiveMessageOnPort), since a worker grades without returning to
 * its event loop. Two workers that meet the same samples (every answer to a target does) compute each
 * truth about once between them instead of once each. Tensors cross as their fields and are rebuilt.
 */
import { BroadcastChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { GroundTruth } from '../problem/check.js';
import type { SampleTruth, TruthShare } from '../problem/truth-cache.js';
import { Tensor } from '../tensor/tensor.js';

/** A Tensor as it crosses threads (structured clone keeps typed arrays, and one buffer shared by several tensors stays one). */
interface TensorFields {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: Tensor['dtype'];
}

interface PostedTruth {
  readonly key: string;
  readonly truth: Omit<GroundTruth, 'values'> & { readonly values: Record<string, TensorFields> };
  readonly inputs: Record<string, TensorFields>;
}

const fieldsOf = (t: Tensor): TensorFields => ({ data: t.data, shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype });
const tensorOf = (f: TensorFields): Tensor => new Tensor(f.data, f.shape, f.strides, f.offset, f.dtype);
const mapValues = <A, B>(record: Readonly<Record<string, A>>, f: (a: A) => B): Record<string, B> => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

/** The share of the batch whose workers use channel `name` (one name per batch). */
export function broadcastTruthShare(name: string): TruthShare {
  const channel = new BroadcastChannel(name);
  // Node reads a BroadcastChannel with receiveMessageOnPort too (documented since v15.12); its types name MessagePort only.
  const port = channel as unknown as MessagePort;
  return {
    publish(key, { truth, inputs }) {
      const posted: PostedTruth = { key, truth: { ...truth, values: mapValues(truth.values, fieldsOf) }, inputs: mapValues(inputs, fieldsOf) };
      channel.postMessage(posted);
    },
    *collect() {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const { key, truth, inputs } = m.message as PostedTruth;
        yield [key, { truth: { ...truth, values: mapValues(truth.values, tensorOf) }, inputs: mapValues(inputs, tensorOf) }] as const;
      }
    },
  };
}
