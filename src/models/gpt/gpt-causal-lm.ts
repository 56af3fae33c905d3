import * as tf from '@tensorflow/tfjs-core';
import { checkTokenIds, validateCausalLMBatch, IGNORE_INDEX, type CausalLMBatch } from '../../data/causal-lm-batch.js';
import { generate, type GenerateOptions } from '../../generation/generate.js';
import type { GenerationOptions } from '../../generation/generation-options.js';
import type { NextFn, NextOptions, NextResult } from '../../generation/next-fn.js';
import { streamGenerate } from '../../generation/stream-generate.js';
import { MODEL_FOLDER_FILES, writeModelFolder } from '../../io/model-folder.js';
import type { Embedding } from '../../layers/embedding.js';
import { disposeGPTCache, gptPositionIds, reorderGPTCache, type GPTGenerationCache } from './gpt-generation-cache.js';
import { Module } from '../../layers/module.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { assert } from '../../utils/assert.js';
import { RangeArgumentError, ShapeError } from '../../utils/errors.js';
import { resolveGPTConfig, type GPTConfig, type GPTConfigInput } from './gpt-config.js';
import { readGPTFolder, type GPTLoadOptions } from './gpt-folder.js';
import { gptConfigToHuggingFace, gptStateDictToHuggingFace } from './gpt-hf-weights.js';
import { GPTModel } from './gpt-model.js';

/** Conditioning accepted by {@link GPTCausalLM.generate} and {@link GPTCausalLM.stream}. */
export interface ConditioningOption {
  /**
   * `[B, 1, D]` added to the input embeddings of every token of row `b`, prompt and generated
   * (e.g. a domain vector from `DomainEmbedding`); needs numBeams and numReturnSequences of 1.
   * Not disposed here.
   */
  readonly inputEmbeddingOffset?: tf.Tensor;
}

/** Options of {@link GPTCausalLM.logits} when the ids come as a tensor. */
export interface GPTLogitsOptions {
  /** Enables dropout. */
  readonly training: boolean;
  /** `[B, T]` 1 for real tokens, 0 for padding. */
  readonly attentionMask?: tf.Tensor;
  /** `[B, T]` position of each token (see {@link gptPositionIds} for left padding). */
  readonly positionIds?: tf.Tensor;
  /** `[B, 1 or T, D]` added to the input embeddings (domain conditioning). */
  readonly inputEmbeddingOffset?: tf.Tensor;
}

/** The named inputs of {@link GPTCausalLM.logits}, as the other task models take them. */
export interface GPTLogitsInputs {
  /** `[B, T]` token ids; arrays are checked against the vocabulary. */
  readonly inputIds: tf.Tensor | readonly (readonly number[])[];
  /** `[B, T]` 1 for real tokens, 0 for padding. */
  readonly attentionMask?: tf.Tensor | readonly (readonly number[])[];
  /** `[B, T]` position of each token (Hugging Face's `position_ids`). */
  readonly positionIds?: tf.Tensor | readonly (readonly number[])[];
  /** Enables dropout (default false). */
  readonly training?: boolean;
  /** `[B, 1 or T, D]` added to the input embeddings (domain conditioning). */
  readonly inputEmbeddingOffset?: tf.Tensor;
}

/**
 * GPT-2 language model: {@link GPTModel} plus a head tied to the token embedding
 * (`logits = hidden · tokenEmbeddingᵀ`). Trains on {@link CausalLMBatch}es and decodes through
 * {@link GPTCausalLM.next}, the only thing the samplers see.
 *
 * @example
 * ```ts
 * const model = new GPTCausalLM({ vocabSize: 512, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 32 });
 * const batch: CausalLMBatch = { batchSize: 1, seqLength: 3, inputIds: Int32Array.from([1, 2, 3]), labels: Int32Array.from([2, 3, 4]) };
 * const loss = model.computeLoss(batch, true); // scalar
 * ```
 */
export class GPTCausalLM extends Module {
  /** The decoder stack; its token embedding doubles as the output projection. */
  readonly backbone: GPTModel;

