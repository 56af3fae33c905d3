import * as tf from '@tensorflow/tfjs-core';
import { validateSequenceClassificationBatch, type SequenceClassificationBatch } from '../../data/classification-batch.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import { BertClassificationHead } from './bert-classification-head.js';
import type { BertConfigInput } from './bert-config.js';
import type { BertInputs } from './bert-model.js';
import { readBertFolder, type BertLoadOptions } from './bert-folder.js';
import { BertTaskModel, type BertLogitsOptions } from './bert-task-model.js';

/**
 * A BERT-family encoder with a sequence-classification (or regression) head, as Hugging Face's
 * `*ForSequenceClassification`: BERT `classifier(dropout(pooler))`; RoBERTa
 * `out_proj(dropout(tanh(dense(dropout(h[:, 0])))))`; DistilBERT
 * `classifier(dropout(relu(pre_classifier(h[:, 0]))))`. Trains on
 * {@link SequenceClassificationBatch}es: Int32 labels give cross-entropy over classes, Float32
 * labels mean squared error (HF's `problem_type: "regression"`).
 *
 * @example
 * ```ts
 * const model = await BertForSequenceClassification.fromHuggingFace('bert-tiny', { newHead: true, numLabels: 3 });
 * const logits = model.logits({ inputIds: [[2, 31, 4, 3]] }); // [1, 3]
 * ```
 */
export class BertForSequenceClassification extends BertTaskModel {
  /** Dense (RoBERTa, DistilBERT), dropout and classifier on the first token (BERT: on its pooler output). */
  readonly head: BertClassificationHead;

  /** @param config - hyper-parameters; see {@link resolveBertConfig} */
  constructor(config: BertConfigInput) {
    super(config, 'sequence-classification');
    const c = this.config;
    this.head = new BertClassificationHead(c.hiddenSize, {
      numLabels: c.numLabels, dropout: c.classifierDropout, initStd: c.initStd, seed: c.seed + 2,
      ...(c.variant === 'roberta' ? { denseActivation: 'tanh', dropoutBeforeDense: true } : {}),
      ...(c.variant === 'distilbert' ? { denseActivation: 'relu' } : {}),
    });
  }

  /**
   * Class logits (or regression outputs) per row.
   * @returns `[B, numLabels]`; the caller disposes it
   * @example
   * ```ts
   * declare const model: BertForSequenceClassification, ids: tf.Tensor2D, mask: tf.Tensor2D;
   * const logits = model.logits({ inputIds: ids, attentionMask: mask }); // [B, numLabels]
   * ```
   */
  logits(inputs: BertInputs, options: BertLogitsOptions = {}): tf.Tensor2D {
    const training = options.training ?? false;
    return tf.tidy(() => {
      const { hidden, pooled } = this.backbone.forward(inputs, training);
      // BERT classifies its pooler's tanh(dense(h[:, 0])); RoBERTa and DistilBERT the first token itself.
      const features = pooled ?? tf.squeeze(tf.slice(hidden, [0, 0, 0], [-1, 1, -1]), [1]); // [B, 1, D] -> [B, D]
      return this.head.forward(features, training) as tf.Tensor2D;
    });
  }

  /**
   * Cross-entropy of Int32 class labels, or mean squared error of Float32 regression targets (a
   * config's `problemType` other than `auto` accepts only its kind).
   * @param batch - checked with `validateSequenceClassificationBatch` first
   * @param training - enables dropout
   * @returns a scalar the caller disposes
   * @throws ShapeError for inconsistent arrays or labels, VocabularyError for ids outside the vocabulary
   * @example
   * ```ts
   * declare const model: BertForSequenceClassification;
   * const loss = model.computeLoss({ batchSize: 1, seqLength: 3, inputIds: Int32Array.of(101, 7592, 102), labels: Int32Array.of(1) }, true);
   * ```
   */
  computeLoss(batch: SequenceClassificationBatch, training: boolean): tf.Scalar {
    const { numLabels, problemType } = this.config;
    const regression = batch.labels instanceof Float32Array;
    assert(problemType === 'auto' || (problemType === 'regression') === regression, ShapeError,
      () => `a ${problemType} model takes ${problemType === 'regression' ? 'Float32Array regression targets' : 'Int32Array class indices'} as labels, got a ${batch.labels.constructor.name}`);
    validateSequenceClassificationBatch(batch, this.config.vocabSize, numLabels);
    return tf.tidy(() => {
      const logits = this.logits(this.batchInputs(batch), { training });
      if (regression) {
        return tf.mean(tf.square(tf.sub(logits, tf.tensor2d(batch.labels, [batch.batchSize, numLabels])))) as tf.Scalar;
      }
      return crossEntropy(logits, tf.tensor1d(batch.labels, 'int32'));
    });
  }

  /**
   * Loads a Hugging Face `*ForSequenceClassification` folder; with `newHead: true` also an encoder
   * checkpoint of another task (e.g. `*ForMaskedLM`), keeping a fresh head of `numLabels` outputs.
   * @throws ConfigError for a bad config, StateDictError listing missing, unexpected or misshapen weights
   * @example
   * ```ts
   * const model = await BertForSequenceClassification.fromHuggingFace('bert-tiny', { newHead: true, numLabels: 2 });
   * ```
   */
  static async fromHuggingFace(dir: string, options: BertLoadOptions = {}): Promise<BertForSequenceClassification> {
    return readBertFolder(dir, 'sequence-classification', (config) => new BertForSequenceClassification(config), options);
  }

  /**
   * Loads a folder written by {@link BertTaskModel.save} (Hugging Face format) or a Trainer checkpoint.
   * @example
   * ```ts
   * const model = await BertForSequenceClassification.load('out/classifier');
   * ```
   */
  static async load(dir: string, options: BertLoadOptions = {}): Promise<BertForSequenceClassification> {
    return BertForSequenceClassification.fromHuggingFace(dir, options);
  }
}
