import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX } from '../../data/causal-lm-batch.js';
import { validateMaskedLMBatch, type MaskedLMBatch } from '../../data/masked-lm-batch.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';
import type { BertConfigInput } from './bert-config.js';
import { BertMaskedLMHead } from './bert-masked-lm-head.js';
import type { BertInputs } from './bert-model.js';
import { readBertFolder, type BertLoadOptions } from './bert-folder.js';
import { BertTaskModel, type BertLogitsOptions } from './bert-task-model.js';

/**
 * A BERT, RoBERTa or DistilBERT encoder with its masked-language-model head (Hugging Face
 * `BertForMaskedLM`, `RobertaForMaskedLM`, `DistilBertForMaskedLM`): predicts the original token
 * at every position; trains on {@link MaskedLMBatch}es.
 *
 * @example
 * ```ts
 * const model = await BertForMaskedLM.fromHuggingFace('models/bert-tiny');
 * const logits = model.logits({ inputIds: [[2, 31, 4, 3]] }); // [1, 4, V]
 * logits.dispose();
 * ```
 */
export class BertForMaskedLM extends BertTaskModel {
  /** Transform + tied decoder. */
  readonly head: BertMaskedLMHead;

  /** @param config - hyper-parameters; see {@link resolveBertConfig} */
  constructor(config: BertConfigInput) {
    super(config, 'masked-lm');
    const c = this.config;
    this.head = new BertMaskedLMHead(c.hiddenSize, c.vocabSize, {
      activation: c.variant === 'roberta' ? 'gelu' : c.activation, // RoBERTa's lm_head hard-codes exact GELU
      eps: c.layerNormEps, initStd: c.initStd, seed: new Rng(c.seed + 1).nextSeed(),
    });
  }

  /**
   * The decoder's own bias `[V]`, resized with the word embedding (new tokens start at 0, as
   * Hugging Face pads it when re-tying the decoder).
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * model.outputBias().bias.shape; // [model.config.vocabSize]
   * ```
   */
  outputBias(): BertMaskedLMHead {
    return this.head;
  }

  /**
   * Records a new vocabulary size once the word embedding and the decoder bias were resized.
   * @throws ShapeError when the word embedding or the decoder bias does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * model.setVocabSize(model.inputEmbeddings().numEmbeddings);
   * ```
   */
  override setVocabSize(vocabSize: number): void {
    const rows = this.head.bias.shape[0];
    assert(rows === vocabSize, ShapeError, () => `vocabSize (${vocabSize}) must equal the decoder bias's length (${rows})`);
    super.setVocabSize(vocabSize);
  }

  /**
   * Token logits at every position.
   * @returns `[B, T, V]` logits; the caller disposes them
   * @example
   * ```ts
   * declare const model: BertForMaskedLM, ids: tf.Tensor2D, mask: tf.Tensor2D;
   * const logits = model.logits({ inputIds: ids, attentionMask: mask }); // [B, T, V]
   * ```
   */
  logits(inputs: BertInputs, options: BertLogitsOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const { hidden } = this.backbone.forward(inputs, options.training ?? false);
      return this.head.forward(hidden, this.backbone.wordEmbedding) as tf.Tensor3D;
    });
  }

  /**
   * Mean cross-entropy over the labelled positions (labels {@link IGNORE_INDEX} carry no loss);
   * only those positions go through the decoder.
   * @param batch - checked with `validateMaskedLMBatch` first
   * @param training - enables dropout
   * @returns a scalar the caller disposes
   * @throws ShapeError for inconsistent arrays, VocabularyError for ids outside the vocabulary
   * @example
   * ```ts
   * declare const model: BertForMaskedLM, batch: MaskedLMBatch;
   * const loss = model.computeLoss(batch, true);
   * ```
   */
  computeLoss(batch: MaskedLMBatch, training: boolean): tf.Scalar {
    validateMaskedLMBatch(batch, this.config.vocabSize);
    // Only labelled positions (~15% under BERT's recipe) go through the vocabulary-sized decoder.
    const labelled: number[] = [];
    batch.labels.forEach((label, i) => { if (label !== IGNORE_INDEX) labelled.push(i); });
    return tf.tidy(() => {
      const inputs = this.batchInputs(batch);
      if (labelled.length === 0) { // nothing to predict: a zero loss that still reaches the weights
        const logits = this.logits(inputs, { training });
        return crossEntropy(logits, tf.fill([batch.batchSize, batch.seqLength], IGNORE_INDEX, 'int32'));
      }
      const { hidden } = this.backbone.forward(inputs, training);
      const rows = tf.reshape(hidden, [batch.batchSize * batch.seqLength, this.config.hiddenSize]); // [B, T, D] -> [B*T, D]
      const picked = tf.gather(rows, tf.tensor1d(labelled, 'int32')); // [N, D]
      const logits = this.head.forward(picked, this.backbone.wordEmbedding); // [N, V]
      return crossEntropy(logits, tf.tensor1d(labelled.map((i) => batch.labels[i]!), 'int32'));
    });
  }

  /**
   * Loads a Hugging Face `*ForMaskedLM` folder (`config.json` + `model.safetensors`) of model_type
   * bert, roberta or distilbert.
   * @throws ConfigError for a bad config, StateDictError listing missing, unexpected or misshapen weights
   * @example
   * ```ts
   * const model = await BertForMaskedLM.fromHuggingFace('roberta-tiny');
   * ```
   */
  static async fromHuggingFace(dir: string, options: BertLoadOptions = {}): Promise<BertForMaskedLM> {
    return readBertFolder(dir, 'masked-lm', (config) => new BertForMaskedLM(config), options);
  }

  /**
   * Loads a folder written by {@link BertTaskModel.save} (Hugging Face format) or a Trainer checkpoint.
   * @example
   * ```ts
   * const model = await BertForMaskedLM.load('out/bert');
   * ```
   */
  static async load(dir: string, options: BertLoadOptions = {}): Promise<BertForMaskedLM> {
    return BertForMaskedLM.fromHuggingFace(dir, options);
  }
}
