import * as tf from '@tensorflow/tfjs-core';
import type { KVCache } from '../../layers/kv-cache.js';

/**
 * What {@link T5Seq2SeqLM.decoderNext}'s step function carries between decoding steps. Every
 * cache owns its tensors (steps hand on new handles of the unchanged cross-attention tensors,
 * which share their data), so {@link disposeT5Cache} frees a replaced cache whole.
 */
// A type alias rather than an interface so that it is a `tf.TensorContainer` (tidy can return it).
export type T5DecoderCache = {
  /** Decoder self-attention keys/values, one per block, `[B, H, L, Dh]`; grows by one position per step. */
  readonly selfAttention: KVCache[];
  /** Cross-attention keys/values of the encoder output, one per block, `[B, H, S, Dh]`; computed once. */
  readonly crossAttention: KVCache[];
  /** `[B, S]` int32 encoder attention mask. */
  readonly encoderMask: tf.Tensor2D;
  /**
   * `[D, V]` the tied head's weight (the shared embedding) transposed once, on the first step, so
   * that every step's logits are an upright `[B, D] @ [D, V]` product whose packing wasm keeps
   * instead of a transposed one redone each token; absent for an untied head (v1.1's `lmHead`,
   * upright already). Each cache holds its own reference (same data). A snapshot: weights changed
   * during a generation are not seen, as the keys and values already cached.
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * const { logits, cache } = model.decoderNext([[5, 6, 1]])(tf.tensor2d([[0]], undefined, 'int32'), null);
   * cache.headWeight?.shape; // [D, V] when the head is tied (T5 v1.0), undefined for v1.1
   * ```
   */
  readonly headWeight?: tf.Tensor2D;
};

/**
 * Frees the tensors of a {@link T5DecoderCache}.
 * @example
 * ```ts
 * declare const model: T5Seq2SeqLM;
 * const next = model.decoderNext([[5, 6, 1]]);
 * const { logits, cache } = next(tf.tensor2d([[0]], undefined, 'int32'), null);
 * disposeT5Cache(cache);
 * logits.dispose();
 * ```
 */
export function disposeT5Cache(cache: T5DecoderCache): void {
  tf.dispose([cache.encoderMask, ...[...cache.selfAttention, ...cache.crossAttention].flatMap((c) => [c.key, c.value])]);
  cache.headWeight?.dispose();
}

/**
 * Selects batch rows of a {@link T5DecoderCache} for beam search: row `i` of the result is row
 * `indices[i]` of `cache`, for self-attention, cross-attention and the encoder mask alike (as
 * Hugging Face's `_reorder_cache`); the head weight is cloned. The result shares no tensors with
 * `cache`, which is not disposed.
 * @param cache - the cache to select from
 * @param indices - source row of each result row (rows may repeat)
 * @returns a new cache the caller owns
 * @example
 * ```ts
 * declare const cache: T5DecoderCache;
 * const beams = reorderT5Cache(cache, [0, 0, 0]); // three beams of one prompt
 * ```
 */
export function reorderT5Cache(cache: T5DecoderCache, indices: number[]): T5DecoderCache {
  return tf.tidy(() => {
    const rows = tf.tensor1d(indices, 'int32');
    const pick = <T extends tf.Tensor>(x: T): T => tf.gather(x, rows) as T; // [B, ...] -> [indices.length, ...]
    const pickAll = (layers: KVCache[]): KVCache[] => layers.map((c) => ({ key: pick(c.key), value: pick(c.value) }));
    return {
      selfAttention: pickAll(cache.selfAttention),
      crossAttention: pickAll(cache.crossAttention),
      encoderMask: pick(cache.encoderMask),
      ...(cache.headWeight === undefined ? {} : { headWeight: tf.clone(cache.headWeight) }),
    };
  });
}
