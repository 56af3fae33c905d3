import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX } from '../../data/causal-lm-batch.js';
import { validateTokenClassificationBatch, type TokenClassificationBatch } from '../../data/classification-batch.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { BertClassificationHead } from './bert-classification-head.js';
import type { BertConfigInput } from './bert-config.js';
import type { BertInputs } from './bert-model.js';
import { readBertFolder, type BertLoadOptions } from './bert-folder.js';
import { BertTaskModel, type BertLogitsOptions } from './bert-task-model.js';

/**
 * A BERT-family encoder with a token-classification head (named entities, tagging), as Hugging
 * Face's `*ForTokenClassification`: `classifier(dropout(h))` at every position (the dropout rate is
 * `classifierDropout`; DistilBERT's is its general `dropout`). Trains on
 * {@link TokenClassificationBatch}es; labels {@link IGNORE_INDEX} carry no loss.
 *
 * @example
 * ```ts
 * const model = new BertForTokenClassification({ vocabSize: 100, hiddenSize: 32, numLayers: 2, numHeads: 4, numLabels: 9 });
 * const logits = model.logits({ inputIds: [[2, 31, 4, 3]] }); // [1, 4, 9]
 * ```
 */
export class BertForTokenClassification extends BertTaskModel {
  /** Dropout and classifier at every position. */
  readonly head: BertClassificationHead;

  /** @param config - hyper-parameters; see {@link resolveBertConfig} */
  constructor(config: BertConfigInput) {
    super(config, 'token-classification');
    const c = this.config;
    this.head = new BertClassificationHead(c.hiddenSize, {
      numLabels: c.numLabels, dropout: c.variant === 'distilbert' ? c.hiddenDropout : c.classifierDropout,
      initStd: c.initStd, seed: c.seed + 3,
    });
  }

  /**
   * Class logits at every position.
   * @returns `[B, T, numLabels]`; the caller disposes it
   * @example
   * ```ts
   * declare const model: BertForTokenClassification, ids: tf.Tensor2D, mask: tf.Tensor2D;
   * const logits = model.logits({ inputIds: ids, attentionMask: mask }); // [B, T, numLabels]
   * ```
   */
  logits(inputs: BertInputs, options: BertLogitsOptions = {}): tf.Tensor3D {
    const training = options.training ?? false;
    return tf.tidy(() => this.head.forward(this.backbone.forward(inputs, training).hidden, training) as tf.Tensor3D);
  }

  /**
   * Mean cross-entropy over the labelled tokens.
   * @param batch - checked with `validateTokenClassificationBatch` first
   * @param training - enables dropout
   * @returns a scalar the caller disposes
   * @throws ShapeError for inconsistent arrays or labels, VocabularyError for ids outside the vocabulary
   * @example
   * ```ts
   * declare const model: BertForTokenClassification, batch: TokenClassificationBatch;
   * const loss = model.computeLoss(batch, true);
   * ```
   */
  computeLoss(batch: TokenClassificationBatch, training: boolean): tf.Scalar {
    validateTokenClassificationBatch(batch, this.config.vocabSize, this.config.numLabels);
    return tf.tidy(() => {
      const logits = this.logits(this.batchInputs(batch), { training });
      const labels = tf.tensor2d(batch.labels, [batch.batchSize, batch.seqLength], 'int32');
      return crossEntropy(logits, labels, { ignoreIndex: IGNORE_INDEX });
    });
  }

  /**
   * Loads a Hugging Face `*ForTokenClassification` folder; with `newHead: true` also an encoder
   * checkpoint of another task, keeping a fresh head of `numLabels` outputs.
   * @throws ConfigError for a bad config, StateDictError listing missing, unexpected or misshapen weights
   * @example
   * ```ts
   * const model = await BertForTokenClassification.fromHuggingFace('bert-tiny', { newHead: true, numLabels: 9 });
   * ```
   */
  static async fromHuggingFace(dir: string, options: BertLoadOptions = {}): Promise<BertForTokenClassification> {
    return readBertFolder(dir, 'token-classification', (config) => new BertForTokenClassification(config), options);
  }

  /**
   * Loads a folder written by {@link BertTaskModel.save} (Hugging Face format) or a Trainer checkpoint.
   * @example
   * ```ts
   * const model = await BertForTokenClassification.load('out/tagger');
   * ```
   */
  static async load(dir: string, options: BertLoadOptions = {}): Promise<BertForTokenClassification> {
    return BertForTokenClassification.fromHuggingFace(dir, options);
  }
}
