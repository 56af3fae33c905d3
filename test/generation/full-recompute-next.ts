import * as tf from '@tensorflow/tfjs-core';
import type { NextFn } from '../../src/generation/next-fn.js';
import type { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';

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
