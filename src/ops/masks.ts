import * as tf from '@tensorflow/tfjs-core';
import { RangeArgumentError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

/**
 * The additive value that blocks a position. Large and finite rather than `-Infinity`: a row whose
 * keys are all blocked then softmaxes to a uniform row instead of NaN, and two masks can be added
 * without overflow.
 */
export const MASK_VALUE = -1e9;

/**
 * Additive causal mask: query `i` (at absolute position `offset + i`) may attend to keys at
 * positions `<= offset + i`. With a KV cache of length `offset`, `keyLength` is
 * `offset + queryLength`. Combine masks by adding them.
 *
 * @param queryLength - number of queries Tq
 * @param keyLength - number of keys Tk
 * @param offset - absolute position of the first query (default 0)
 * @returns float32 `[1, 1, Tq, Tk]`, 0 where allowed and {@link MASK_VALUE} where not
 * @example
 * ```ts
 * causalMask(2, 3, 1); // [[[[0, 0, -1e9], [0, 0, 0]]]]
 * ```
 */
export function causalMask(queryLength: number, keyLength: number, offset = 0): tf.Tensor4D {
  for (const [name, value] of [['queryLength', queryLength], ['keyLength', keyLength], ['offset', offset]] as const) {
    assert(Number.isInteger(value) && value >= 0, RangeArgumentError,
      () => `${name} (${value}) must be a non-negative integer`);
  }
  // Built on the host: one upload instead of a chain of small kernels.
  const data = new Float32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) {
    const firstBlocked = Math.max(0, offset + i + 1);
    if (firstBlocked < keyLength) data.fill(MASK_VALUE, i * keyLength + firstBlocked, (i + 1) * keyLength);
  }
  return tf.tensor4d(data, [1, 1, queryLength, keyLength]);
}

/**
 * Additive padding mask over keys from a 0/1 attention mask (1 = real token, 0 = padding), the
 * `attention_mask` of Hugging Face tokenizers.
 *
 * @param attentionMask - `[B, S]` of 1/0, any numeric dtype
 * @returns float32 `[B, 1, 1, S]`, 0 for real tokens and {@link MASK_VALUE} for padding
 * @throws ShapeError unless the mask has rank 2
 * @example
 * ```ts
 * paddingMask(tf.tensor2d([[1, 1, 0]])); // [[[[0, 0, -1e9]]]]
 * ```
 */
export function paddingMask(attentionMask: tf.Tensor): tf.Tensor4D {
  assert(attentionMask.rank === 2, ShapeError,
    () => `attentionMask must be [batch, keys], got shape [${attentionMask.shape}]`);
  return tf.tidy(() => {
    const [b, s] = attentionMask.shape as [number, number];
    // (m - 1) * -MASK_VALUE: +0 (not -0) where m is 1.
    const additive = tf.mul(tf.sub(tf.cast(attentionMask, 'float32'), 1), -MASK_VALUE);
    return tf.reshape(additive, [b, 1, 1, s]); // [B, S] -> [B, 1, 1, S]
  });
}
