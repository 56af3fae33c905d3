import * as tf from '@tensorflow/tfjs-core';
import { IGNORE_INDEX } from '../../data/causal-lm-batch.js';
import { validateSeq2SeqBatch, type Seq2SeqBatch } from '../../data/seq2seq-batch.js';
import { generate } from '../../generation/generate.js';
import type { GenerationOptions } from '../../generation/generation-options.js';
import type { NextFn } from '../../generation/next-fn.js';
import { streamGenerate } from '../../generation/stream-generate.js';
import { MODEL_FOLDER_FILES } from '../../io/model-folder.js';
import type { Embedding } from '../../layers/embedding.js';
import { Linear } from '../../layers/linear.js';
import { Module } from '../../layers/module.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import type { T5Config, T5ConfigInput } from './t5-config.js';
import { disposeT5Cache, reorderT5Cache, type T5DecoderCache } from './t5-decoder-cache.js';
import { t5EncoderInputs } from './t5-encoder-inputs.js';
import { readT5Folder, writeT5Folder, type T5LoadOptions } from './t5-folder.js';
import { t5ConfigToHuggingFace } from './t5-hf-weights.js';
import { T5Model } from './t5-model.js';
import { t5ShiftRight } from './t5-shift-right.js';

/** Inputs of {@link T5Seq2SeqLM.logits}. */
export interface T5LogitsInputs {
  /** `[B, S]` int32 encoder token ids. */
  readonly inputIds: tf.Tensor;
  /** `[B, S]` 1 for real encoder tokens, 0 for padding. */
  readonly attentionMask?: tf.Tensor;
  /** `[B, L]` int32 decoder token ids (starting with the decoder start token). */
  readonly decoderInputIds: tf.Tensor;
  /** `[B, L]` 1/0 over decoder positions; absent: causal masking only. */
  readonly decoderAttentionMask?: tf.Tensor;
  /** Enables dropout (default false). */
  readonly training?: boolean;
}

/** Options of {@link T5Seq2SeqLM.generate} and {@link T5Seq2SeqLM.stream}. */
export interface T5GenerateOptions extends GenerationOptions {
  /** 1/0 per encoder token, rows as `inputIds`; default: padding and `padTokenId` tokens are masked. */
  readonly attentionMask?: readonly (readonly number[])[];
  /** Called after each step with that step's token of every row (not in beam search). */
  readonly onToken?: (tokens: number[], step: number) => void;
}

/**
 * T5 for conditional generation (Hugging Face `T5ForConditionalGeneration`): {@link T5Model}
 * plus the language-model head, tied to the shared embedding with the `d_model^-0.5` rescale of
 * the decoder output (v1.0) or an own `lmHead` (v1.1). Trains on {@link Seq2SeqBatch}es and
 * generates with the encoder run once and a decoder KV cache. Loads and saves Hugging Face folders.
 *
 * @example
 * ```ts
 * const model = await T5Seq2SeqLM.fromHuggingFace('t5-small');
 * const [ids] = await model.generate([[13959, 1566, 12, 2968, 10, 571, 1]], { maxNewTokens: 20, numBeams: 4 });
 * ```
 */
export class T5Seq2SeqLM extends Module {
  /** Embedding, encoder and decoder. */
  readonly backbone: T5Model;
  /** Output projection `[D, V]` of an untied model (HF `lm_head`); absent when tied. */
  readonly lmHead?: Linear;

  /** @param config - hyper-parameters; see {@link resolveT5Config} */
  constructor(config: T5ConfigInput) {
    super();
    this.backbone = new T5Model(config);
    const c = this.backbone.config;
    if (!c.tieWordEmbeddings) this.lmHead = new Linear(c.hiddenSize, c.vocabSize, { bias: false, initStd: c.initFactor, seed: c.seed + 3 });
  }

  /** The resolved, frozen configuration. */
  get config(): T5Config {
    return this.backbone.config;
  }

  /**
   * The shared token embedding of encoder and decoder (also the head when tied): the table a
   * vocabulary extension resizes.
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * model.inputEmbeddings().numEmbeddings; // model.config.vocabSize
   * ```
   */
  inputEmbeddings(): Embedding {
    return this.backbone.shared;
  }

  /**
   * The untied head `[D, V]` (v1.1's `lm_head`), resized with the embedding; undefined when tied.
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * model.outputEmbeddings()?.outFeatures; // V for v1.1
   * ```
   */
  outputEmbeddings(): Linear | undefined {
    return this.lmHead;
  }