  /** @param config - hyper-parameters; see {@link resolveGPTConfig} */
  constructor(config: GPTConfigInput) {
    super();
    this.backbone = new GPTModel(config);
  }

  /** The resolved, frozen configuration. */
  get config(): GPTConfig {
    return this.backbone.config;
  }

  /**
   * The token embedding, which is also the tied output head: the table a vocabulary extension
   * resizes (Hugging Face's `get_input_embeddings`).
   * @example
   * ```ts
   * declare const model: GPTCausalLM;
   * model.inputEmbeddings().numEmbeddings; // model.config.vocabSize
   * ```
   */
  inputEmbeddings(): Embedding {
    return this.backbone.tokenEmbedding;
  }

  /**
   * Records a new vocabulary size after the token embedding was resized (e.g. by the fine-tuning
   * toolkit's `resizeTokenEmbeddings`), so the config, `save()` and id checks use it.
   * @param vocabSize - the token embedding's new number of rows
   * @throws ShapeError when the token embedding does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const model: GPTCausalLM, biggerTable: tf.Tensor2D;
   * model.inputEmbeddings().setWeight(biggerTable);
   * model.setVocabSize(biggerTable.shape[0]);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    const rows = this.backbone.tokenEmbedding.numEmbeddings;
    assert(rows === vocabSize, ShapeError, () => `vocabSize (${vocabSize}) must equal the token embedding's rows (${rows})`);
    (this.backbone as { config: GPTConfig }).config = resolveGPTConfig({ ...this.config, vocabSize });
  }

  /**
   * Turns activation recomputation in training passes on or off for this model as it is, loaded
   * or built (Hugging Face's `gradient_checkpointing_enable()`); see {@link GPTModel.setGradientCheckpointing}.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const model = await GPTCausalLM.load('checkpoints/gpt2');
   * model.setGradientCheckpointing(true); // model.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    this.backbone.setGradientCheckpointing(enabled);
  }

  /**
   * Next-token logits for every position, from named inputs as the other task models take them
   * (tensors or nested arrays; array ids are checked against the vocabulary).
   * @param inputs - `{ inputIds, attentionMask?, positionIds?, training?, inputEmbeddingOffset? }`
   * @returns `[B, T, V]` logits; the caller disposes them
   * @example
   * ```ts
   * declare const model: GPTCausalLM;
   * const logits = model.logits({ inputIds: [[1, 2, 3]], attentionMask: [[1, 1, 1]] });
   * ```
   */
  logits(inputs: GPTLogitsInputs): tf.Tensor3D;
  /**
   * Next-token logits for every position, from a tensor of ids.
   * @param inputIds - `[B, T]` int32 token ids
   * @param options - `training` enables dropout; `attentionMask` `[B, T]` marks padding with 0;
   *   `positionIds` `[B, T]` numbers positions per row (for left padding, see `gptPositionIds`);
   *   `inputEmbeddingOffset` `[B, 1 or T, D]` is added to the input embeddings (domain conditioning)
   * @returns `[B, T, V]` logits; the caller disposes them
   * @example
   * ```ts
   * declare const model: GPTCausalLM, ids: tf.Tensor2D;
   * const logits = model.logits(ids, { training: false });
   * ```
   */
  logits(inputIds: tf.Tensor, options: GPTLogitsOptions): tf.Tensor3D;
  logits(inputIds: tf.Tensor | GPTLogitsInputs, options?: GPTLogitsOptions): tf.Tensor3D {
    if (inputIds instanceof tf.Tensor) {
      return tf.tidy(() => {
        const { hidden } = this.backbone.forward(inputIds, options ?? { training: false });
        return this.backbone.tokenEmbedding.attend(hidden) as tf.Tensor3D;
      });
    }
    const { inputIds: ids, attentionMask, positionIds, training = false, inputEmbeddingOffset } = inputIds;
    if (!(ids instanceof tf.Tensor)) ids.forEach((row, b) => checkTokenIds(row, this.config.vocabSize, `inputIds[${b}]`));
    const created: tf.Tensor[] = [];
    const tensor = (x: tf.Tensor | readonly (readonly number[])[]): tf.Tensor => {
      if (x instanceof tf.Tensor) return x;
      const t = tf.tensor2d(x as number[][], undefined, 'int32');
      created.push(t);
      return t;
    };
    try {
      return this.logits(tensor(ids), {
        training,
        ...(attentionMask === undefined ? {} : { attentionMask: tensor(attentionMask) }),
        ...(positionIds === undefined ? {} : { positionIds: tensor(positionIds) }),
        ...(inputEmbeddingOffset === undefined ? {} : { inputEmbeddingOffset }),
      });
    } finally {
      tf.dispose(created);
    }
  }

