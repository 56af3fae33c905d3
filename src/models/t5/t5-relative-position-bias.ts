import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../../layers/module.js';
import { assertPositiveInteger } from '../../layers/validate.js';
import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';

const f32 = Math.fround;

/**
 * T5's bucket of a relative position `key - query` (Hugging Face `_relative_position_bucket`):
 * exact buckets for small distances, logarithmically wider ones up to `maxDistance`, one bucket
 * for everything beyond. Bidirectional (encoder): half of the buckets for keys after the query.
 * Unidirectional (decoder): keys after the query share bucket 0. The logarithm is evaluated in
 * float32 steps, as PyTorch does, so boundary distances (where the exact value is an integer)
 * fall in the same bucket as in the reference.
 * @param relativePosition - key position minus query position (an integer)
 * @param bidirectional - true in the encoder, false in the decoder
 * @param numBuckets - relative_attention_num_buckets
 * @param maxDistance - relative_attention_max_distance
 * @returns the bucket, in [0, numBuckets)
 * @example
 * ```ts
 * t5RelativePositionBucket(-3, false, 32, 128); // 3
 * t5RelativePositionBucket(3, true, 32, 128); // 19
 * ```
 */
export function t5RelativePositionBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let offset = 0;
  let buckets = numBuckets;
  let distance: number;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relativePosition > 0) offset = buckets;
    distance = Math.abs(relativePosition);
  } else {
    distance = -Math.min(relativePosition, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (distance < maxExact) return offset + distance;
  // float32 like torch: log(d / maxExact) / log(maxDistance / maxExact) * (buckets - maxExact)
  const ratio = f32(f32(Math.log(f32(f32(distance) / maxExact))) / f32(Math.log(maxDistance / maxExact)));
  const large = maxExact + Math.trunc(f32(ratio * (buckets - maxExact)));
  return offset + Math.min(large, buckets - 1);
}

/** Options of {@link T5RelativePositionBias}. */
export interface T5RelativePositionBiasOptions {
  /** Encoder (true) or causal decoder (false) bucketing. */
  readonly bidirectional: boolean;
  /** relative_attention_max_distance. */
  readonly maxDistance: number;
  /** Standard deviation of the normal init (HF: initializer_factor · d_model^-0.5). */
  readonly initStd: number;
  /** Seed of the init. */
  readonly seed: number;
}

/**
 * T5's learned relative position bias: one scalar per (bucket, head), added to the attention
 * scores of every layer of a stack (computed once by the stack, shared by its blocks).
 * Parameter `weight` is `[numBuckets, numHeads]`, Hugging Face's `relative_attention_bias.weight`.
 *
 * @example
 * ```ts
 * const bias = new T5RelativePositionBias(32, 8, { bidirectional: true, maxDistance: 128, initStd: 0.05, seed: 1 });
 * const b = bias.forward(5, 5); // [1, 8, 5, 5]
 * ```
 */
export class T5RelativePositionBias extends Module {
  /** `[numBuckets, numHeads]` bias per bucket and head. */
  readonly weight: tf.Variable;
  /** Encoder (true) or decoder (false) bucketing. */
  readonly bidirectional: boolean;
  /** Distance beyond which positions share the last bucket. */
  readonly maxDistance: number;

  /**
   * @param numBuckets - relative_attention_num_buckets (at least 4)
   * @param numHeads - attention heads
   * @throws ConfigError on sizes that are not positive integers or fewer than 4 buckets
   */
  constructor(readonly numBuckets: number, readonly numHeads: number, options: T5RelativePositionBiasOptions) {
    super();
    assertPositiveInteger('numBuckets', numBuckets);
    assertPositiveInteger('numHeads', numHeads);
    assert(numBuckets >= 4, ConfigError, () => `relative attention numBuckets (${numBuckets}) must be at least 4`);
    assertPositiveInteger('maxDistance', options.maxDistance);
    this.bidirectional = options.bidirectional;
    this.maxDistance = options.maxDistance;
    this.weight = this.createNormalParameter([numBuckets, numHeads], options.initStd, options.seed);
  }

  /**
   * Bucket index of every (query, key) pair, queries at positions `offset .. offset + queryLength - 1`.
   * @returns `[queryLength · keyLength]` row-major
   */
  buckets(queryLength: number, keyLength: number, offset = 0): Int32Array {
    for (const [name, value] of [['queryLength', queryLength], ['keyLength', keyLength], ['offset', offset]] as const) {
      assert(Number.isInteger(value) && value >= 0, RangeArgumentError, () => `${name} (${value}) must be a non-negative integer`);
    }
    const out = new Int32Array(queryLength * keyLength);
    for (let i = 0; i < queryLength; i++) {
      for (let j = 0; j < keyLength; j++) {
        out[i * keyLength + j] = t5RelativePositionBucket(j - (offset + i), this.bidirectional, this.numBuckets, this.maxDistance);
      }
    }
    return out;
  }

  /**
   * @param queryLength - T, number of queries
   * @param keyLength - S, number of keys
   * @param offset - absolute position of the first query (cached decoder positions)
   * @returns `[1, H, T, S]` additive attention bias; the caller disposes it
   */
  forward(queryLength: number, keyLength: number, offset = 0): tf.Tensor4D {
    const buckets = this.buckets(queryLength, keyLength, offset);
    return tf.tidy(() => {
      const rows = tf.gather(this.weight, tf.tensor1d(buckets, 'int32')); // [T·S, H]
      const grid = tf.reshape(rows, [1, queryLength, keyLength, this.numHeads]); // [T·S, H] -> [1, T, S, H]
      return tf.transpose(grid, [0, 3, 1, 2]) as tf.Tensor4D; // [1, T, S, H] -> [1, H, T, S]
    });
  }
}
