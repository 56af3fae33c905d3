import * as tf from '@tensorflow/tfjs-core';
import { MODEL_FOLDER_FILES } from '../../io/model-folder.js';
import type { Embedding } from '../../layers/embedding.js';
import { Module } from '../../layers/module.js';
import { resolveBertConfig, type BertConfig, type BertConfigInput } from './bert-config.js';
import { writeBertFolder } from './bert-folder.js';
import { bertConfigToHuggingFace, type BertTask } from './bert-hf-config.js';
import { bertHasPooler } from './bert-hf-weights.js';
import { BertModel, type BertInputs } from './bert-model.js';

export type { BertLoadOptions } from './bert-folder.js';

/** Options of the task models' `logits`. */
export interface BertLogitsOptions {
  /** Enables dropout (default false). */
  readonly training?: boolean;
}

/** The array fields shared by the masked-LM and classification batches. */
export interface BertBatchInputs {
  /** Rows (B). */
  readonly batchSize: number;
  /** Tokens per row (T). */
  readonly seqLength: number;
  /** `[B * T]` token ids. */
  readonly inputIds: Int32Array;
  /** `[B * T]` 1/0 padding mask. */
  readonly attentionMask?: Uint8Array;
  /** `[B * T]` segment ids. */
  readonly tokenTypeIds?: Int32Array;
}

/**
 * What the BERT-family task models share: the encoder ({@link BertModel}) and Hugging Face
 * folders in and out. A subclass adds a head and `logits`/`computeLoss`. Files are written in
 * Hugging Face's format (`config.json` with HF keys and `architectures`, `model.safetensors` with HF
 * names, `[out, in]` Linear weights, the tied decoder left out), so `from_pretrained` reads them
 * and `load` reads them back bit for bit.
 *
 * @example
 * ```ts
 * const model = await BertForMaskedLM.fromHuggingFace('bert-tiny');
 * await model.save('out/bert'); // a folder transformers' from_pretrained loads
 * ```
 */
export abstract class BertTaskModel extends Module {
  /** The encoder (with a pooler where Hugging Face's class has one). */
  readonly backbone: BertModel;
  /** Which head the subclass adds: decides the pooler, the saved names and `architectures`. */
  readonly task: BertTask;

  /**
   * @param config - hyper-parameters; see {@link resolveBertConfig}
   * @param task - which head the subclass adds
   */
  protected constructor(config: BertConfigInput, task: BertTask) {
    super();
    this.task = task;
    const resolved = resolveBertConfig(config);
    this.backbone = new BertModel(resolved, { pooler: bertHasPooler(resolved.variant, task) });
  }

  /** The resolved, frozen configuration. */
  get config(): BertConfig {
    return this.backbone.config;
  }

  /**
   * The word embedding (tied to the masked-LM decoder): the table a vocabulary extension resizes.
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * await resizeTokenEmbeddings(model, model.inputEmbeddings().numEmbeddings + 2);
   * ```
   */
  inputEmbeddings(): Embedding {
    return this.backbone.inputEmbeddings();
  }

  /**
   * Records a new vocabulary size after the word embedding was resized; see {@link BertModel.setVocabSize}.
   * @param vocabSize - the word embedding's new number of rows
   * @throws ShapeError when the word embedding (or a head's vocabulary-sized bias) does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * model.setVocabSize(model.inputEmbeddings().numEmbeddings);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    this.backbone.setVocabSize(vocabSize);
  }

  /**
   * Turns activation recomputation in training passes on or off for this model as it is, loaded
   * or built (Hugging Face's `gradient_checkpointing_enable()`); see {@link BertModel.setGradientCheckpointing}.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const model = await BertForMaskedLM.fromHuggingFace('bert-tiny');
   * model.setGradientCheckpointing(true); // model.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    this.backbone.setGradientCheckpointing(enabled);
  }

  /**
   * Task logits for a batch of inputs.
   * @param inputs - `[B, T]` ids and optional masks, as tensors (not disposed) or rows of numbers
   * @returns a tensor the caller disposes
   */
  abstract logits(inputs: BertInputs, options?: BertLogitsOptions): tf.Tensor;

  /**
   * Saves `config.json` and `model.safetensors` (Hugging Face names and layouts) into `dir`,
   * created if missing, each file atomically.
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * await model.save('out/bert');
   * const again = await BertForMaskedLM.load('out/bert');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeBertFolder(dir, this.stateDict(), this.config, this.task);
  }

  /**
   * The Hugging Face `config.json` object {@link BertTaskModel.save} writes.
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * model.configJSON().architectures; // ['BertForMaskedLM']
   * ```
   */
  configJSON(): Record<string, unknown> {
    return bertConfigToHuggingFace(this.config, this.task);
  }

  /**
   * Files the Trainer stores in every checkpoint: `config.json`, so that a checkpoint folder
   * describes its model (its weights are the Trainer's own `model.safetensors`).
   * @example
   * ```ts
   * declare const model: BertForMaskedLM;
   * Object.keys(model.checkpointFiles()); // ['config.json']
   * ```
   */
  checkpointFiles(): Record<string, string> {
    return { [MODEL_FOLDER_FILES.config]: `${JSON.stringify(this.configJSON(), null, 2)}\n` };
  }

  /** The `[B, T]` input tensors of a batch's flat arrays (made in the caller's tidy). */
  protected batchInputs(batch: BertBatchInputs): BertInputs {
    const shape: [number, number] = [batch.batchSize, batch.seqLength];
    const types = batch.tokenTypeIds;
    // Collators may fill all-zero segment ids; a model without token types (DistilBERT) ignores those.
    const useTypes = types !== undefined && (this.backbone.tokenTypeEmbedding !== undefined || types.some((t) => t !== 0));
    return {
      inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'),
      ...(batch.attentionMask ? { attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32') } : {}),
      ...(useTypes ? { tokenTypeIds: tf.tensor2d(types, shape, 'int32') } : {}),
    };
  }
}
