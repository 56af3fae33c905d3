import * as tf from '@tensorflow/tfjs-core';
import type { KVCache } from '../../layers/kv-cache.js';

/**
 * What {@link GPTCausalLM.next} carries between decoding steps: per-block keys and values, and the
 * tokens they belong to (needed to re-encode a cropped window once the context is full).
 */
export interface GPTGenerationCache {
  /** One key/value cache per block, `[B, H, S, Dh]` each. */
  readonly layers: KVCache[];
  /** Every token seen so far, `[B, S_total]` int32. */
  readonly tokens: tf.Tensor2D;
  /** `[B, S_total]` int32, 0 at left padding; absent when no prompt was padded. */
  readonly attentionMask?: tf.Tensor2D;
  /**
   * `[D, V]` the tied head's weight (the token embedding) transposed once, on the first step, so
   * that every step's logits are an upright `[B, D] @ [D, V]` product: on wasm its packing is then
   * kept between steps instead of redone each token. Each cache holds its own reference (same data).
   * A snapshot: weights changed during a generation are not seen, as keys and values already cached.
   */
  readonly headWeight?: tf.Tensor2D;
}

/**
 * Hugging Face GPT-2's position ids for a padded batch: `cumsum(mask) - 1` along each row, and 1 at
 * padding (any valid position would do there: padding is masked).
 * @param attentionMask - `[B, T]` 1 for real tokens, 0 for padding
 * @returns `[B, T]` int32 positions; the caller disposes them
 * @example
 * ```ts
 * gptPositionIds(tf.tensor2d([[0, 0, 1, 1]], undefined, 'int32')); // [[1, 1, 0, 1]]
 * ```
 */
export function gptPositionIds(attentionMask: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const mask = tf.cast(attentionMask, 'int32');
    const positions = tf.sub(tf.cumsum(mask, 1), 1);
    return tf.where(tf.equal(mask, 0), tf.onesLike(positions), positions) as tf.Tensor2D;
  });
}

/**
 * Frees the tensors of a {@link GPTGenerationCache}.
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const prompt = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
 * const { logits, cache } = model.next(prompt, null);
 * disposeGPTCache(cache);
 * tf.dispose([logits, prompt]);
 * ```
 */
export function disposeGPTCache(cache: GPTGenerationCache): void {
  cache.tokens.dispose();
  cache.attentionMask?.dispose();
  cache.headWeight?.dispose();
  for (const layer of cache.layers) {
    layer.key.dispose();
    layer.value.dispose();
  }
}

/**
 * Selects batch rows of a {@link GPTGenerationCache} for beam search: row `i` of the result is row
 * `indices[i]` of `cache` (a `tf.gather` on the batch axis of every per-row tensor; the head
 * weight is cloned). The result shares no tensors with `cache`, which is not disposed.
 * @param cache - the cache to select from
 * @param indices - source row of each result row (rows may repeat)
 * @returns a new cache the caller owns
 * @example
 * ```ts
 * declare const cache: GPTGenerationCache;
 * const doubled = reorderGPTCache(cache, [0, 0, 1, 1]); // two beams per prompt
 * ```
 */
export function reorderGPTCache(cache: GPTGenerationCache, indices: number[]): GPTGenerationCache {
  return tf.tidy(() => {
    const rows = tf.tensor1d(indices, 'int32');
    const pick = <T extends tf.Tensor>(x: T): T => tf.gather(x, rows) as T; // [B, ...] -> [indices.length, ...]
    return {
      layers: cache.layers.map((layer) => ({ key: pick(layer.key), value: pick(layer.value) })),
      tokens: pick(cache.tokens),
      ...(cache.attentionMask === undefined ? {} : { attentionMask: pick(cache.attentionMask) }),
      ...(cache.headWeight === undefined ? {} : { headWeight: tf.clone(cache.headWeight) }),
    };
  });
}
