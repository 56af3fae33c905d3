import type * as tf from '@tensorflow/tfjs-core';

/** What a {@link NextFn} returns for one decoding step. */
export interface NextResult<C> {
  /** `[B, V]` logits of the token after the last position; the generate loop disposes them. */
  readonly logits: tf.Tensor;
  /** The model's state after consuming the tokens (e.g. a KV cache), passed to the next call. */
  readonly cache: C;
}

/**
 * The only view of a model the generation loop has (as keras-hub's samplers): feed it new tokens
 * and the previous cache, get the next-token logits and a new cache.
 *
 * Ownership: the loop creates `tokens` and disposes it as soon as the call returns, so the
 * function must not keep it. The returned cache belongs to the loop, which passes it to the next
 * call and then disposes it with the `disposeCache` option — so a new cache must not share tensors
 * with the one it replaces (returning the very same cache object is allowed: it is then not
 * disposed until the end).
 *
 * @typeParam C - the cache type, chosen by the model
 * @param tokens - int32 `[B, t]`: the whole prompt on the first call (`cache` null), then `[B, 1]`
 * @param cache - null on the first call, then the cache returned by the previous call
 * @example
 * ```ts
 * // A model without a cache: re-run the whole sequence each step.
 * let seq: tf.Tensor | null = null;
 * const next: NextFn<null> = (tokens) => {
 *   const all = seq === null ? tf.clone(tokens) : tf.concat([seq, tokens], 1);
 *   seq?.dispose();
 *   seq = all;
 *   return { logits: model.lastLogits(all), cache: null };
 * };
 * ```
 */
export type NextFn<C> = (tokens: tf.Tensor, cache: C | null) => NextResult<C>;
