import { assert } from '../../utils/assert.js';
import { ShapeError } from '../../utils/errors.js';
import type { SequenceClassificationBatch, TokenClassificationBatch } from '../classification-batch.js';
import { IGNORE_INDEX } from '../causal-lm-batch.js';
import { paddedLength, rowAttentionMask, padRows, type RowPadding } from './pad-rows.js';

/**
 * One sequence-classification example: a class index, or regression targets.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const example: ClassificationExample = { inputIds: tokenizer.encode('great film').ids, label: 1 };
 * ```
 */
export interface ClassificationExample {
  /** Token ids, without padding. */
  readonly inputIds: ArrayLike<number>;
  /** Class index, or one target per regression output. */
  readonly label: number | readonly number[];
  /** Segment id per token (sentence pairs). */
  readonly tokenTypeIds?: ArrayLike<number>;
}

/**
 * One token-classification example: a label per token ({@link IGNORE_INDEX} where no loss).
 * @example
 * ```ts
 * const example: TokenClassificationExample = { inputIds: [101, 7592, 102], labels: [-100, 3, -100] };
 * ```
 */
export interface TokenClassificationExample {
  /** Token ids, without padding. */
  readonly inputIds: ArrayLike<number>;
  /** Class index or {@link IGNORE_INDEX} per token. */
  readonly labels: ArrayLike<number>;
  /** Segment id per token. */
  readonly tokenTypeIds?: ArrayLike<number>;
}

/**
 * Options of the classification collators.
 * @example
 * ```ts
 * const options: CollateClassificationOptions = { padId: 0, padToMultipleOf: 8 };
 * ```
 */
export interface CollateClassificationOptions extends RowPadding {
  /** Token id written into padded positions. */
  readonly padId: number;
}

/** Pads the inputs (and segment ids when any example has them) shared by both collators. */
function padInputs(examples: readonly (ClassificationExample | TokenClassificationExample)[], options: CollateClassificationOptions) {
  const side = options.side ?? 'right';
  examples.forEach((e, i) => assert(e.tokenTypeIds === undefined || e.tokenTypeIds.length === e.inputIds.length, ShapeError,
    () => `example ${i} has ${e.tokenTypeIds?.length} tokenTypeIds for ${e.inputIds.length} inputIds`));
  const lengths = examples.map((e) => e.inputIds.length);
  const seqLength = paddedLength(lengths, options, 'example');
  const hasTypes = examples.some((e) => e.tokenTypeIds !== undefined);
  return {
    batchSize: examples.length,
    seqLength,
    inputIds: padRows(examples.map((e) => e.inputIds), seqLength, options.padId, side),
    attentionMask: rowAttentionMask(lengths, seqLength, side),
    ...(hasTypes ? { tokenTypeIds: padRows(examples.map((e) => e.tokenTypeIds ?? new Int32Array(e.inputIds.length)), seqLength, 0, side) } : {}),
  };
}

/**
 * Pads sequence-classification examples into a {@link SequenceClassificationBatch}: integer
 * labels become an Int32Array of class indices; array labels (regression) a Float32Array of
 * `batchSize × numLabels` targets.
 * @param examples - the examples; all class indices or all regression targets of one length
 * @throws ShapeError on mixed or ragged labels, RangeArgumentError / ContextLengthError on padding
 * @example
 * ```ts
 * const batch = collateClassification([{ inputIds: [5, 6], label: 1 }, { inputIds: [7], label: 0 }], { padId: 0 });
 * // inputIds [5, 6, 7, 0], labels Int32Array [1, 0]
 * ```
 */
export function collateClassification(examples: readonly ClassificationExample[], options: CollateClassificationOptions): SequenceClassificationBatch {
  const inputs = padInputs(examples, options);
  const first = examples[0]!.label;
  if (typeof first === 'number') {
    const bad = examples.findIndex((e) => typeof e.label !== 'number');
    assert(bad < 0, ShapeError, () => `example ${bad} has regression targets but example 0 a class index`);
    return { ...inputs, labels: Int32Array.from(examples, (e) => e.label as number) };
  }
  const width = first.length;
  const bad = examples.findIndex((e) => typeof e.label === 'number' || e.label.length !== width);
  assert(bad < 0, ShapeError, () => `example ${bad} does not have ${width} regression targets like example 0`);
  return { ...inputs, labels: Float32Array.from(examples.flatMap((e) => e.label as readonly number[])) };
}

/**
 * Pads token-classification examples into a {@link TokenClassificationBatch}: labels padded with
 * {@link IGNORE_INDEX}.
 * @param examples - the examples, a label per token
 * @throws ShapeError when an example has not one label per token
 * @example
 * ```ts
 * const batch = collateTokenClassification([{ inputIds: [5, 6], labels: [1, 2] }, { inputIds: [7], labels: [0] }], { padId: 0 });
 * // labels [1, 2, 0, -100]
 * ```
 */
export function collateTokenClassification(examples: readonly TokenClassificationExample[], options: CollateClassificationOptions): TokenClassificationBatch {
  examples.forEach((e, i) => assert(e.labels.length === e.inputIds.length, ShapeError,
    () => `example ${i} has ${e.labels.length} labels for ${e.inputIds.length} tokens`));
  const inputs = padInputs(examples, options);
  return { ...inputs, labels: padRows(examples.map((e) => e.labels), inputs.seqLength, IGNORE_INDEX, options.side ?? 'right') };
}

/**
 * Spreads word-level labels over tokens (Hugging Face's token-classification recipe): the first
 * token of each word gets the word's label; later tokens of the word get {@link IGNORE_INDEX}, or
 * the same label with `labelAllTokens`; special tokens (word id null) get {@link IGNORE_INDEX}.
 * @param wordIds - word index per token, e.g. `Encoding.wordIds`
 * @param wordLabels - label per word
 * @throws ShapeError when a word index has no label
 * @example
 * ```ts
 * alignWordLabels([null, 0, 0, 1, null], [3, 5]); // [-100, 3, -100, 5, -100]
 * ```
 */
export function alignWordLabels(wordIds: readonly (number | null)[], wordLabels: readonly number[], labelAllTokens = false): number[] {
  return wordIds.map((word, i) => {
    if (word === null) return IGNORE_INDEX;
    assert(word >= 0 && word < wordLabels.length, ShapeError, () => `token ${i} belongs to word ${word} but only ${wordLabels.length} word labels were given`);
    return labelAllTokens || i === 0 || wordIds[i - 1] !== word ? wordLabels[word]! : IGNORE_INDEX;
  });
}
