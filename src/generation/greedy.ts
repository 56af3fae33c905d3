import * as tf from '@tensorflow/tfjs-core';
import { assertLogits } from './assert-logits.js';

/**
 * Greedy decoding: the most likely token of each row (the first one on ties).
 *
 * @param logits - `[B, V]` next-token logits; not disposed
 * @returns one token id per row
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * await greedy(tf.tensor2d([[0, 3, 1], [5, 1, 2]])); // [1, 0]
 * ```
 */
export async function greedy(logits: tf.Tensor): Promise<number[]> {
  assertLogits(logits, 'greedy');
  const ids = tf.tidy(() => tf.argMax(logits, 1)); // [B]
  try {
    return Array.from(await ids.data());
  } finally {
    ids.dispose();
  }
}