  /**
   * Mean cross-entropy of the batch's labels, skipping {@link IGNORE_INDEX} and padded positions.
   * Ids are checked against the vocabulary first.
   * @param batch - inputs and labels as flat typed arrays
   * @param training - enables dropout
   * @returns a scalar the caller disposes
   * @throws VocabularyError for an id outside the vocabulary, ShapeError for inconsistent arrays
   */
  computeLoss(batch: CausalLMBatch, training: boolean): tf.Scalar {
    validateCausalLMBatch(batch, this.config.vocabSize);
    return tf.tidy(() => {
      const shape: [number, number] = [batch.batchSize, batch.seqLength];
      const inputIds = tf.tensor2d(batch.inputIds, shape, 'int32');
      const mask = batch.attentionMask ? tf.tensor2d(batch.attentionMask, shape, 'int32') : undefined;
      let labels: tf.Tensor = tf.tensor2d(batch.labels, shape, 'int32');
      if (mask) labels = tf.where(tf.cast(mask, 'bool'), labels, tf.fill(shape, IGNORE_INDEX, 'int32'));
      const logits = this.logits(inputIds, { training, ...(mask ? { attentionMask: mask } : {}) });
      return crossEntropy(logits, labels, { ignoreIndex: IGNORE_INDEX }) as tf.Scalar;
    });
  }

  /**
   * Continues each prompt row with up to `maxNewTokens` tokens, decoding with the KV cache:
   * greedily by default, by seeded sampling (`doSample`, or the older `strategy: 'sample'`), or by
   * beam search (`numBeams > 1`), with every processor and stopping rule of
   * {@link GenerationOptions}. Prompts may differ in length: they are left-padded, masked and
   * numbered from their first real token, so each row decodes as if it were alone. Prompt ids are
   * checked against the vocabulary first.
   * @param inputIds - one row of token ids, or several rows
   * @param options - see {@link GenerationOptions}; `onToken` is called after each step (not with beams)
   * @returns the new tokens of each row (the prompt excluded); `numReturnSequences` rows per prompt
   * @throws VocabularyError for a prompt id outside the vocabulary; RangeArgumentError for bad options
   * @example
   * ```ts
   * declare const model: GPTCausalLM;
   * const [ids] = await model.generate([[1, 2, 3]], { maxNewTokens: 20, doSample: true, topP: 0.9, seed: 1 });
   * const beams = await model.generate([[1, 2, 3]], { maxNewTokens: 20, numBeams: 4, numReturnSequences: 2 });
   * ```
   */
  async generate(
    inputIds: readonly number[] | readonly (readonly number[])[],
    options: Omit<GenerateOptions<GPTGenerationCache>, 'disposeCache' | 'reorderCache'> & ConditioningOption,
  ): Promise<number[][]> {
    this.checkPrompt(inputIds);
    const { inputEmbeddingOffset, ...rest } = options;
    return generate(this.conditionedNext(inputIds, rest, inputEmbeddingOffset), inputIds,
      { ...rest, disposeCache: disposeGPTCache, reorderCache: reorderGPTCache });
  }

