import * as tf from '@tensorflow/tfjs-core';
import { Dropout } from '../../layers/dropout.js';
import { Embedding } from '../../layers/embedding.js';
import type { KVCache } from '../../layers/kv-cache.js';
import { LayerNorm } from '../../layers/layer-norm.js';
import { LearnedPositionEmbedding } from '../../layers/learned-position-embedding.js';
import { Module } from '../../layers/module.js';
import { TransformerBlock } from '../../layers/transformer-block.js';
import { assert } from '../../utils/assert.js';
import { ContextLengthError, ShapeError } from '../../utils/errors.js';
import { resolveGPTConfig, type GPTConfig, type GPTConfigInput } from './gpt-config.js';

/** Options of {@link GPTModel.forward}. */
export interface GPTForwardOptions {
  /** Enables dropout. */
  readonly training: boolean;
  /** `[B, S]` 1 for real tokens, 0 for padding, over all keys (cached ones included). */
  readonly attentionMask?: tf.Tensor;
  /** Keys and values of earlier tokens, one per block (incremental decoding). */
  readonly cache?: readonly KVCache[];
  /** Return the keys and values of this call (with the cache's) for the next call. */
  readonly useCache?: boolean;
  /**
   * `[B, T]` int32 position of each input token (Hugging Face's `position_ids`), for left-padded
   * batches: `cumsum(mask) - 1`, any valid position at pads. Default: `cacheLength + 0..T-1` for
   * every row. Not range-checked here (that would read the tensor back).
   */
  readonly positionIds?: tf.Tensor;
  /**
   * `[B, 1, D]` or `[B, T, D]` added to the summed token and position embeddings, before dropout:
   * a conditioning vector such as a learned domain or style embedding. Not disposed here.
   */
  readonly inputEmbeddingOffset?: tf.Tensor;
}

/** Output of {@link GPTModel.forward}: the caller owns and disposes every tensor. */
export interface GPTForwardOutput {
  /** Final-normed hidden states, `[B, T, D]`. */
  readonly hidden: tf.Tensor3D;
  /** Present when `useCache` or `cache` was given. */
  readonly cache?: KVCache[];
}

/**
 * The GPT-2 decoder stack without a head: token + learned position embeddings, `numLayers`
 * pre-LayerNorm causal Transformer blocks, a final LayerNorm. Parameters are named
 * `tokenEmbedding.weight`, `positionEmbedding.weight`, `blocks.N.{ln1,attn.qkv,attn.out,ln2,mlp.fc,mlp.out}.*`,
 * `finalNorm.*`.
 *
 * @example
 * ```ts
 * const model = new GPTModel({ vocabSize: 512, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 32 });
 * const { hidden } = model.forward(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'), { training: false });
 * hidden.shape; // [1, 3, 64]
 * ```
 */
export class GPTModel extends Module {
  /** The resolved, frozen configuration. */
  readonly config: GPTConfig;
  /** Token embedding, `[V, D]`; also the output projection of {@link GPTCausalLM}. */
  readonly tokenEmbedding: Embedding;
  /** Learned absolute positions, `[contextLength, D]`. */
  readonly positionEmbedding: LearnedPositionEmbedding;
  /** Dropout on the summed embeddings. */
  readonly embeddingDropout: Dropout;
  /** The Transformer blocks. */
  readonly blocks: TransformerBlock[];
  /** LayerNorm after the last block. */
  readonly finalNorm: LayerNorm;

  /** @param config - hyper-parameters; missing fields take {@link GPT_CONFIG_DEFAULTS} */
  constructor(config: GPTConfigInput) {
    super();
    const c = resolveGPTConfig(config);
    this.config = c;
    this.tokenEmbedding = new Embedding(c.vocabSize, c.hiddenSize, { initStd: c.initStd, seed: c.seed });
    this.positionEmbedding = new LearnedPositionEmbedding(c.contextLength, c.hiddenSize, { initStd: c.initStd, seed: c.seed + 1 });
    this.embeddingDropout = new Dropout(c.dropout, { seed: c.seed + 2 });
    this.blocks = Array.from({ length: c.numLayers }, (_, i) => new TransformerBlock(c.hiddenSize, c.numHeads, c.intermediateSize, {
      normPosition: 'pre', norm: 'layer', eps: c.layerNormEps, activation: 'gelu_tanh', bias: true, fusedQkv: true,
      causal: true, dropout: c.dropout, seed: c.seed + 1000 * (i + 1),
    }));
    this.finalNorm = new LayerNorm(c.hiddenSize, { eps: c.layerNormEps });
    this.scaleResidualProjections();
  }

