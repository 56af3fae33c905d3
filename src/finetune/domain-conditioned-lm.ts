import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX, validateCausalLMBatch, type CausalLMBatch } from '../data/causal-lm-batch.js';
import type { GenerationOptions } from '../generation/generation-options.js';
import type { Module } from '../layers/module.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { assert } from '../utils/assert.js';
import { ConfigError, ShapeError } from '../utils/errors.js';
import type { DomainEmbedding } from './domain-embedding.js';

/**
 * A causal-LM batch whose rows carry a domain label.
 *
 * @example
 * ```ts
 * declare const causalBatch: CausalLMBatch;
 * const batch: DomainCausalLMBatch = { ...causalBatch, domainIds: Int32Array.from([0, 1]) };
 * ```
 */
export interface DomainCausalLMBatch extends CausalLMBatch {
  /** One domain label per row, `[batchSize]`. */
  readonly domainIds: Int32Array;
}

/**
 * What {@link DomainConditionedLM} needs of a language model: its vocabulary size and logits
 * with an additive input-embedding offset. `GPTCausalLM` provides both.
 *
 * @example
 * ```ts
 * declare const gptCausalLM: GPTCausalLM;
 * const base: ConditionableLM = gptCausalLM;
 * ```
 */
export interface ConditionableLM extends Module {
  /** The configuration; only `vocabSize` is read. */
  readonly config: {
    /** Number of token ids; batches are checked against it. */
    readonly vocabSize: number;
  };
  /** `[B, T, V]` logits, `inputEmbeddingOffset` `[B, 1, D]` added to the input embeddings. */
  logits(inputIds: tf.Tensor, options: { training: boolean; attentionMask?: tf.Tensor; inputEmbeddingOffset?: tf.Tensor }): tf.Tensor;
  /** Generation with `inputEmbeddingOffset` `[B, 1, D]` added at every step (as `GPTCausalLM.generate`); needed by {@link DomainConditionedLM.generate}. */
  generate?(inputIds: readonly (readonly number[])[], options: GenerationOptions & { readonly inputEmbeddingOffset?: tf.Tensor }): Promise<number[][]>;
}

/**
 * A language model conditioned on a domain label per row through a {@link DomainEmbedding}:
 * trains with the Trainer on {@link DomainCausalLMBatch}es. Its parameters are the model's plus
 * `domainEmbedding.weight`; freeze the model (`model.setTrainable(false)`) to train the
 * conditioning alone.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, batch: CausalLMBatch;
 * const conditioned = new DomainConditionedLM(model, new DomainEmbedding(2, model.config.hiddenSize));
 * model.setTrainable(false); // only the domain vectors train
 * const loss = conditioned.computeLoss({ ...batch, domainIds: Int32Array.from([0, 1]) }, true);
 * ```
 */
export class DomainConditionedLM<M extends ConditionableLM = ConditionableLM> {
  /**
   * @param model - the language model (not owned)
   * @param domainEmbedding - the domain vectors (not owned)
   */
  constructor(readonly model: M, readonly domainEmbedding: DomainEmbedding) {}

  /** The model's parameters, then `domainEmbedding.weight`. */
  namedParameters(): Array<[string, tf.Variable]> {
    return [...this.model.namedParameters(), ['domainEmbedding.weight', this.domainEmbedding.weight]];
  }

  /**
   * Logits of every position, each row conditioned on its domain.
   * @param inputIds - `[B, T]` int32
   * @param domainIds - `[B]` labels
   * @returns `[B, T, V]`; the caller disposes them
   */
  logits(inputIds: tf.Tensor, domainIds: ArrayLike<number>, options: { training: boolean; attentionMask?: tf.Tensor }): tf.Tensor {
    assert(domainIds.length === inputIds.shape[0], ShapeError,
      () => `domainIds holds ${domainIds.length} labels for ${inputIds.shape[0]} rows`);
    return tf.tidy(() => this.model.logits(inputIds, { ...options, inputEmbeddingOffset: this.domainEmbedding.forward(domainIds) }));
  }

  /**
   * Mean cross-entropy of the batch's labels (skipping ignored and padded positions), each row
   * conditioned on its domain.
   * @throws VocabularyError or ShapeError for an invalid batch; RangeArgumentError for a bad domain label
   */
  computeLoss(batch: DomainCausalLMBatch, training: boolean): tf.Scalar {
    validateCausalLMBatch(batch, this.model.config.vocabSize);
    return tf.tidy(() => {
      const shape: [number, number] = [batch.batchSize, batch.seqLength];
      const mask = batch.attentionMask ? tf.tensor2d(batch.attentionMask, shape, 'int32') : undefined;
      let labels: tf.Tensor = tf.tensor2d(batch.labels, shape, 'int32');
      if (mask) labels = tf.where(tf.cast(mask, 'bool'), labels, tf.fill(shape, IGNORE_INDEX, 'int32'));
      const logits = this.logits(tf.tensor2d(batch.inputIds, shape, 'int32'), batch.domainIds, { training, ...(mask ? { attentionMask: mask } : {}) });
      return crossEntropy(logits, labels, { ignoreIndex: IGNORE_INDEX });
    });
  }

  /**
   * Generates a continuation of each prompt row, conditioned on that row's domain at every step
   * (prompt and generated tokens), with the model's own `generate` (greedy or sampled; one sequence
   * per prompt).
   * @param inputIds - prompt rows
   * @param domainIds - one domain label per row
   * @param options - generation options (`maxNewTokens`, `doSample`, `seed`...)
   * @returns the new tokens of each row
   * @throws ConfigError when the model cannot generate; ShapeError or RangeArgumentError for labels that do not match the rows
   * @example
   * ```ts
   * declare const conditioned: DomainConditionedLM, prompt: number[];
   * const [tang, song] = await conditioned.generate([prompt, prompt], [0, 1], { maxNewTokens: 24, doSample: true, seed: 3 });
   * ```
   */
  async generate(inputIds: readonly (readonly number[])[], domainIds: ArrayLike<number>, options: GenerationOptions): Promise<number[][]> {
    const { model } = this;
    assert(typeof model.generate === 'function', ConfigError, () => `${model.constructor.name} has no generate(inputIds, options) taking inputEmbeddingOffset`);
    assert(domainIds.length === inputIds.length, ShapeError, () => `domainIds holds ${domainIds.length} labels for ${inputIds.length} prompt rows`);
    const offset = this.domainEmbedding.forward(domainIds);
    try {
      return await model.generate(inputIds, { ...options, inputEmbeddingOffset: offset });
    } finally {
      offset.dispose();
    }
  }

  /** The model's generator states (dropout...). */
  getRandomState(): Record<string, unknown> {
    return this.model.getRandomState();
  }

  /** Restores {@link DomainConditionedLM.getRandomState}'s result. */
  setRandomState(state: Record<string, unknown>): void {
    this.model.setRandomState(state);
  }
}
