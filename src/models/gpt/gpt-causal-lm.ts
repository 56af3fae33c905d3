import * as tf from '@tensorflow/tfjs-core';
import { checkTokenIds, validateCausalLMBatch, IGNORE_INDEX, type CausalLMBatch } from '../../data/causal-lm-batch.js';
import { generate, type GenerateOptions } from '../../generation/generate.js';
import type { NextResult } from '../../generation/next-fn.js';
import { readModelFolder, writeModelFolder } from '../../io/model-folder.js';
import type { KVCache } from '../../layers/kv-cache.js';
import { Module, type StateDict } from '../../layers/module.js';
import { crossEntropy } from '../../ops/cross-entropy.js';
import { ConfigError } from '../../utils/errors.js';
import { resolveGPTConfig, type GPTConfig, type GPTConfigInput } from './gpt-config.js';
import { gptConfigFromHuggingFace, gptStateDictFromHuggingFace } from './gpt-hf-weights.js';
import { GPTModel } from './gpt-model.js';

/**
 * What {@link GPTCausalLM.next} carries between decoding steps: per-block keys and values, and the
 * tokens they belong to (needed to re-encode a cropped window once the context is full).
 */
export interface GPTGenerationCache {
  /** One key/value cache per block, `[B, H, S, Dh]` each. */
  readonly layers: KVCache[];
  /** Every token seen so far, `[B, S_total]` int32. */
  readonly tokens: tf.Tensor2D;
}

