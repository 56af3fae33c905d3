import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../utils/rng.js';
import { assertLogits } from './assert-logits.js';

/**
 * Draws one token per row from `softmax(logits)`. The probabilities are read back and the draw is
 * made on the JS side with `rng.nextFloat()` (one number per row, in row order), so equal seeds
 * give equal tokens on every backend. A token of probability 0 (a masked logit) is never drawn.
 *
 * @param logits - `[B, V]` next-token logits, after any temperature / top-k / top-p; not disposed
 * @param rng - the seeded generator to draw from (advanced by B numbers)
 * @returns one token id per row
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * const rng = new Rng(7);
 * await sample(tf.tensor2d([[0, 0, 5]]), rng); // [2] most of the time
 * ```
 */
export async function sample(logits: tf.Tensor, rng: Rng): Promise<number[]> {
  assertLogits(logits, 'sample');
  const [batch, vocab] = logits.shape;
  const probs = tf.tidy(() => tf.softmax(logits)); // [B, V]
  let values: ArrayLike<number>;
  try {
    values = await probs.data();
  } finally {
    probs.dispose();
  }
  const tokens: number[] = [];
  for (let b = 0; b < batch; b++) {
    const row = b * vocab;
    let total = 0;
    let last = 0;
    for (let i = 0; i < vocab; i++) {
      const pr = values[row + i] as number;
      total += pr;
      if (pr > 0) last = i;
    }
    // Scaling by the row's own total makes float32 rounding of the softmax irrelevant.
    const u = rng.nextFloat() * total;
    let token = last;
    let cumulative = 0;
    for (let i = 0; i < vocab; i++) {
      cumulative += values[row + i] as number;
      if (u < cumulative) {
        token = i;
        break;
      }
    }
    tokens.push(token);
  }
  return tokens;
}
