import * as tf from '@tensorflow/tfjs-core';
import { Dropout } from '../../layers/dropout.js';
import type { KVCache } from '../../layers/kv-cache.js';
import { Module } from '../../layers/module.js';
import { RMSNorm } from '../../layers/rms-norm.js';
import { TransformerBlock } from '../../layers/transformer-block.js';
import { assert } from '../../utils/assert.js';
import { ConfigError, ShapeError } from '../../utils/errors.js';
import { resolveT5Config, type T5Config } from './t5-config.js';
import { T5RelativePositionBias } from './t5-relative-position-bias.js';

/** Options of {@link T5Stack.forward}. */
export interface T5StackForwardOptions {
  /** Enables dropout. */
  readonly training: boolean;
  /** `[B, S]` 1/0 over the self-attention keys (cached ones included). */
  readonly attentionMask?: tf.Tensor;
  /** `[B, S_enc, D]` encoder output (decoder only); not needed once `crossCache` holds its projection. */
  readonly context?: tf.Tensor;
  /** `[B, S_enc]` 1/0 over the encoder positions (decoder only). */
  readonly contextMask?: tf.Tensor;
  /** Self-attention keys/values of earlier positions, one per block (decoder). */
  readonly cache?: readonly KVCache[];
  /** Cross-attention keys/values (the projected encoder output), one per block (decoder). */
  readonly crossCache?: readonly KVCache[];
  /** Return the caches even though none were given (the first decoding step). */
  readonly useCache?: boolean;
}

/** Result of {@link T5Stack.forward} (a type alias so that tidy can return it); the caller owns every tensor. */
export type T5StackOutput = {
  /** `[B, T, D]` final-normed hidden states. */
  readonly hidden: tf.Tensor3D;
  /** Self-attention caches, one per block, when `cache` or `useCache` was given. */
  readonly cache?: KVCache[];
  /** Cross-attention caches, one per block (decoder), when `crossCache` or `useCache` was given. */
  readonly crossCache?: KVCache[];
};

/**
 * One T5 stack (Hugging Face `T5Stack` without its embedding): dropout, `numLayers` pre-RMSNorm
 * blocks without biases or score scaling, sharing one relative position bias computed for the
 * whole stack (HF keeps it in block 0), a final RMSNorm and dropout. The encoder stack is
 * bidirectional; the decoder stack is causal and cross-attends to the encoder output.
 * Attributes: `relativeBias`, `blocks.N.{ln1, attn, lnCross, crossAttn, ln2, mlp}`, `finalNorm`.
 *
 * @example
 * ```ts
 * const config = resolveT5Config({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2 });
 * const encoder = new T5Stack(config, { decoder: false });
 * const { hidden } = encoder.forward(tf.ones([1, 5, 32]), { training: false }); // [1, 5, 32]
 * ```
 */
export class T5Stack extends Module {
  /** The relative position bias shared by every block. */
  readonly relativeBias: T5RelativePositionBias;
  /** The Transformer blocks. */
  readonly blocks: TransformerBlock[];
  /** RMSNorm after the last block. */
  readonly finalNorm: RMSNorm;
  /** Dropout on the input embeddings and on the final output. */
  readonly dropout: Dropout;
  /** Whether this is the decoder (causal, with cross-attention). */
  readonly isDecoder: boolean;

  /**
   * @param config - resolved T5 config
   * @param options - `decoder: true` for the decoder stack
   */
  constructor(readonly config: T5Config, options: { readonly decoder: boolean }) {
    super();
    const c = config;
    this.isDecoder = options.decoder;
    const seed = c.seed + (this.isDecoder ? 500_000 : 100_000);
    const dModelStd = c.initFactor / Math.sqrt(c.hiddenSize);
    const innerDim = c.numHeads * c.headDim;
    this.relativeBias = new T5RelativePositionBias(c.relativeAttentionNumBuckets, c.numHeads, {
      bidirectional: !this.isDecoder, maxDistance: c.relativeAttentionMaxDistance, initStd: dModelStd, seed,
    });
    this.blocks = Array.from({ length: this.isDecoder ? c.numDecoderLayers : c.numLayers }, (_, i) => new TransformerBlock(
      c.hiddenSize, c.numHeads, c.intermediateSize, {
        normPosition: 'pre', norm: 'rms', eps: c.layerNormEps, activation: c.activation, gated: c.gatedFeedForward,
        bias: false, fusedQkv: false, scale: false, headDim: c.headDim, causal: this.isDecoder, crossAttention: this.isDecoder,
        dropout: c.dropout, feedForwardDropout: c.dropout,
        initStd: dModelStd, residualInitStd: c.initFactor / Math.sqrt(innerDim), seed: seed + 1000 * (i + 1),
      }));
    this.finalNorm = new RMSNorm(c.hiddenSize, { eps: c.layerNormEps });
    this.dropout = new Dropout(c.dropout, { seed: seed + 7 });
    this.matchHuggingFaceInit();
  }