/**
 * GPT-2 language model: {@link GPTModel} plus a head tied to the token embedding
 * (`logits = hidden · tokenEmbeddingᵀ`). Trains on {@link CausalLMBatch}es and decodes through
 * {@link GPTCausalLM.next}, the only thing the samplers see.
 *
 * @example
 * ```ts
 * const model = new GPTCausalLM({ vocabSize: 512, hiddenSize: 64, numLayers: 2, numHeads: 4, contextLength: 32 });
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
   * Next-token logits for every position.
   * @param inputIds - `[B, T]` int32 token ids
   * @param options - `training` enables dropout; `attentionMask` `[B, T]` marks padding with 0
   * @returns `[B, T, V]` logits; the caller disposes them
   */
  logits(inputIds: tf.Tensor, options: { training: boolean; attentionMask?: tf.Tensor }): tf.Tensor3D {
    return tf.tidy(() => {
      const { hidden } = this.backbone.forward(inputIds, options);
      return this.backbone.tokenEmbedding.attend(hidden) as tf.Tensor3D;
    });
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
   * Continues each prompt row with up to `maxNewTokens` tokens (greedy by default, or sampled
   * with temperature/top-k/top-p), decoding with the KV cache. Prompt ids are checked against the
   * vocabulary first.
   * @param prompt - one row of token ids, or several rows of equal length
   * @returns the new tokens of each row (the prompt excluded)
   * @throws VocabularyError for a prompt id outside the vocabulary
   */
  async generate(
    prompt: readonly number[] | readonly (readonly number[])[],
    options: Omit<GenerateOptions<GPTGenerationCache>, 'disposeCache'>,
  ): Promise<number[][]> {
    const rows = (Array.isArray(prompt[0]) ? prompt : [prompt]) as readonly (readonly number[])[];
    rows.forEach((row, b) => checkTokenIds(row, this.config.vocabSize, `prompt[${b}]`));
    return generate(this.next, prompt, { ...options, disposeCache: disposeGPTCache });
  }

  /**
   * Saves `config.json` and `model.safetensors` into `dir` (created if missing), atomically.
   * @example
   * ```ts
   * await model.save('out/gpt');
   * const again = await GPTCausalLM.load('out/gpt');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeModelFolder(dir, { model_type: MODEL_TYPE, ...this.config }, this.stateDict());
  }

  /**
   * Loads a model saved by {@link GPTCausalLM.save}.
   * @throws ConfigError for a missing or invalid config, SafetensorsError or StateDictError for the weights
   */
  static async load(dir: string): Promise<GPTCausalLM> {
    return GPTCausalLM.fromFolder(dir, (config, tensors) => {
      const { model_type: modelType, ...fields } = config;
      if (modelType !== MODEL_TYPE) {
        throw new ConfigError(`${dir}/config.json has model_type ${JSON.stringify(modelType)}, expected "${MODEL_TYPE}"`);
      }
      return { config: resolveGPTConfig(fields as unknown as GPTConfigInput), state: tensors };
    });
  }

  /**
   * Loads a Hugging Face GPT-2 folder (`config.json` + `model.safetensors`, as `save_pretrained`
   * writes them), e.g. to fine-tune an open checkpoint.
   * @throws ConfigError for a config that is not GPT-2, StateDictError for weights that do not match
   */
  static async fromHuggingFace(dir: string): Promise<GPTCausalLM> {
    return GPTCausalLM.fromFolder(dir, (hf, tensors) => {
      const config = gptConfigFromHuggingFace(hf);
      return { config, state: gptStateDictFromHuggingFace(tensors, config.numLayers) };
    });
  }

  /** Reads a folder, converts it with `convert`, builds the model; frees every loaded tensor. */
  private static async fromFolder(
    dir: string,
    convert: (config: Record<string, unknown>, tensors: Record<string, tf.Tensor>) => { config: GPTConfigInput; state: StateDict },
  ): Promise<GPTCausalLM> {
    const { config, tensors } = await readModelFolder(dir);
    try {
      const converted = convert(config, tensors);
      const model = new GPTCausalLM(converted.config);
      try {
        model.loadStateDict(converted.state);
      } catch (error) {
        model.dispose();
        throw error;
      }
      return model;
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  /**
   * One decoding step for the samplers of `generation/`: feeds `tokens` after what `cache` holds
   * and returns the logits of the last position. When the context window is full, the oldest
   * tokens are dropped and the window is re-encoded (nanoGPT's crop), so generation can run past
   * `contextLength`. Ids are not range-checked here (that would read the tensor back); use
   * {@link checkTokenIds} on prompts first, as {@link GPTCausalLM.generate} does.
   * @param tokens - `[B, t]` int32 new tokens (the whole prompt on the first call)
   * @param cache - what the previous call returned, or null on the first call; not disposed here
   * @returns `[B, V]` logits and the new cache, both owned by the caller
   */
  readonly next = (tokens: tf.Tensor, cache: GPTGenerationCache | null): NextResult<GPTGenerationCache> => {
    return tf.tidy(() => {
      const all = (cache ? tf.concat([cache.tokens, tokens], 1) : tf.cast(tokens, 'int32')) as tf.Tensor2D; // [B, S_total]
      const total = all.shape[1];
      const window = this.config.contextLength;
      const fits = total <= window;
      const input = fits ? (cache ? tokens : all) : tf.slice(all, [0, total - window], [-1, window]);
      const { hidden, cache: layers } = this.backbone.forward(input, {
        training: false,
        useCache: true,
        ...(cache && fits ? { cache: cache.layers } : {}),
      });
      const last = tf.squeeze(tf.slice(hidden, [0, hidden.shape[1] - 1, 0], [-1, 1, -1]), [1]); // [B, 1, D] -> [B, D]
      const logits = this.backbone.tokenEmbedding.attend(last) as tf.Tensor2D;
      return { logits, cache: { layers: layers ?? [], tokens: all } };
    });
  };
}

/** The `model_type` written to and expected in a wordforge GPT folder's `config.json`. */
const MODEL_TYPE = 'wordforge-gpt';

/**
 * Frees the tensors of a {@link GPTGenerationCache}.
 * @example
 * ```ts
 * const { logits, cache } = model.next(prompt, null);
 * disposeGPTCache(cache);
 * ```
 */
export function disposeGPTCache(cache: GPTGenerationCache): void {
  cache.tokens.dispose();
  for (const layer of cache.layers) {
    layer.key.dispose();
    layer.value.dispose();
  }
}