  /**
   * Streams generation: yields each step's new token of every row as soon as it is chosen (greedy
   * or sampled; not beam search). Turn it into text with `streamText`. Breaking out of the loop
   * frees everything.
   * @param inputIds - one row of token ids, or several rows (any lengths)
   * @param options - see {@link GenerationOptions}
   * @returns an async iterator of per-step token arrays
   * @throws VocabularyError for a prompt id outside the vocabulary; RangeArgumentError for bad options
   * @example
   * ```ts
   * declare const model: GPTCausalLM, ids: number[], tokenizer: Tokenizer;
   * for await (const [delta] of streamText(model.stream([ids], { maxNewTokens: 50 }), tokenizer.decode)) {
   *   process.stdout.write(delta!);
   * }
   * ```
   */
  stream(inputIds: readonly number[] | readonly (readonly number[])[], options: GenerationOptions & ConditioningOption): AsyncGenerator<number[], void, undefined> {
    this.checkPrompt(inputIds);
    const { inputEmbeddingOffset, ...rest } = options;
    return streamGenerate(this.conditionedNext(inputIds, rest, inputEmbeddingOffset), inputIds, { ...rest, disposeCache: disposeGPTCache });
  }

  /** `next`, or a step function adding `offset` to the input embeddings of every row at every step. */
  private conditionedNext(
    inputIds: readonly number[] | readonly (readonly number[])[], options: GenerationOptions, offset: tf.Tensor | undefined,
  ): NextFn<GPTGenerationCache> {
    if (offset === undefined) return this.next;
    const rows = Array.isArray(inputIds[0]) ? inputIds.length : 1;
    assert((options.numBeams ?? 1) === 1 && (options.numReturnSequences ?? 1) === 1, RangeArgumentError,
      () => 'inputEmbeddingOffset works with one sequence per prompt: numBeams and numReturnSequences must be 1');
    assert(offset.rank === 3 && offset.shape[0] === rows && offset.shape[1] === 1 && offset.shape[2] === this.config.hiddenSize, ShapeError,
      () => `inputEmbeddingOffset [${offset.shape}] must be [${rows}, 1, ${this.config.hiddenSize}] (one vector per prompt row)`);
    return (tokens, cache, stepOptions) => this.step(tokens, cache, stepOptions, offset);
  }

  /** Checks every prompt id against the vocabulary. */
  private checkPrompt(inputIds: readonly number[] | readonly (readonly number[])[]): void {
    const rows = (Array.isArray(inputIds[0]) ? inputIds : [inputIds]) as readonly (readonly number[])[];
    rows.forEach((row, b) => checkTokenIds(row, this.config.vocabSize, `prompt[${b}]`));
  }

  /**
   * Saves `config.json` and `model.safetensors` into `dir` (created if missing), atomically.
   * @example
   * ```ts
   * declare const model: GPTCausalLM;
   * await model.save('out/gpt');
   * const again = await GPTCausalLM.load('out/gpt');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeModelFolder(dir, this.configJSON(), gptStateDictToHuggingFace(this.stateDict(), this.config.numLayers));
  }

  /**
   * The `config.json` object {@link GPTCausalLM.save} writes: Hugging Face's GPT-2 config
   * (`model_type: "gpt2"`), which {@link GPTCausalLM.load} and `transformers` both read.
   */
  configJSON(): Record<string, unknown> {
    return gptConfigToHuggingFace(this.config);
  }

  /**
   * Files the Trainer stores in every checkpoint: `config.json`, so that a checkpoint folder
   * loads directly with {@link GPTCausalLM.load}.
   */
  checkpointFiles(): Record<string, string> {
    return { [MODEL_FOLDER_FILES.config]: `${JSON.stringify(this.configJSON(), null, 2)}\n` };
  }

  /**
   * Loads a model folder: one {@link GPTCausalLM.save} wrote, a Hugging Face GPT-2 folder
   * (`config.json` + `model.safetensors` as `save_pretrained` writes them, old or new key names),
   * a Trainer checkpoint folder, or a folder of wordforge 0.x (`model_type: "wordforge-gpt"`).
   * @param options - `gradientCheckpointing: true` to fine-tune with activation recomputation
   * @throws ConfigError for a missing or invalid config, SafetensorsError or StateDictError for the weights
   * @example
   * ```ts
   * const model = await GPTCausalLM.load('checkpoints/gpt2', { gradientCheckpointing: true });
   * ```
   */
  static async load(dir: string, options: GPTLoadOptions = {}): Promise<GPTCausalLM> {
    return readGPTFolder(dir, (config) => new GPTCausalLM(config), options);
  }

