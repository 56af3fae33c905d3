import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { LayerNorm } from './layer-norm.js';
import { RMSNorm } from './rms-norm.js';
import { Dropout } from './dropout.js';
import { FeedForward } from './feed-forward.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { Linear } from './linear.js';
import type { RotaryEmbedding } from './rotary-embedding.js';
import type { KVCache } from './kv-cache.js';
import type { ActivationName } from '../ops/activations.js';
import { ConfigError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { Rng } from '../utils/rng.js';
import { recompute } from './recompute.js';

/** Options of {@link TransformerBlock}. */
export interface TransformerBlockOptions {
  /** 'pre': x + f(norm(x)) (GPT-2, T5, LLaMA; default); 'post': norm(x + f(x)) (original, BERT). */
  readonly normPosition?: 'pre' | 'post';
  /** 'layer' (LayerNorm, default) or 'rms' (RMSNorm). */
  readonly norm?: 'layer' | 'rms';
  /** Norm epsilon (default 1e-5 for 'layer', 1e-6 for 'rms'). */
  readonly eps?: number;
  /** Feed-forward activation (default 'gelu'). */
  readonly activation?: ActivationName;
  /** Gated feed-forward (default false). */
  readonly gated?: boolean;
  /** Biases on all projections (default true). */
  readonly bias?: boolean;
  /** Dropout on attention probabilities and on every residual branch (default 0). */
  readonly dropout?: number;
  /** Dropout on attention probabilities alone, when it differs from `dropout` (BERT; default `dropout`). */
  readonly attentionDropout?: number;
  /** Fused `qkv` projection for self-attention (default true). */
  readonly fusedQkv?: boolean;
  /** Causal self-attention (default false). */
  readonly causal?: boolean;
  /** Add a cross-attention sub-layer over a context (encoder-decoder; default false). */
  readonly crossAttention?: boolean;
  /** Rotary embedding for self-attention. Not owned: dispose it yourself. */
  readonly rotary?: RotaryEmbedding;
  /** Scale attention scores by 1/sqrt(Dh) (default true; false for T5). */
  readonly scale?: boolean;
  /** Per-head size of both attentions (default dim / numHeads; T5's `d_kv`: H·Dh may differ from dim). */
  readonly headDim?: number;
  /** Dropout on the feed-forward hidden activations, as T5 (default 0). */
  readonly feedForwardDropout?: number;
  /** Init standard deviation of the projections (default 0.02). */
  readonly initStd?: number;
  /** Init standard deviation of the projections that feed the residual stream (default `initStd`). */
  readonly residualInitStd?: number;
  /** Seed from which every child seed is derived. */
  readonly seed: number;
}

/** Options of {@link TransformerBlock.forward}. */
export interface TransformerBlockForwardOptions {
  /** Enables dropout. */
  readonly training: boolean;
  /** `[B, S]` 1/0 padding mask over self-attention keys (cached and new). */
  readonly attentionMask?: tf.Tensor;
  /** `[B, S, D]` encoder output; required with cross-attention unless `crossCache` is given. */
  readonly context?: tf.Tensor;
  /** `[B, S]` 1/0 padding mask over the context. */
  readonly contextMask?: tf.Tensor;
  /** Additive self-attention bias broadcastable to `[B, H, T, S]` (T5). */
  readonly positionBias?: tf.Tensor;
  /** Self-attention keys/values from earlier calls. */
  readonly cache?: KVCache;
  /** Cross-attention keys/values (the projected context) from an earlier call. */
  readonly crossCache?: KVCache;
  /** Return caches even though none were given. */
  readonly useCache?: boolean;
  /**
   * Activation recomputation (gradient checkpointing): keep only the block's inputs during the
   * forward pass and run the block again in the backward pass (see {@link recompute}), with the
   * same dropout masks. Less memory, one more forward pass of the block; for training (no caches).
   * @example
   * ```ts
   * declare const block: TransformerBlock, x: tf.Tensor;
   * const { output } = block.forward(x, { training: true, recompute: true });
   * ```
   */
  readonly recompute?: boolean;
}

/** Result of {@link TransformerBlock.forward} (a type alias so that tidy can return it). */
export type TransformerBlockOutput = {
  /** `[B, T, D]` */
  readonly output: tf.Tensor;
  /** Self-attention cache, when `cache` or `useCache` was given; owned by the caller. */
  readonly cache?: KVCache;
  /** Cross-attention cache, with cross-attention when `crossCache` or `useCache` was given. */
  readonly crossCache?: KVCache;
};

/**
 * One Transformer layer: self-attention, optional cross-attention, feed-forward, each wrapped in
 * a residual connection with normalisation before (pre-LN, GPT-2: `x + f(norm(x))`) or after
 * (post-LN, BERT: `norm(x + f(x))`) it, and dropout on each residual branch.
 * Attributes: `ln1`, `attn`, (`lnCross`, `crossAttn`), `ln2`, `mlp`.
 * Papers: https://arxiv.org/abs/1706.03762, https://arxiv.org/abs/2002.04745 (pre-LN)
 *
 * @example
 * ```ts
 * const block = new TransformerBlock(16, 4, 64, { causal: true, activation: 'gelu_tanh', seed: 1 });
 * const { output } = block.forward(tf.ones([2, 5, 16]), { training: false }); // [2, 5, 16]
 * block.dispose();
 * ```
 */
export class TransformerBlock extends Module {
  /** Norm of the self-attention sub-layer. */
  readonly ln1: LayerNorm | RMSNorm;
  /** Self-attention. */
  readonly attn: MultiHeadAttention;
  /** Norm of the cross-attention sub-layer; with cross-attention. */
  readonly lnCross?: LayerNorm | RMSNorm;
  /** Cross-attention; with cross-attention. */
  readonly crossAttn?: MultiHeadAttention;
  /** Norm of the feed-forward sub-layer. */
  readonly ln2: LayerNorm | RMSNorm;
  /** Feed-forward network. */
  readonly mlp: FeedForward;
  /** Dropout on residual branches. */
  readonly residualDropout: Dropout;
  /** Whether self-attention is causal. */
  readonly causal: boolean;
  /** 'pre' or 'post' normalisation. */
  readonly normPosition: 'pre' | 'post';

  /**
   * @param dim - model width D
   * @param numHeads - attention heads; must divide D
   * @param hiddenDim - feed-forward inner width
   * @throws ConfigError on inconsistent sizes or unknown option values
   */
  constructor(dim: number, numHeads: number, hiddenDim: number, options: TransformerBlockOptions) {
    super();
    const seeds = new Rng(options.seed);
    this.normPosition = options.normPosition ?? 'pre';
    assert(this.normPosition === 'pre' || this.normPosition === 'post', ConfigError,
      () => `normPosition (${JSON.stringify(options.normPosition)}) must be 'pre' or 'post'`);
    const normKind = options.norm ?? 'layer';
    assert(normKind === 'layer' || normKind === 'rms', ConfigError,
      () => `norm (${JSON.stringify(options.norm)}) must be 'layer' or 'rms'`);
    const makeNorm = (): LayerNorm | RMSNorm => normKind === 'layer'
      ? new LayerNorm(dim, { eps: options.eps ?? 1e-5 })
      : new RMSNorm(dim, { eps: options.eps ?? 1e-6 });
    const dropout = options.dropout ?? 0;
    const attnOptions = {
      bias: options.bias ?? true,
      dropout: options.attentionDropout ?? dropout,
      scale: options.scale ?? true,
      initStd: options.initStd ?? 0.02,
      outInitStd: options.residualInitStd ?? options.initStd ?? 0.02,
      ...(options.headDim === undefined ? {} : { headDim: options.headDim }),
    };
    this.causal = options.causal ?? false;
    try {
      this.ln1 = makeNorm();
      this.attn = new MultiHeadAttention(dim, numHeads, {
        ...attnOptions, fusedQkv: options.fusedQkv ?? true, rotary: options.rotary, seed: seeds.nextSeed(),
      });
      if (options.crossAttention ?? false) {
        this.lnCross = makeNorm();
        this.crossAttn = new MultiHeadAttention(dim, numHeads, {
          ...attnOptions, crossAttention: true, seed: seeds.nextSeed(),
        });
      }
      this.ln2 = makeNorm();
      this.mlp = new FeedForward(dim, hiddenDim, {
        activation: options.activation,
        gated: options.gated,
        dropout: options.feedForwardDropout,
        bias: attnOptions.bias,
        initStd: attnOptions.initStd,
        outInitStd: attnOptions.outInitStd,
        seed: seeds.nextSeed(),
      });
      this.residualDropout = new Dropout(dropout, { seed: seeds.nextSeed() });
    } catch (error) {
      this.dispose(); // frees the children built before a child rejected its options
      throw error;
    }
  }

  /**
   * @param x - `[B, T, D]`
   * @returns `{ output: [B, T, D], cache?, crossCache? }`; leaks nothing, the caller owns the result
   */
  forward(x: tf.Tensor, options: TransformerBlockForwardOptions): TransformerBlockOutput {
    if (options.recompute === true) return { output: this.recomputedForward(x, options) };
    const { training } = options;
    return tf.tidy((): TransformerBlockOutput => {
      const a = this.sublayer(x, this.ln1, (z) => this.attn.forward(z, {
        training, causal: this.causal, attentionMask: options.attentionMask,
        positionBias: options.positionBias, cache: options.cache, useCache: options.useCache,
      }), training);
      let h = a.output;
      let crossCache: KVCache | undefined;
      if (this.crossAttn !== undefined && this.lnCross !== undefined) {
        const crossAttn = this.crossAttn;
        const c = this.sublayer(h, this.lnCross, (z) => crossAttn.forward(z, {
          training, context: options.context, attentionMask: options.contextMask,
          cache: options.crossCache, useCache: options.useCache,
        }), training);
        h = c.output;
        crossCache = c.cache;
      }
      const output = this.sublayer(h, this.ln2, (z) => ({ output: this.mlp.forward(z, training) }), training).output;
      return {
        output,
        ...(a.cache === undefined ? {} : { cache: a.cache }),
        ...(crossCache === undefined ? {} : { crossCache }),
      };
    });
  }

  /** {@link TransformerBlock.forward} under {@link recompute}: every tensor it reads becomes an input. */
  private recomputedForward(x: tf.Tensor, options: TransformerBlockForwardOptions): tf.Tensor {
    assert(options.cache === undefined && options.crossCache === undefined && options.useCache !== true, ConfigError,
      () => 'recompute is for training passes and cannot be combined with cache, crossCache or useCache');
    const hooked = hookedLinearPath(this, '');
    assert(hooked === undefined, ConfigError, () => `recompute cannot see the weights of the adapter hook on ${hooked} (LoRA): `
      + 'train adapters without gradient checkpointing');
    const names = (['attentionMask', 'context', 'contextMask', 'positionBias'] as const).filter((k) => options[k] !== undefined);
    const run = (input: tf.Tensor, ...rest: tf.Tensor[]): tf.Tensor => this.forward(input, {
      training: options.training, ...Object.fromEntries(names.map((k, i) => [k, rest[i]])),
    }).output;
    return recompute(run, [x, ...names.map((k) => options[k] as tf.Tensor)],
      { variables: this.trainableVariables(), randomState: this });
  }

  /** Residual wrapper: `x + drop(f(norm(x)))` (pre) or `norm(x + drop(f(x)))` (post). */
  private sublayer(
    x: tf.Tensor,
    norm: LayerNorm | RMSNorm,
    f: (h: tf.Tensor) => { output: tf.Tensor; cache?: KVCache },
    training: boolean,
  ): { output: tf.Tensor; cache?: KVCache } {
    const pre = this.normPosition === 'pre';
    const branch = f(pre ? norm.forward(x) : x);
    const sum = tf.add(x, this.residualDropout.forward(branch.output, training));
    return { output: pre ? sum : norm.forward(sum), cache: branch.cache };
  }
}

/** Path of the first Linear under `module` with an adapter hook (whose weights the block does not own). */
function hookedLinearPath(module: Module, path: string): string | undefined {
  for (const [key, child] of Object.entries(module)) {
    const childPath = path ? `${path}.${key}` : key;
    if (child instanceof Linear && child.adapter !== undefined) return childPath;
    const inner = child instanceof Module ? hookedLinearPath(child, childPath) : undefined;
    if (inner !== undefined) return inner;
  }
  return undefined;
}
