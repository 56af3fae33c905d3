import * as tf from '@tensorflow/tfjs-core';

/**
 * Keys and values of one attention layer for the positions seen so far, for incremental decoding.
 * For self-attention it grows by the new positions on every call; for cross-attention it holds
 * the projected encoder output, computed once. Whoever receives a cache from a forward call owns
 * it and disposes it (see {@link disposeKVCache}).
 *
 * @example
 * ```ts
 * const attn = new MultiHeadAttention(16, 4, { seed: 1 });
 * const prompt = attn.forward(tf.ones([1, 5, 16]), { training: false, causal: true, useCache: true });
 * const step = attn.forward(tf.ones([1, 1, 16]), { training: false, causal: true, cache: prompt.cache }); // one new token
 * kvCacheLength(step.cache); // 6
 * disposeKVCache(prompt.cache!, step.cache);
 * tf.dispose([prompt.output, step.output, step.cache!.key, step.cache!.value]);
 * attn.dispose();
 * ```
 */
// A type alias rather than an interface so that it is a `tf.TensorContainer` (tidy can return it).
export type KVCache = {
  /** `[B, H, S, Dh]` */
  readonly key: tf.Tensor;
  /** `[B, H, S, Dh]` */
  readonly value: tf.Tensor;
};

/**
 * Number of positions held in a cache (0 for none).
 *
 * @example
 * ```ts
 * kvCacheLength(undefined); // 0
 * ```
 */
export function kvCacheLength(cache: KVCache | undefined): number {
  return cache === undefined ? 0 : (cache.key.shape[2] as number);
}

/**
 * Appends new keys and values after the cached ones along the position axis.
 *
 * @param cache - previous cache or undefined; not disposed
 * @param key - new keys `[B, H, T, Dh]`
 * @param value - new values `[B, H, T, Dh]`
 * @returns `{ key, value }` of `[B, H, S + T, Dh]` (new tensors when a cache was given)
 * @example
 * ```ts
 * const first = appendKVCache(undefined, tf.zeros([1, 2, 3, 4]), tf.zeros([1, 2, 3, 4])); // holds the given tensors
 * const next = appendKVCache(first, tf.ones([1, 2, 1, 4]), tf.ones([1, 2, 1, 4]));
 * kvCacheLength(next); // 4
 * ```
 */
export function appendKVCache(cache: KVCache | undefined, key: tf.Tensor, value: tf.Tensor): KVCache {
  if (cache === undefined) return { key, value };
  return tf.tidy(() => ({
    key: tf.concat([cache.key, key], 2), // [B, H, S, Dh] + [B, H, T, Dh] -> [B, H, S+T, Dh]
    value: tf.concat([cache.value, value], 2),
  }));
}

/**
 * Disposes a cache's tensors, except those also held by `keep` (a cross-attention layer returns
 * the cache it was given, so old and new may share tensors).
 *
 * @param cache - the cache to free
 * @param keep - a cache that stays alive, typically the one just returned by forward
 * @example
 * ```ts
 * declare const attn: MultiHeadAttention, x: tf.Tensor; // x: [B, 1, D], the newest token
 * declare let cache: KVCache; // from the previous step
 * const step = attn.forward(x, { training: false, causal: true, cache });
 * disposeKVCache(cache, step.cache);
 * cache = step.cache!;
 * ```
 */
export function disposeKVCache(cache: KVCache, keep?: KVCache): void {
  for (const t of [cache.key, cache.value]) {
    if (t !== keep?.key && t !== keep?.value) t.dispose();
  }
}