  /**
   * GPT-2 scales the init of the projections that write into the residual stream by
   * 1/sqrt(2 · numLayers), so the stream's variance does not grow with depth.
   */
  private scaleResidualProjections(): void {
    const scale = 1 / Math.sqrt(2 * this.config.numLayers);
    tf.tidy(() => {
      for (const block of this.blocks) {
        for (const w of [block.attn.out.weight, block.mlp.out.weight]) w.assign(tf.mul(w, scale));
      }
    });
  }

  /**
   * Turns activation recomputation in training passes on or off ({@link GPTConfig.gradientCheckpointing})
   * for this model as it is, weights untouched: Hugging Face's `gradient_checkpointing_enable()`
   * and `gradient_checkpointing_disable()`, for a loaded checkpoint. Takes effect on the next forward pass.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const model = new GPTModel({ vocabSize: 512, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 32 });
   * model.setGradientCheckpointing(true); // model.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    (this as { config: GPTConfig }).config = resolveGPTConfig({ ...this.config, gradientCheckpointing: enabled });
  }

  /**
   * Runs the stack on token ids.
   * @param inputIds - `[B, T]` int32 token ids (not range-checked here: see {@link GPTCausalLM})
   * @throws ShapeError for inputs or position ids of the wrong shape; ContextLengthError past the window
   */
  forward(inputIds: tf.Tensor, options: GPTForwardOptions): GPTForwardOutput {
    assert(inputIds.rank === 2, ShapeError, () => `inputIds must be [batch, time], got shape [${inputIds.shape}]`);
    assert(options.positionIds === undefined || tf.util.arraysEqual(options.positionIds.shape, inputIds.shape), ShapeError,
      () => `positionIds [${options.positionIds?.shape}] must have the shape of inputIds [${inputIds.shape}]`);
    const [batch, length] = inputIds.shape as [number, number];
    const extra = options.inputEmbeddingOffset;
    assert(extra === undefined || (extra.rank === 3 && extra.shape[0] === batch && (extra.shape[1] === 1 || extra.shape[1] === length)
      && extra.shape[2] === this.config.hiddenSize), ShapeError,
      () => `inputEmbeddingOffset [${extra?.shape}] must be [${batch}, 1 or ${length}, ${this.config.hiddenSize}]`);
    const offset = options.cache?.[0]?.key.shape[2] ?? 0;
    assert(offset + length <= this.config.contextLength, ContextLengthError,
      () => `sequence of ${offset + length} tokens (${offset} cached + ${length} new) exceeds contextLength (${this.config.contextLength})`);
    const returnCache = options.useCache === true || options.cache !== undefined;
    return tf.tidy(() => {
      const positions = options.positionIds === undefined
        ? this.positionEmbedding.forward(length, offset) // [T, D]
        : tf.gather(this.positionEmbedding.weight, tf.cast(options.positionIds, 'int32')); // [B, T] -> [B, T, D]
      let x = tf.add(this.tokenEmbedding.forward(inputIds), positions) as tf.Tensor3D; // [B, T, D]
      if (extra !== undefined) x = tf.add(x, extra) as tf.Tensor3D; // + [B, 1 or T, D]
      x = this.embeddingDropout.forward(x, options.training) as tf.Tensor3D;
      const cache: KVCache[] = [];
      const recompute = options.training && this.config.gradientCheckpointing === true && !returnCache;
      this.blocks.forEach((block, i) => {
        const out = block.forward(x, {
          training: options.training,
          ...(options.attentionMask ? { attentionMask: options.attentionMask } : {}),
          ...(options.cache ? { cache: options.cache[i] } : {}),
          ...(recompute ? { recompute } : { useCache: returnCache }),
        });
        x = out.output as tf.Tensor3D;
        if (returnCache && out.cache) cache.push(out.cache);
      });
      const hidden = this.finalNorm.forward(x) as tf.Tensor3D;
      return returnCache ? { hidden, cache } : { hidden };
    });
  }
}