  /**
   * Records a new vocabulary size once the shared embedding (and an untied head) were resized,
   * so the config, `save()` and id checks use it.
   * @throws ShapeError when the shared embedding or the untied head does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * model.setVocabSize(model.inputEmbeddings().numEmbeddings);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    const columns = this.lmHead?.outFeatures ?? vocabSize;
    assert(columns === vocabSize, ShapeError, () => `vocabSize (${vocabSize}) must equal lmHead's output features (${columns})`);
    this.backbone.setVocabSize(vocabSize);
  }

  /**
   * Turns activation recomputation in training passes on or off for this model as it is, loaded
   * or built (Hugging Face's `gradient_checkpointing_enable()`); see {@link T5Model.setGradientCheckpointing}.
   * @param enabled - true: encoder and decoder blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const model = await T5Seq2SeqLM.load('models/t5-small');
   * model.setGradientCheckpointing(true); // model.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    this.backbone.setGradientCheckpointing(enabled);
  }

  /**
   * Encoder output for `inputIds`.
   * @param inputIds - `[B, S]` int32 token ids
   * @returns `[B, S, D]`; the caller disposes it
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * const hidden = model.encode(tf.tensor2d([[5, 6, 1]], undefined, 'int32')); // [1, 3, D]
   * ```
   */
  encode(inputIds: tf.Tensor, options: { attentionMask?: tf.Tensor; training?: boolean } = {}): tf.Tensor3D {
    return this.backbone.encode(inputIds, { training: options.training ?? false, ...(options.attentionMask ? { attentionMask: options.attentionMask } : {}) });
  }

  /**
   * Next-token logits at every decoder position (teacher forcing).
   * @returns `[B, L, V]` logits; the caller disposes them
   * @throws ShapeError for inputs of the wrong rank or shape
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, decoderInputIds: tf.Tensor2D;
   * const logits = model.logits({ inputIds, attentionMask, decoderInputIds }); // [B, L, V]
   * ```
   */
  logits(inputs: T5LogitsInputs): tf.Tensor3D {
    const training = inputs.training ?? false;
    return tf.tidy(() => {
      const encoderHidden = this.encode(inputs.inputIds, { training, ...(inputs.attentionMask ? { attentionMask: inputs.attentionMask } : {}) });
      const { hidden } = this.backbone.decode(inputs.decoderInputIds, {
        training, context: encoderHidden,
        ...(inputs.attentionMask ? { contextMask: inputs.attentionMask } : {}),
        ...(inputs.decoderAttentionMask ? { attentionMask: inputs.decoderAttentionMask } : {}),
      });
      return this.head(hidden) as tf.Tensor3D;
    });
  }

