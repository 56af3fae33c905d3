import type * as tf from '@tensorflow/tfjs-core';

/** What a {@link NextFn} returns for one decoding step. */
export interface NextResult<C> {
  /** `[B, V]` logits of the token after the last position; the generate loop disposes them. */
  readonly logits: tf.Tensor;
  /** The model's state after consuming the tokens (e.g. a KV cache), passed to the next call. */
  readonly cache: C;
}

/** Extra inputs of the first {@link NextFn} call. */
export interface NextOptions {
  /**
   * `[B, T]` 1 for real prompt tokens, 0 for the left padding of shorter prompts; given only when
   * prompts differ in length. The model keeps it (and extends it with ones) for later steps, and
   * numbers positions from each row's first real token. Owned by the loop: copy what you keep.
   */
  readonly attentionMask?: tf.Tensor;
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
 * @param tokens - int32 `[B, t]`: the whole (left-padded) prompt on the first call (`cache` null), then `[B, 1]`
 * @param cache - null on the first call, then the cache returned by the previous call
 * @param options - on the first call, the prompt's attention mask when prompts were padded
 * @example
 * ```ts
 * // A model without a cache: re-run the whole sequence each step.
 * declare const model: GPTCausalLM;
 * let seq: tf.Tensor2D | null = null;
 * const next: NextFn<null> = (tokens) => {
 *   const all = (seq === null ? tf.clone(tokens) : tf.concat([seq, tokens], 1)) as tf.Tensor2D;
 *   seq?.dispose();
 *   seq = all;
 *   const logits = tf.tidy(() => {
 *     const perPosition = model.logits(all, { training: false }); // [B, T, V]
 *     return tf.squeeze(tf.slice(perPosition, [0, perPosition.shape[1] - 1, 0], [-1, 1, -1]), [1]); // last position: [B, V]
 *   });
 *   return { logits, cache: null };
 * };
 * ```
 */
export type NextFn<C> = (tokens: tf.Tensor, cache: C | null, options?: NextOptions) => NextResult<C>;

/**
 * Selects batch rows of a cache, for beam search: row `i` of the result is row `indices[i]` of
 * `cache` (rows may repeat or vanish). Returns a new cache that shares no tensors with `cache`,
 * which the loop then disposes.
 *
 * @example
 * ```ts
 * const reorderCache: ReorderCacheFn<tf.Tensor> = (c, idx) => tf.gather(c, idx);
 * ```
 */
export type ReorderCacheFn<C> = (cache: C, indices: number[]) => C;