  /**
   * Loads a Hugging Face GPT-2 folder, e.g. to fine-tune an open checkpoint; the same as
   * {@link GPTCausalLM.load}, kept under the name that says where the files come from.
   * @throws ConfigError, SafetensorsError or StateDictError as {@link GPTCausalLM.load}
   * @example
   * ```ts
   * const model = await GPTCausalLM.fromHuggingFace('checkpoints/gpt2');
   * ```
   */
  static async fromHuggingFace(dir: string, options: GPTLoadOptions = {}): Promise<GPTCausalLM> {
    return GPTCausalLM.load(dir, options);
  }

  /**
   * One decoding step for the samplers of `generation/`: feeds `tokens` after what `cache` holds
   * and returns the logits of the last position. On the first call, `options.attentionMask` marks
   * left padding: the mask is kept in the cache and positions count from each row's first real
   * token (as Hugging Face's `position_ids`). When the context window is full, the oldest tokens
   * are dropped and the window is re-encoded (nanoGPT's crop), so generation can run past
   * `contextLength`. Ids are not range-checked here (that would read the tensor back); use
   * {@link checkTokenIds} on prompts first, as {@link GPTCausalLM.generate} does.
   * @param tokens - `[B, t]` int32 new tokens (the whole prompt on the first call)
   * @param cache - what the previous call returned, or null on the first call; not disposed here
   * @param options - the prompt's `[B, T]` attention mask, on the first call; not disposed here
   * @returns `[B, V]` logits and the new cache, both owned by the caller
   */
  readonly next = (tokens: tf.Tensor, cache: GPTGenerationCache | null, options?: NextOptions): NextResult<GPTGenerationCache> =>
    this.step(tokens, cache, options, undefined);

  /** {@link GPTCausalLM.next} with `offset` `[B, 1, D]` added to the input embeddings of every fed token. */
  private step(tokens: tf.Tensor, cache: GPTGenerationCache | null, options: NextOptions | undefined, offset: tf.Tensor | undefined): NextResult<GPTGenerationCache> {
    return tf.tidy(() => {
      const all = (cache ? tf.concat([cache.tokens, tokens], 1) : tf.cast(tokens, 'int32')) as tf.Tensor2D; // [B, S_total]
      const given = cache ? cache.attentionMask : options?.attentionMask;
      const mask = given === undefined ? undefined : (cache ? tf.concat([given, tf.onesLike(tokens)], 1) : tf.cast(given, 'int32')) as tf.Tensor2D;
      const total = all.shape[1];
      const window = this.config.contextLength;
      const fits = total <= window;
      const crop = (x: tf.Tensor2D): tf.Tensor2D => (fits ? x : tf.slice(x, [0, total - window], [-1, window]));
      const input = fits && cache ? tokens : crop(all);
      const keys = mask === undefined ? undefined : crop(mask); // mask over every attended key
      const t = input.shape[1] as number;
      const { hidden, cache: layers } = this.backbone.forward(input, {
        training: false,
        useCache: true,
        ...(cache && fits ? { cache: cache.layers } : {}),
        ...(offset === undefined ? {} : { inputEmbeddingOffset: offset }),
        ...(keys === undefined ? {} : { attentionMask: keys, positionIds: tf.slice(gptPositionIds(keys), [0, keys.shape[1] - t], [-1, t]) }),
      });
      const lastPosition = t === 1 ? hidden : tf.slice(hidden, [0, t - 1, 0], [-1, 1, -1]); // [B, t, D] -> [B, 1, D]
      const last = tf.reshape(lastPosition, [hidden.shape[0], hidden.shape[2]]); // [B, 1, D] -> [B, D]
      // [V, D] -> [D, V], once per generation (see GPTGenerationCache.headWeight)
      const head = cache?.headWeight ?? tf.transpose(this.backbone.tokenEmbedding.weight) as tf.Tensor2D;
      const logits = tf.matMul(last, head); // [B, D] @ [D, V] -> [B, V]
      return {
        logits,
        cache: {
          layers: layers ?? [], tokens: all, headWeight: cache ? tf.clone(head) : head,
          ...(mask === undefined ? {} : { attentionMask: mask }),
        },
      };
    });
  }
}