  /**
   * `[..., D]` decoder output → `[..., V]` logits (tied: rescaled by d_model^-0.5 first, as HF).
   * `transposedShared`, the tied head's `[D, V]` weight of a {@link T5DecoderCache}, takes `[B, D]` rows.
   */
  private head(hidden: tf.Tensor, transposedShared?: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      if (this.lmHead !== undefined) return this.lmHead.forward(hidden);
      const scaled = tf.mul(hidden, this.config.hiddenSize ** -0.5);
      return transposedShared === undefined ? this.backbone.shared.attend(scaled) : tf.matMul(scaled, transposedShared); // [B, D] @ [D, V] -> [B, V]
    });
  }

  /**
   * Mean cross-entropy of the batch's labels, skipping {@link IGNORE_INDEX}. Without
   * `decoderInputIds` the decoder reads the labels shifted right behind the decoder start token
   * ({@link t5ShiftRight}). Ids are checked against the vocabulary first.
   * @param batch - encoder inputs, labels and optional decoder inputs as flat typed arrays
   * @param training - enables dropout
   * @returns a scalar the caller disposes
   * @throws VocabularyError for an id outside the vocabulary, ShapeError for inconsistent arrays
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM, batch: Seq2SeqBatch;
   * const loss = model.computeLoss(batch, true);
   * ```
   */
  computeLoss(batch: Seq2SeqBatch, training: boolean): tf.Scalar {
    validateSeq2SeqBatch(batch, this.config.vocabSize);
    const { batchSize: b, sourceLength: s, targetLength: l } = batch;
    const decoderIds = batch.decoderInputIds ?? t5ShiftRight(batch.labels, b, l, this.config.decoderStartTokenId, this.config.padTokenId);
    return tf.tidy(() => {
      const logits = this.logits({
        inputIds: tf.tensor2d(batch.inputIds, [b, s], 'int32'),
        decoderInputIds: tf.tensor2d(decoderIds, [b, l], 'int32'),
        ...(batch.attentionMask ? { attentionMask: tf.tensor2d(batch.attentionMask, [b, s], 'int32') } : {}),
        ...(batch.decoderAttentionMask ? { decoderAttentionMask: tf.tensor2d(batch.decoderAttentionMask, [b, l], 'int32') } : {}),
        training,
      });
      return crossEntropy(logits, tf.tensor2d(batch.labels, [b, l], 'int32'), { ignoreIndex: IGNORE_INDEX });
    });
  }

  /**
   * The step function of generation for these encoder inputs: the first call (cache null) runs
   * the encoder once, projects its output for every cross-attention and feeds the given decoder
   * tokens; later calls feed only the new tokens after the cached ones. When the first call has
   * k times as many decoder rows as there are encoder rows, each encoder row serves k consecutive
   * decoder rows (several samples per input, `numReturnSequences`).
   * @param inputIds - encoder ids, one row or several (shorter rows are right-padded)
   * @param attentionMask - optional 1/0 per encoder token (see {@link t5EncoderInputs})
   * @returns a {@link NextFn} returning `[B, V]` logits of the last position and a new cache
   * @throws VocabularyError for an id outside the vocabulary (the step function: ShapeError for a bad row count)
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * const next = model.decoderNext([[5, 6, 1]]);
   * const first = next(tf.tensor2d([[0]], undefined, 'int32'), null); // logits [1, V]
   * ```
   */
  decoderNext(inputIds: readonly number[] | readonly (readonly number[])[], attentionMask?: readonly (readonly number[])[]): NextFn<T5DecoderCache> {
    const encoder = t5EncoderInputs(inputIds, attentionMask, this.config);
    const batch = encoder.ids.length;
    return (tokens, cache) => tf.tidy(() => {
      let encoderMask = cache === null ? tf.tensor2d(encoder.mask, undefined, 'int32') : cache.encoderMask; // [B, S]
      let context: tf.Tensor | undefined;
      if (cache === null) {
        context = this.encode(tf.tensor2d(encoder.ids, undefined, 'int32'), { attentionMask: encoderMask }); // [B, S, D]
        const copies = (tokens.shape[0] as number) / batch;
        assert(Number.isInteger(copies) && copies >= 1, ShapeError,
          () => `decoder tokens have ${tokens.shape[0]} rows, not a multiple of the ${batch} encoder rows`);
        if (copies > 1) { // each encoder row serves `copies` consecutive decoder rows (numReturnSequences samples)
          const rows = tf.tensor1d(Array.from({ length: batch * copies }, (_, i) => Math.floor(i / copies)), 'int32');
          context = tf.gather(context, rows); // [B, S, D] -> [B·copies, S, D]
          encoderMask = tf.gather(encoderMask, rows); // [B, S] -> [B·copies, S]
        }
      }
      const out = this.backbone.decode(tokens, {
        training: false, useCache: true, contextMask: encoderMask,
        ...(context === undefined ? { cache: cache?.selfAttention, crossCache: cache?.crossAttention } : { context }),
      });
      const last = tf.squeeze(tf.slice(out.hidden, [0, out.hidden.shape[1] - 1, 0], [-1, 1, -1]), [1]); // [B, 1, D] -> [B, D]
      // [V, D] -> [D, V] once per generation, tied heads only (see T5DecoderCache.headWeight)
      const headWeight = this.lmHead !== undefined ? undefined : cache?.headWeight ?? tf.transpose(this.backbone.shared.weight) as tf.Tensor2D;
      // New handles of the unchanged cross-attention tensors, mask and head weight: each cache owns its own.
      const own = <T extends tf.Tensor>(x: T): T => (cache === null ? x : tf.clone(x));
      return {
        logits: this.head(last, headWeight),
        cache: {
          selfAttention: out.cache ?? [],
          crossAttention: (out.crossCache ?? []).map((c) => ({ key: own(c.key), value: own(c.value) })),
          encoderMask: own(encoderMask as tf.Tensor2D),
          ...(headWeight === undefined ? {} : { headWeight: own(headWeight) }),
        },
      };
    });
  }

  /**
   * Generates a continuation for each encoder input: greedily by default, by seeded sampling
   * (`doSample`), or by beam search (`numBeams > 1`), with every option of {@link GenerationOptions}.
   * The decoder starts from `decoderStartTokenId`; `eosTokenId` and `padTokenId` default to the
   * config's (pass `eosTokenId: []` to run to `maxNewTokens`).
   * @param inputIds - encoder ids: one row or several (any lengths; right-padded and masked)
   * @returns the generated tokens of each row, without the decoder start token
   * @throws VocabularyError for an id outside the vocabulary; RangeArgumentError for bad options
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * const [greedy] = await model.generate([[5, 6, 1]], { maxNewTokens: 10 });
   * const beams = await model.generate([[5, 6, 1]], { maxNewTokens: 10, numBeams: 3 });
   * ```
   */
  async generate(inputIds: readonly number[] | readonly (readonly number[])[], options: T5GenerateOptions): Promise<number[][]> {
    const { next, prompt, settings } = this.plan(inputIds, options);
    return generate(next, prompt, { ...settings, disposeCache: disposeT5Cache, reorderCache: reorderT5Cache });
  }

  /**
   * Streams generation: yields each step's new token of every row (greedy or sampled; not beam
   * search). Breaking out of the loop frees everything.
   * @param inputIds - encoder ids: one row or several
   * @returns an async iterator of per-step token arrays
   * @throws VocabularyError for an id outside the vocabulary; RangeArgumentError for bad options
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * const out: number[] = [];
   * for await (const [token] of model.stream([[5, 6, 1]], { maxNewTokens: 10 })) out.push(token!);
   * ```
   */
  stream(inputIds: readonly number[] | readonly (readonly number[])[], options: T5GenerateOptions): AsyncGenerator<number[], void, undefined> {
    const { next, prompt, settings } = this.plan(inputIds, options);
    return streamGenerate(next, prompt, { ...settings, disposeCache: disposeT5Cache });
  }

  /** The step function, the decoder prompt (start token per row) and the options with T5's token defaults. */
  private plan(inputIds: readonly number[] | readonly (readonly number[])[], options: T5GenerateOptions): {
    next: NextFn<T5DecoderCache>; prompt: number[][]; settings: Omit<T5GenerateOptions, 'attentionMask'>;
  } {
    const { attentionMask, ...rest } = options;
    const next = this.decoderNext(inputIds, attentionMask);
    const rows = Array.isArray(inputIds[0]) ? inputIds.length : 1;
    const settings = { ...rest, eosTokenId: options.eosTokenId ?? this.config.eosTokenId, padTokenId: options.padTokenId ?? this.config.padTokenId };
    return { next, prompt: Array.from({ length: rows }, () => [this.config.decoderStartTokenId]), settings };
  }

  /**
   * Saves a Hugging Face folder into `dir` (created if missing), atomically: `config.json` and
   * `model.safetensors` with HF names and layouts (`shared.weight`, plus `lm_head.weight` when
   * untied), loadable by `T5ForConditionalGeneration.from_pretrained`.
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * await model.save('out/t5');
   * const again = await T5Seq2SeqLM.load('out/t5');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeT5Folder(dir, this, this.config);
  }

  /**
   * Files the Trainer stores in every checkpoint: the HF `config.json`.
   * @example
   * ```ts
   * declare const model: T5Seq2SeqLM;
   * model.checkpointFiles()['config.json']; // '{\n  "architectures": ...'
   * ```
   */
  checkpointFiles(): Record<string, string> {
    return { [MODEL_FOLDER_FILES.config]: `${JSON.stringify(t5ConfigToHuggingFace(this.config), null, 2)}\n` };
  }

  /**
   * Loads a Hugging Face T5 folder (`config.json` + `model.safetensors`), as saved by
   * {@link T5Seq2SeqLM.save} or `save_pretrained`.
   * @param options - `gradientCheckpointing: true` to fine-tune with activation recomputation
   * @throws ConfigError for a missing or unsupported config, SafetensorsError or StateDictError for the weights
   * @example
   * ```ts
   * const model = await T5Seq2SeqLM.fromHuggingFace('models/t5-small');
   * ```
   */
  static async fromHuggingFace(dir: string, options: T5LoadOptions = {}): Promise<T5Seq2SeqLM> {
    return readT5Folder(dir, (config) => new T5Seq2SeqLM(config), options);
  }

  /**
   * Same as {@link T5Seq2SeqLM.fromHuggingFace}: wordforge saves T5 in Hugging Face's format. Also
   * reads Trainer checkpoint folders (their `config.json` from {@link T5Seq2SeqLM.checkpointFiles},
   * weights under our parameter names).
   * @example
   * ```ts
   * const model = await T5Seq2SeqLM.load('out/t5');
   * ```
   */
  static async load(dir: string, options: T5LoadOptions = {}): Promise<T5Seq2SeqLM> {
    return T5Seq2SeqLM.fromHuggingFace(dir, options);
  }
}
