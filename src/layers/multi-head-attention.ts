import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import type { RotaryEmbedding } from './rotary-embedding.js';
import { appendKVCache, kvCacheLength, type KVCache } from './kv-cache.js';
import { scaledDotProductAttention } from '../ops/attention.js';
import { causalMask, paddingMask } from '../ops/masks.js';
import { ConfigError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { Rng } from '../utils/rng.js';
import { assertPositiveInteger } from './validate.js';

/** Queries, keys, values `[B, H, *, Dh]` and the cache to hand back (undefined when not asked for). */
type Projected = [tf.Tensor, tf.Tensor, tf.Tensor, KVCache | undefined];

/** Options of {@link MultiHeadAttention}. */
export interface MultiHeadAttentionOptions {
  /** Biases on the projections (default true; T5 has none). */
  readonly bias?: boolean;
  /** Dropout on the attention probabilities (default 0). */
  readonly dropout?: number;
  /** One `qkv` projection `[D, 3D]` as GPT-2 (default true); false: `query`, `key`, `value` as BERT/T5. */
  readonly fusedQkv?: boolean;
  /** Queries from `x`, keys and values from `context` (separate projections; default false). */
  readonly crossAttention?: boolean;
  /** Rotary embedding applied to queries and keys (self-attention). Not owned: dispose it yourself. */
  readonly rotary?: RotaryEmbedding;
  /** Scale scores by 1/sqrt(Dh) (default true; T5 folds it into the weights). */
  readonly scale?: boolean;
  /**
   * Per-head size Dh (default dim / numHeads, which numHeads must then divide). When given, the
   * projections are `[D, H·Dh]` and `out` is `[H·Dh, D]` (T5's `d_kv`: `H·Dh` may differ from D).
   */
  readonly headDim?: number;
  /** Init standard deviation of the input projections (default 0.02). */
  readonly initStd?: number;
  /** Init standard deviation of `out` (default `initStd`; GPT-2 uses 0.02 / sqrt(2 numLayers)). */
  readonly outInitStd?: number;
  /** Seed from which every child seed is derived. */
  readonly seed: number;
}

/** Options of {@link MultiHeadAttention.forward}. */
export interface MultiHeadAttentionForwardOptions {
  /** Enables attention dropout. */
  readonly training: boolean;
  /** Each query sees only keys at or before its position, offset by the cache length (self-attention). */
  readonly causal?: boolean;
  /** `[B, S]` 1/0 over all keys (cached and new for self-attention; the context for cross-attention). */
  readonly attentionMask?: tf.Tensor;
  /** `[B, S, D]` keys/values source; required for cross-attention unless `cache` holds its projection. */
  readonly context?: tf.Tensor;
  /** Additive bias broadcastable to `[B, H, T, S]` (T5 relative position bias). */
  readonly positionBias?: tf.Tensor;
  /** Keys/values from earlier calls; implies that an updated cache is returned. */
  readonly cache?: KVCache;
  /** Return a cache even though none was given (the first call of incremental decoding). */
  readonly useCache?: boolean;
}

/** Result of {@link MultiHeadAttention.forward} (a type alias so that tidy can return it). */
export type MultiHeadAttentionOutput = {
  /** `[B, T, D]` */
  readonly output: tf.Tensor;
  /** Present when `cache` or `useCache` was given; owned by the caller. */
  readonly cache?: KVCache;
};

/**
 * Multi-head attention with optional causal masking, padding masks, additive position bias,
 * rotary embeddings and a KV cache for incremental decoding.
 * Paper: https://arxiv.org/abs/1706.03762 (section 3.2.2)
 *
 * Caching: pass `useCache: true` on the first call to get `{ key, value }` back; pass that as
 * `cache` on the next call with only the new tokens. Self-attention appends the new keys/values
 * (the causal mask and rotary positions are offset by the cache length) and returns a new cache;
 * the caller disposes the old one. Cross-attention projects `context` once and returns the same
 * cache it was given afterwards (`disposeKVCache(old, next)` handles both cases).
 *
 * @example
 * ```ts
 * const attn = new MultiHeadAttention(16, 4, { seed: 1 });
 * const { output } = attn.forward(tf.ones([2, 5, 16]), { training: false, causal: true }); // [2, 5, 16]
 * attn.dispose();
 * ```
 */
export class MultiHeadAttention extends Module {
  /** Fused `[D, 3D]` projection, columns q | k | v (GPT-2 `c_attn`); with `fusedQkv`. */
  readonly qkv?: Linear;
  /** Query projection; without `fusedQkv` or with cross-attention. */
  readonly query?: Linear;
  /** Key projection; without `fusedQkv` or with cross-attention. */
  readonly key?: Linear;
  /** Value projection; without `fusedQkv` or with cross-attention. */
  readonly value?: Linear;
  /** Output projection `[H·Dh, D]` (`[D, D]` unless `headDim` is given). */
  readonly out: Linear;
  /** Dropout on attention probabilities. */
  readonly attnDropout: Dropout;
  /** Per-head size Dh: D / numHeads, or the `headDim` option. */
  readonly headDim: number;
  /** Width of the projected queries, keys and values, numHeads · headDim. */
  readonly innerDim: number;
  /** Whether keys and values come from a context. */
  readonly crossAttention: boolean;
  readonly #rotary: RotaryEmbedding | undefined;
  readonly #scale: boolean;

  /**
   * @param dim - model width D
   * @param numHeads - number of heads H; must divide D unless `headDim` is given
   * @throws ConfigError when numHeads does not divide dim (without `headDim`), or rotary is combined with cross-attention
   */
  constructor(readonly dim: number, readonly numHeads: number, options: MultiHeadAttentionOptions) {
    super();
    assertPositiveInteger('dim', dim);
    assertPositiveInteger('numHeads', numHeads);
    if (options.headDim === undefined) {
      assert(dim % numHeads === 0, ConfigError, () => `numHeads (${numHeads}) must divide dim (${dim})`);
    } else {
      assertPositiveInteger('headDim', options.headDim);
    }
    this.headDim = options.headDim ?? dim / numHeads;
    this.innerDim = numHeads * this.headDim;
    this.crossAttention = options.crossAttention ?? false;
    assert(!(this.crossAttention && options.rotary), ConfigError,
      () => 'rotary embeddings apply to self-attention only, not with crossAttention');
    assert(options.rotary === undefined || options.rotary.headDim === this.headDim, ConfigError,
      () => `rotary headDim (${options.rotary?.headDim}) must equal dim / numHeads (${this.headDim})`);
    const seeds = new Rng(options.seed);
    // Built first: its rate check throws before any variable exists.
    this.attnDropout = new Dropout(options.dropout ?? 0, { seed: seeds.nextSeed() });
    const bias = options.bias ?? true;
    const initStd = options.initStd ?? 0.02;
    const proj = (outFeatures: number): Linear =>
      new Linear(dim, outFeatures, { bias, initStd, seed: seeds.nextSeed() });
    if ((options.fusedQkv ?? true) && !this.crossAttention) {
      this.qkv = proj(3 * this.innerDim);
    } else {
      this.query = proj(this.innerDim);
      this.key = proj(this.innerDim);
      this.value = proj(this.innerDim);
    }
    this.out = new Linear(this.innerDim, dim, { bias, initStd: options.outInitStd ?? initStd, seed: seeds.nextSeed() });
    this.#rotary = options.rotary;
    this.#scale = options.scale ?? true;
  }

  /**
   * @param x - `[B, T, D]` (queries, and keys/values for self-attention)
   * @returns `{ output: [B, T, D], cache? }`; leaks nothing, the caller owns the returned tensors
   * @throws ShapeError on a bad input shape; ConfigError when `context` does not fit the mode
   */
  forward(x: tf.Tensor, options: MultiHeadAttentionForwardOptions): MultiHeadAttentionOutput {
    assert(x.rank === 3 && x.shape[2] === this.dim, ShapeError,
      () => `MultiHeadAttention expects x [B, T, ${this.dim}], got [${x.shape}]`);
    const { cache, context } = options;
    if (this.crossAttention) {
      assert(context !== undefined || cache !== undefined, ConfigError,
        () => 'cross-attention needs a context (or a cache holding its projection)');
      assert(context === undefined || (context.rank === 3 && context.shape[2] === this.dim), ShapeError,
        () => `context must be [B, S, ${this.dim}], got [${context?.shape}]`);
      assert(options.causal !== true, ConfigError, () => 'causal masking applies to self-attention only');
    } else {
      assert(context === undefined, ConfigError, () => 'context given to a self-attention layer');
    }
    return tf.tidy((): MultiHeadAttentionOutput => {
      const [q, k, v, next] = this.crossAttention ? this.crossProject(x, options) : this.selfProject(x, options);
      const t = x.shape[1] as number;
      const s = k.shape[2] as number;
      const masks: tf.Tensor[] = [];
      // A single query (a decoding step) is the last position: it sees every key, the mask is zeros.
      if (options.causal === true && t > 1) masks.push(causalMask(t, s, s - t));
      if (options.attentionMask !== undefined) masks.push(paddingMask(options.attentionMask));
      if (options.positionBias !== undefined) masks.push(options.positionBias);
      // Small masks are summed first so the [B, H, T, S] scores see one addition.
      const mask = masks.length === 0 ? undefined : masks.reduce((a, b) => tf.add(a, b));
      const attended = scaledDotProductAttention(q, k, v, {
        mask, scale: this.#scale, dropout: this.attnDropout.nextOptions(options.training),
      });
      // [B, H, T, Dh] -> [B, T, H, Dh], a mere reshape for one query (a decoding step)
      const byPosition = t === 1 ? attended : tf.transpose(attended, [0, 2, 1, 3]);
      const merged = tf.reshape(byPosition, [x.shape[0] as number, t, this.innerDim]); // [B, T, H, Dh] -> [B, T, H·Dh]
      const output = this.out.forward(merged);
      return next === undefined ? { output } : { output, cache: next };
    });
  }

  /** Splits `[B, T, D]` into heads `[B, H, T, Dh]`. */
  private splitHeads(x: tf.Tensor): tf.Tensor {
    const [b, t] = x.shape as [number, number, number];
    const split = tf.reshape(x, [b, t, this.numHeads, this.headDim]); // [B, T, D] -> [B, T, H, Dh]
    return tf.transpose(split, [0, 2, 1, 3]); // [B, T, H, Dh] -> [B, H, T, Dh]
  }

  /** Queries, keys and values (cache included) of self-attention, and the cache to return. */
  private selfProject(x: tf.Tensor, options: MultiHeadAttentionForwardOptions): Projected {
    let q: tf.Tensor, k: tf.Tensor, v: tf.Tensor;
    if (this.qkv !== undefined) {
      const [b, t] = x.shape as [number, number, number];
      // [B, T, 3D] -> [B, T, 3, H, Dh]
      const fused = tf.reshape(this.qkv.forward(x), [b, t, 3, this.numHeads, this.headDim]);
      const stacked = tf.transpose(fused, [2, 0, 3, 1, 4]); // [B, T, 3, H, Dh] -> [3, B, H, T, Dh]
      [q, k, v] = tf.unstack(stacked) as [tf.Tensor, tf.Tensor, tf.Tensor];
    } else {
      q = this.splitHeads((this.query as Linear).forward(x));
      k = this.splitHeads((this.key as Linear).forward(x));
      v = this.splitHeads((this.value as Linear).forward(x));
    }
    const past = kvCacheLength(options.cache);
    if (this.#rotary !== undefined) {
      q = this.#rotary.apply(q, past);
      k = this.#rotary.apply(k, past);
    }
    const full = appendKVCache(options.cache, k, v);
    const keep = options.cache !== undefined || options.useCache === true;
    return [q, full.key, full.value, keep ? full : undefined];
  }

  /** Queries from `x`, keys and values from the context or its cached projection. */
  private crossProject(x: tf.Tensor, options: MultiHeadAttentionForwardOptions): Projected {
    const q = this.splitHeads((this.query as Linear).forward(x));
    const projected = options.cache ?? {
      key: this.splitHeads((this.key as Linear).forward(options.context as tf.Tensor)),
      value: this.splitHeads((this.value as Linear).forward(options.context as tf.Tensor)),
    };
    const keep = options.cache !== undefined || options.useCache === true;
    return [q, projected.key, projected.value, keep ? projected : undefined];
  }
}
