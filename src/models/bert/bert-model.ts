import * as tf from '@tensorflow/tfjs-core';
import { checkTokenIds } from '../../data/causal-lm-batch.js';
import { Dropout } from '../../layers/dropout.js';
import { Embedding } from '../../layers/embedding.js';
import { LayerNorm } from '../../layers/layer-norm.js';
import { LearnedPositionEmbedding } from '../../layers/learned-position-embedding.js';
import { Linear } from '../../layers/linear.js';
import { Module } from '../../layers/module.js';
import { SinusoidalPositionEmbedding } from '../../layers/sinusoidal-position-embedding.js';
import { TransformerBlock } from '../../layers/transformer-block.js';
import { assert, type ErrorClass } from '../../utils/assert.js';
import { ConfigError, ContextLengthError, RangeArgumentError, ShapeError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';
import { resolveBertConfig, type BertConfig, type BertConfigInput } from './bert-config.js';
import { readBertFolder, writeBertFolder, type BertLoadOptions } from './bert-folder.js';
import { bertHasPooler } from './bert-hf-weights.js';

/** Token ids or masks: a `[B, T]` tensor, or rows of numbers (uploaded as int32). */
export type BertInputArray = tf.Tensor | readonly (readonly number[])[];

/** What a BERT-family model reads; every array is `[B, T]`. */
export interface BertInputs {
  /** Token ids. Ids given as arrays are checked against the vocabulary. */
  readonly inputIds: BertInputArray;
  /** 1 for real tokens, 0 for padding; absent means no padding. */
  readonly attentionMask?: BertInputArray;
  /** Segment ids (0 = first sentence, 1 = second); absent means all 0. Not for DistilBERT. */
  readonly tokenTypeIds?: BertInputArray;
  /** Position of each token (Hugging Face's `position_ids`); absent: the variant's default numbering. */
  readonly positionIds?: BertInputArray;
}

/** Output of {@link BertModel.forward}: the caller owns and disposes every tensor. */
export interface BertModelOutput {
  /** Hidden states of the last layer, `[B, T, D]`. */
  readonly hidden: tf.Tensor3D;
  /** `tanh(dense(hidden[:, 0]))`, `[B, D]`; only for a model built with a pooler. */
  readonly pooled?: tf.Tensor2D;
}

/** Options of {@link BertModel}. */
export interface BertModelOptions {
  /** Build the pooler (dense + tanh on the first token), as Hugging Face's `add_pooling_layer`. */
  readonly pooler?: boolean;
}

/**
 * The BERT-family encoder without a task head: word + position (+ token-type) embeddings,
 * embedding LayerNorm, `numLayers` post-LayerNorm bidirectional Transformer blocks, and optionally
 * the pooler. One class serves BERT, RoBERTa and DistilBERT; {@link BertConfig.variant} picks the
 * position numbering and whether token types exist. Parameters: `wordEmbedding.weight`,
 * `positionEmbedding.weight`, `tokenTypeEmbedding.weight`, `embeddingNorm.*`,
 * `blocks.N.{attn.query,attn.key,attn.value,attn.out,ln1,mlp.fc,mlp.out,ln2}.*`, `pooler.*`.
 *
 * @example
 * ```ts
 * const model = new BertModel({ vocabSize: 100, hiddenSize: 32, numLayers: 2, numHeads: 4 }, { pooler: true });
 * const { hidden, pooled } = model.forward({ inputIds: [[2, 7, 9, 3]] }, false);
 * hidden.shape; // [1, 4, 32]
 * ```
 */
export class BertModel extends Module {
  /** The resolved, frozen configuration. */
  readonly config: BertConfig;
  /** Token embedding `[V, D]`; also the tied output projection of the masked-LM head. */
  readonly wordEmbedding: Embedding;
  /** Position table `[maxPositions, D]`; frozen sinusoids with `positionEmbedding: 'sinusoidal'`. */
  readonly positionEmbedding: LearnedPositionEmbedding;
  /** Segment embedding `[typeVocabSize, D]`; absent when typeVocabSize is 0 (DistilBERT). */
  readonly tokenTypeEmbedding?: Embedding;
  /** LayerNorm of the summed embeddings. */
  readonly embeddingNorm: LayerNorm;
  /** Dropout on the normalised embeddings. */
  readonly embeddingDropout: Dropout;
  /** The post-LN Transformer blocks. */
  readonly blocks: TransformerBlock[];
  /** Dense layer of the pooler `[D, D]`, followed by tanh; only when built with `pooler: true`. */
  readonly pooler?: Linear;

  /** @param config - hyper-parameters; missing fields take {@link BERT_CONFIG_DEFAULTS} */
  constructor(config: BertConfigInput, options: BertModelOptions = {}) {
    super();
    const c = resolveBertConfig(config);
    this.config = c;
    const seeds = new Rng(c.seed);
    const init = { initStd: c.initStd };
    this.embeddingDropout = new Dropout(c.hiddenDropout, { seed: seeds.nextSeed() });
    this.wordEmbedding = new Embedding(c.vocabSize, c.hiddenSize, { ...init, seed: seeds.nextSeed() });
    this.positionEmbedding = new LearnedPositionEmbedding(c.maxPositions, c.hiddenSize, { ...init, seed: seeds.nextSeed() });
    if (c.positionEmbedding === 'sinusoidal') {
      const table = new SinusoidalPositionEmbedding(c.maxPositions, c.hiddenSize);
      this.positionEmbedding.weight.assign(table.table);
      table.dispose();
      this.positionEmbedding.weight.trainable = false; // DistilBERT's sinusoids have requires_grad False
    }
    if (c.typeVocabSize > 0) this.tokenTypeEmbedding = new Embedding(c.typeVocabSize, c.hiddenSize, { ...init, seed: seeds.nextSeed() });
    this.embeddingNorm = new LayerNorm(c.hiddenSize, { eps: c.layerNormEps });
    this.blocks = Array.from({ length: c.numLayers }, () => new TransformerBlock(c.hiddenSize, c.numHeads, c.intermediateSize, {
      normPosition: 'post', norm: 'layer', eps: c.layerNormEps, activation: c.activation, bias: true, fusedQkv: false,
      causal: false, dropout: c.hiddenDropout, attentionDropout: c.attentionDropout, initStd: c.initStd, seed: seeds.nextSeed(),
    }));
    if (options.pooler === true) this.pooler = new Linear(c.hiddenSize, c.hiddenSize, { ...init, seed: seeds.nextSeed() });
    this.zeroPaddingRows();
  }

  /** HF's init zeroes the `padding_idx` rows: the pad token's vector and, in RoBERTa, the pads' position. */
  private zeroPaddingRows(): void {
    const { padTokenId, hiddenSize, variant } = this.config;
    const tables = variant === 'roberta' ? [this.wordEmbedding.weight, this.positionEmbedding.weight] : [this.wordEmbedding.weight];
    tf.tidy(() => {
      for (const table of tables) {
        const isPad = tf.reshape(tf.equal(tf.range(0, table.shape[0] as number, 1, 'int32'), padTokenId), [-1, 1]); // [rows, 1]
        table.assign(tf.where(tf.tile(isPad, [1, hiddenSize]), tf.zerosLike(table), table));
      }
    });
  }

  /**
   * The word embedding, which is also the masked-LM head's tied decoder: the table a vocabulary
   * extension resizes (Hugging Face's `get_input_embeddings`).
   * @example
   * ```ts
   * declare const encoder: BertModel;
   * encoder.inputEmbeddings().numEmbeddings; // encoder.config.vocabSize
   * ```
   */
  inputEmbeddings(): Embedding {
    return this.wordEmbedding;
  }

  /**
   * Records a new vocabulary size after the word embedding was resized (e.g. by the fine-tuning
   * toolkit's `resizeTokenEmbeddings`), so the config, `save()` and id checks use it.
   * @param vocabSize - the word embedding's new number of rows
   * @throws ShapeError when the word embedding does not have `vocabSize` rows
   * @example
   * ```ts
   * declare const encoder: BertModel, biggerTable: tf.Tensor2D;
   * encoder.inputEmbeddings().setWeight(biggerTable);
   * encoder.setVocabSize(biggerTable.shape[0]);
   * ```
   */
  setVocabSize(vocabSize: number): void {
    const rows = this.wordEmbedding.numEmbeddings;
    assert(rows === vocabSize, ShapeError, () => `vocabSize (${vocabSize}) must equal the word embedding's rows (${rows})`);
    (this as { config: BertConfig }).config = resolveBertConfig({ ...this.config, vocabSize });
  }

  /**
   * Turns activation recomputation in training passes on or off ({@link BertConfig.gradientCheckpointing})
   * for this encoder as it is, weights untouched: Hugging Face's `gradient_checkpointing_enable()`
   * and `gradient_checkpointing_disable()`, for a loaded checkpoint. Takes effect on the next forward pass.
   * @param enabled - true: blocks recompute their activations in the backward pass
   * @throws ConfigError when `enabled` is not a boolean
   * @example
   * ```ts
   * const encoder = new BertModel({ vocabSize: 100, hiddenSize: 32, numLayers: 2, numHeads: 4 });
   * encoder.setGradientCheckpointing(true); // encoder.config.gradientCheckpointing === true
   * ```
   */
  setGradientCheckpointing(enabled: boolean): void {
    (this as { config: BertConfig }).config = resolveBertConfig({ ...this.config, gradientCheckpointing: enabled });
  }

  /**
   * Runs the encoder.
   * @param inputs - ids and optional masks, `[B, T]` each (tensors are not disposed)
   * @param training - enables dropout
   * @throws ShapeError for inputs of inconsistent shapes; ConfigError for token types on a model
   *   without them; ContextLengthError for a sequence longer than the position table (or position
   *   ids past it); VocabularyError for ids outside the vocabulary, RangeArgumentError for token
   *   types outside `[0, typeVocabSize)` (both checked when given as arrays)
   */
  forward(inputs: BertInputs, training: boolean): BertModelOutput {
    const c = this.config;
    if (!(inputs.inputIds instanceof tf.Tensor)) {
      inputs.inputIds.forEach((row, b) => checkTokenIds(row, c.vocabSize, `inputIds[${b}]`));
    }
    assert(inputs.tokenTypeIds === undefined || this.tokenTypeEmbedding !== undefined, ConfigError,
      () => `tokenTypeIds given to a ${c.variant} model without token types (typeVocabSize 0)`);
    checkArrayRange(inputs.tokenTypeIds, 'tokenTypeIds', c.typeVocabSize, RangeArgumentError);
    checkArrayRange(inputs.positionIds, 'positionIds', c.maxPositions, ContextLengthError);
    return tf.tidy(() => {
      const ids = toInt2D(inputs.inputIds, 'inputIds');
      const [batch, length] = ids.shape;
      const like = (x: BertInputArray | undefined, name: string): tf.Tensor2D | undefined => {
        if (x === undefined) return undefined;
        const t = toInt2D(x, name);
        assert(t.shape[0] === batch && t.shape[1] === length, ShapeError,
          () => `${name} [${t.shape}] must have the shape of inputIds [${ids.shape}]`);
        return t;
      };
      const mask = like(inputs.attentionMask, 'attentionMask');
      const tokenTypes = like(inputs.tokenTypeIds, 'tokenTypeIds');
      const positionIds = like(inputs.positionIds, 'positionIds');
      let x: tf.Tensor = this.wordEmbedding.forward(ids); // [B, T, D]
      if (this.tokenTypeEmbedding !== undefined) {
        const types = tokenTypes === undefined
          ? tf.slice(this.tokenTypeEmbedding.weight, [0, 0], [1, c.hiddenSize]) // segment 0 for all: [1, D]
          : this.tokenTypeEmbedding.forward(tokenTypes); // [B, T, D]
        x = tf.add(x, types);
      }
      x = tf.add(x, this.positions(ids, positionIds));
      x = this.embeddingDropout.forward(this.embeddingNorm.forward(x), training);
      const recompute = training && c.gradientCheckpointing === true;
      for (const block of this.blocks) {
        x = block.forward(x, { training, recompute, ...(mask === undefined ? {} : { attentionMask: mask }) }).output;
      }
      const hidden = x as tf.Tensor3D;
      if (this.pooler === undefined) return { hidden };
      const first = tf.squeeze(tf.slice(hidden, [0, 0, 0], [-1, 1, -1]), [1]); // [B, 1, D] -> [B, D]
      return { hidden, pooled: tf.tanh(this.pooler.forward(first)) as tf.Tensor2D };
    });
  }

  /**
   * Saves the encoder as a Hugging Face base-model folder (`BertModel`, `RobertaModel`,
   * `DistilBertModel`: names without the variant prefix, as their `save_pretrained` writes).
   * Build it with `pooler: true` for BERT and RoBERTa, which HF's base models have.
   * @throws StateDictError when the model lacks the pooler HF's base model has
   * @example
   * ```ts
   * declare const encoder: BertModel;
   * await encoder.save('out/bert-encoder');
   * ```
   */
  async save(dir: string): Promise<void> {
    await writeBertFolder(dir, this.stateDict(), this.config, 'base');
  }

  /**
   * Loads the encoder of a Hugging Face folder: a base-model file (`BertModel`...; with its
   * pooler, except DistilBERT), or with `newHead: true` the encoder of any task checkpoint (its
   * heads skipped, a pooler it lacks freshly initialised), as `BertModel.from_pretrained` does.
   * @throws ConfigError for a bad config, StateDictError listing missing, unexpected or misshapen weights
   * @example
   * ```ts
   * const encoder = await BertModel.fromHuggingFace('bert-tiny-mlm', { newHead: true });
   * const { hidden } = encoder.forward({ inputIds: [[2, 7, 3]] }, false);
   * ```
   */
  static async fromHuggingFace(dir: string, options: BertLoadOptions = {}): Promise<BertModel> {
    return readBertFolder(dir, 'base', (config) => new BertModel(config, { pooler: bertHasPooler(config.variant, 'base') }), options);
  }

  /** Position vectors: given ids gathered, else `0..T-1` (BERT) or {@link robertaPositionIds}. */
  private positions(ids: tf.Tensor2D, positionIds: tf.Tensor2D | undefined): tf.Tensor {
    const c = this.config;
    const length = ids.shape[1];
    if (positionIds === undefined && c.variant !== 'roberta') return this.positionEmbedding.forward(length); // [T, D]
    if (positionIds === undefined) {
      assert(c.padTokenId + length < c.maxPositions, ContextLengthError,
        () => `sequence of ${length} tokens exceeds roberta's ${c.maxPositions - c.padTokenId - 1} positions ` +
          `(maxPositions ${c.maxPositions}, numbered from padTokenId + 1 = ${c.padTokenId + 1})`);
    }
    const numbered = positionIds ?? robertaPositionIds(ids, c.padTokenId);
    return tf.gather(this.positionEmbedding.weight, numbered); // [B, T] -> [B, T, D]
  }
}

/**
 * RoBERTa's position ids (Hugging Face `create_position_ids_from_input_ids`): real tokens are
 * numbered `padTokenId + 1, padTokenId + 2, ...` counting only non-pad tokens, pads get
 * `padTokenId`: `cumsum(ids != pad) * (ids != pad) + pad`.
 * @param inputIds - `[B, T]` token ids
 * @param padTokenId - the padding id (RoBERTa: 1)
 * @returns `[B, T]` int32 positions; the caller disposes them
 * @example
 * ```ts
 * robertaPositionIds(tf.tensor2d([[0, 5, 2, 1]], undefined, 'int32'), 1); // [[2, 3, 4, 1]]
 * ```
 */
export function robertaPositionIds(inputIds: tf.Tensor, padTokenId: number): tf.Tensor2D {
  return tf.tidy(() => {
    const real = tf.cast(tf.notEqual(tf.cast(inputIds, 'int32'), padTokenId), 'int32');
    return tf.add(tf.mul(tf.cumsum(real, 1), real), tf.scalar(padTokenId, 'int32')) as tf.Tensor2D;
  });
}

/** Checks ids given as rows of numbers (tensors are not read back) against `[0, limit)`. */
function checkArrayRange(x: BertInputArray | undefined, name: string, limit: number, ErrorType: ErrorClass): void {
  if (x === undefined || x instanceof tf.Tensor) return;
  x.forEach((row, b) => row.forEach((v, t) => {
    assert(Number.isInteger(v) && v >= 0 && v < limit, ErrorType, () => `${name}[${b}][${t}] = ${v} is outside [0, ${limit})`);
  }));
}

/** A `[B, T]` int32 tensor from a tensor or rows of numbers (made inside the caller's tidy). */
function toInt2D(x: BertInputArray, name: string): tf.Tensor2D {
  if (x instanceof tf.Tensor) {
    assert(x.rank === 2, ShapeError, () => `${name} must be [batch, time], got shape [${x.shape}]`);
    return (x.dtype === 'int32' ? x : tf.cast(x, 'int32')) as tf.Tensor2D;
  }
  assert(Array.isArray(x) && x.length > 0 && x.every((row) => Array.isArray(row) && row.length === x[0]?.length && row.length > 0), ShapeError,
    () => `${name} must be non-empty rows of equal length, got ${x.length} rows`);
  return tf.tensor2d(x as number[][], undefined, 'int32');
}