  /**
   * Turns activation recomputation in training passes on or off ({@link T5Config.gradientCheckpointing})
   * for this stack as it is, weights untouched. Takes effect on the next forward pass.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const encoder = new T5Stack(resolveT5Config({ vocabSize: 100, hiddenSize: 32, headDim: 8, numHeads: 4, numLayers: 2 }), { decoder: false });
   * encoder.setGradientCheckpointing(true); // encoder.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    (this as { config: T5Config }).config = resolveT5Config({ ...this.config, gradientCheckpointing: enabled });
  }

  /**
   * Hugging Face's T5 init: queries with std (d_model · d_kv)^-0.5 (T5's folded 1/sqrt(Dh)),
   * feed-forward output with d_ff^-0.5. The blocks drew them with d_model^-0.5 and
   * (H · d_kv)^-0.5; rescaling a normal draw changes its std.
   */
  private matchHuggingFaceInit(): void {
    const c = this.config;
    tf.tidy(() => {
      for (const block of this.blocks) {
        for (const attn of [block.attn, block.crossAttn]) {
          const query = attn?.query?.weight;
          if (query !== undefined) query.assign(tf.mul(query, 1 / Math.sqrt(c.headDim)));
        }
        const out = block.mlp.out.weight;
        out.assign(tf.mul(out, Math.sqrt((c.numHeads * c.headDim) / c.intermediateSize)));
      }
    });
  }

  /**
   * Runs the blocks on embedded tokens.
   * @param embeddings - `[B, T, D]` token embeddings
   * @returns `{ hidden, cache?, crossCache? }`; leaks nothing
   * @throws ShapeError on a bad input shape; ConfigError when the decoder has no encoder output
   */
  forward(embeddings: tf.Tensor, options: T5StackForwardOptions): T5StackOutput {
    const d = this.config.hiddenSize;
    assert(embeddings.rank === 3 && embeddings.shape[2] === d, ShapeError,
      () => `T5Stack expects embeddings [B, T, ${d}], got [${embeddings.shape}]`);
    assert(!this.isDecoder || options.context !== undefined || options.crossCache !== undefined, ConfigError,
      () => 'the T5 decoder needs the encoder output (context) or its cached projection (crossCache)');
    const length = embeddings.shape[1] as number;
    const past = options.cache?.[0]?.key.shape[2] ?? 0;
    const returnCache = options.useCache === true || options.cache !== undefined;
    return tf.tidy((): T5StackOutput => {
      const positionBias = this.relativeBias.forward(length, past + length, past); // [1, H, T, past + T]
      let x = this.dropout.forward(embeddings, options.training);
      const cache: KVCache[] = [];
      const crossCache: KVCache[] = [];
      const recompute = options.training && this.config.gradientCheckpointing === true && !returnCache;
      this.blocks.forEach((block, i) => {
        const out = block.forward(x, {
          training: options.training,
          positionBias,
          ...(options.attentionMask === undefined ? {} : { attentionMask: options.attentionMask }),
          ...(options.context === undefined ? {} : { context: options.context }),
          ...(options.contextMask === undefined ? {} : { contextMask: options.contextMask }),
          ...(options.cache === undefined ? {} : { cache: options.cache[i] }),
          ...(options.crossCache === undefined ? {} : { crossCache: options.crossCache[i] }),
          ...(recompute ? { recompute } : { useCache: returnCache }),
        });
        x = out.output;
        if (out.cache !== undefined) cache.push(out.cache);
        if (out.crossCache !== undefined) crossCache.push(out.crossCache);
      });
      const hidden = this.dropout.forward(this.finalNorm.forward(x), options.training) as tf.Tensor3D;
      if (!returnCache) return { hidden };
      return this.isDecoder ? { hidden, cache, crossCache } : { hidden, cache };
    });
  }
}
