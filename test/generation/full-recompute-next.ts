import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { NextFn } from '../../src/generation/next-fn.js';
import type { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { disposeGPTCache } from '../../src/models/gpt/gpt-generation-cache.js';

/**
 * A NextFn over `model.logits` that re-encodes the whole (unpadded, equal-length) sequence each
 * step: decoding without a KV cache, the reference cached decoding must reproduce.
 */
export function fullRecomputeNext(model: GPTCausalLM): NextFn<tf.Tensor2D> {
  return (tokens, cache) => {
    const all = (cache === null ? tf.clone(tokens) : tf.concat([cache, tokens], 1)) as tf.Tensor2D;
    const logits = tf.tidy(() => {
      const l = model.logits(all, { training: false });
      return tf.squeeze(tf.slice(l, [0, l.shape[1] - 1, 0], [-1, 1, -1]), [1]); // [B, T, V] -> [B, V]
    });
    return { logits, cache: all };
  };
}

/**
 * Feeds `seq` through the KV cache (the first `promptLength` tokens at once, then one at a time)
 * and expects every step's logits within `tolerance` of one full forward pass over `seq`.
 */
export async function expectCachedStepsMatchFull(model: GPTCausalLM, seq: readonly number[], promptLength: number, tolerance: number): Promise<void> {
  const fullLogits = model.logits(tf.tensor2d([[...seq]], undefined, 'int32'), { training: false });
  const full = await fullLogits.array() as number[][][];
  fullLogits.dispose();
  let step = model.next(tf.tensor2d([seq.slice(0, promptLength)], undefined, 'int32'), null);
  for (let t = promptLength; ; t++) {
    const got = await step.logits.data();
    full[0]![t - 1]!.forEach((v, k) => expect(Math.abs(got[k]! - v)).toBeLessThan(tolerance));
    step.logits.dispose();
    if (t === seq.length) break;
    const previous = step.cache;
    step = model.next(tf.tensor2d([[seq[t]!]], undefined, 'int32'), previous);
    disposeGPTCache(previous);
  }
  disposeGPTCache(step.cache);
}
