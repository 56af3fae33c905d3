import * as tf from '@tensorflow/tfjs-core';
import { Dropout } from '../../layers/dropout.js';
import { Linear } from '../../layers/linear.js';
import { Module } from '../../layers/module.js';
import { activation, type Activation, type ActivationName } from '../../ops/activations.js';
import { Rng } from '../../utils/rng.js';

/** Options of {@link BertClassificationHead}. */
export interface BertClassificationHeadOptions {
  /** Number of outputs. */
  readonly numLabels: number;
  /** Dropout rate before the classifier (and before the dense layer, with `dropoutBeforeDense`). */
  readonly dropout: number;
  /** A dense layer with this activation before the classifier (RoBERTa `tanh`, DistilBERT `relu`); absent: none. */
  readonly denseActivation?: 'tanh' | ActivationName;
  /** Dropout also before the dense layer (RoBERTa's classification head). */
  readonly dropoutBeforeDense?: boolean;
  /** Standard deviation of the init. */
  readonly initStd: number;
  /** Seed of the init and of the dropout. */
  readonly seed: number;
}

/**
 * The classification heads of the BERT family: `classifier(dropout(x))`, optionally after
 * `act(dense(x))` (RoBERTa: `out_proj(dropout(tanh(dense(dropout(x)))))`; DistilBERT:
 * `classifier(dropout(relu(pre_classifier(x))))`). `x` is the pooled first token for sequence
 * classification, every hidden state for token classification.
 *
 * @example
 * ```ts
 * const head = new BertClassificationHead(32, { numLabels: 3, dropout: 0.1, denseActivation: 'tanh', initStd: 0.02, seed: 1 });
 * const logits = head.forward(tf.ones([2, 32]), false); // [2, 3]
 * ```
 */
export class BertClassificationHead extends Module {
  /** Dense layer `[D, D]` before the classifier, when `denseActivation` is set. */
  readonly dense?: Linear;
  /** Output layer `[D, numLabels]`. */
  readonly classifier: Linear;
  /** Dropout before the output layer. */
  readonly dropout: Dropout;
  private readonly act?: Activation;
  private readonly dropoutBeforeDense: boolean;

  /** @param dim - input width D */
  constructor(dim: number, options: BertClassificationHeadOptions) {
    super();
    const seeds = new Rng(options.seed);
    const init = { initStd: options.initStd };
    this.dropout = new Dropout(options.dropout, { seed: seeds.nextSeed() });
    const act = options.denseActivation;
    if (act !== undefined) {
      this.act = act === 'tanh' ? tf.tanh : activation(act);
      this.dense = new Linear(dim, dim, { ...init, seed: seeds.nextSeed() });
    }
    this.dropoutBeforeDense = options.dropoutBeforeDense ?? false;
    this.classifier = new Linear(dim, options.numLabels, { ...init, seed: seeds.nextSeed() });
  }

  /**
   * @param x - `[..., D]`
   * @param training - enables dropout
   * @returns `[..., numLabels]`
   */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      let h = x;
      if (this.dense !== undefined && this.act !== undefined) {
        if (this.dropoutBeforeDense) h = this.dropout.forward(h, training);
        h = this.act(this.dense.forward(h));
      }
      return this.classifier.forward(this.dropout.forward(h, training));
    });
  }
}
