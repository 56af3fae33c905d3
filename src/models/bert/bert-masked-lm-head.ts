import * as tf from '@tensorflow/tfjs-core';
import type { Embedding } from '../../layers/embedding.js';
import { LayerNorm } from '../../layers/layer-norm.js';
import { Linear } from '../../layers/linear.js';
import { Module } from '../../layers/module.js';
import { activation, type Activation, type ActivationName } from '../../ops/activations.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';

/** Options of {@link BertMaskedLMHead}. */
export interface BertMaskedLMHeadOptions {
  /** Activation after the transform dense (BERT: `hidden_act`; RoBERTa: always exact GELU). */
  readonly activation: ActivationName;
  /** Epsilon of the transform LayerNorm. */
  readonly eps: number;
  /** Standard deviation of the dense layer's init. */
  readonly initStd: number;
  /** Seed of the dense layer's init. */
  readonly seed: number;
}

/**
 * The masked-LM head of the BERT family: `LayerNorm(act(dense(h)))`, then the decoder, tied to the
 * word embedding, plus its own bias: `logits = t · Eᵀ + bias`. Hugging Face names:
 * BERT `cls.predictions.{transform.dense, transform.LayerNorm, bias}`, RoBERTa
 * `lm_head.{dense, layer_norm, bias}`, DistilBERT `vocab_transform`, `vocab_layer_norm`,
 * `vocab_projector.bias`.
 *
 * @example
 * ```ts
 * declare const hidden: tf.Tensor3D, backbone: BertModel;
 * const head = new BertMaskedLMHead(32, 100, { activation: 'gelu', eps: 1e-12, initStd: 0.02, seed: 1 });
 * const logits = head.forward(hidden, backbone.wordEmbedding); // [B, T, 100]
 * ```
 */
export class BertMaskedLMHead extends Module {
  /** Transform dense `[D, D]`. */
  readonly dense: Linear;
  /** Transform LayerNorm. */
  readonly norm: LayerNorm;
  /** Decoder bias `[V]`; replaced by {@link BertMaskedLMHead.setBias}. */
  bias: tf.Variable;
  private readonly act: Activation;

  /**
   * @param dim - hidden width D
   * @param vocabSize - number of tokens V
   */
  constructor(dim: number, vocabSize: number, options: BertMaskedLMHeadOptions) {
    super();
    this.act = activation(options.activation);
    this.dense = new Linear(dim, dim, { initStd: options.initStd, seed: options.seed });
    this.norm = new LayerNorm(dim, { eps: options.eps });
    this.bias = this.createParameter(() => tf.zeros([vocabSize]));
  }

  /**
   * Replaces the decoder bias by a copy of `bias` (any length, e.g. a vocabulary grown or cut),
   * keeping its trainable flag; the old variable is disposed.
   * @param bias - `[V']`; the caller keeps ownership
   * @throws ShapeError when `bias` is not a non-empty vector
   * @example
   * ```ts
   * declare const head: BertMaskedLMHead;
   * head.setBias(tf.concat([head.bias, tf.zeros([7])])); // [V + 7]
   * ```
   */
  setBias(bias: tf.Tensor): void {
    assert(bias.rank === 1 && bias.size > 0, ShapeError, () => `BertMaskedLMHead.setBias expects [rows], got [${bias.shape}]`);
    const trainable = this.bias.trainable;
    this.bias.dispose();
    this.bias = this.createParameter(() => tf.cast(bias, 'float32'), trainable);
  }

  /**
   * @param hidden - `[B, T, D]` encoder output
   * @param embedding - the word embedding `[V, D]` the decoder is tied to
   * @returns `[B, T, V]` logits
   */
  forward(hidden: tf.Tensor, embedding: Embedding): tf.Tensor {
    return tf.tidy(() => {
      const transformed = this.norm.forward(this.act(this.dense.forward(hidden)));
      return tf.add(embedding.attend(transformed), this.bias);
    });
  }
}
