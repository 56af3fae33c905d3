import type { Rng } from '../utils/rng.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { CausalLMBatch } from './causal-lm-batch.js';

/** Options of {@link sampleWindows}. */
export interface SampleWindowsOptions {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Tokens per row. */
  readonly seqLength: number;
  /** Draws the window starts; pass the same seeded generator for a reproducible stream. */
  readonly rng: Rng;
}

/**
 * Draws `batchSize` random windows of `seqLength + 1` consecutive tokens from a token stream and
 * returns them as a next-token batch (inputs = window without its last token, labels = window
 * without its first), the way nanoGPT trains on one long concatenated corpus.
 * @param tokens - the whole tokenised corpus
 * @example
 * ```ts
 * declare const tokenizer: CharTokenizer, text: string;
 * const batch = sampleWindows(Int32Array.from(tokenizer.encode(text)), { batchSize: 8, seqLength: 64, rng: new Rng(0) });
 * ```
 */
export function sampleWindows(tokens: ArrayLike<number>, options: SampleWindowsOptions): CausalLMBatch {
  const { batchSize, seqLength, rng } = options;
  checkWindowOptions(tokens.length, options);
  const inputIds = new Int32Array(batchSize * seqLength);
  const labels = new Int32Array(batchSize * seqLength);
  for (let b = 0; b < batchSize; b++) {
    const start = rng.nextInt(tokens.length - seqLength);
    for (let t = 0; t < seqLength; t++) {
      inputIds[b * seqLength + t] = tokens[start + t] as number;
      labels[b * seqLength + t] = tokens[start + t + 1] as number;
    }
  }
  return { batchSize, seqLength, inputIds, labels };
}

/**
 * Throws a {@link RangeArgumentError} unless windows of `seqLength + 1` tokens can be drawn from a
 * stream of `length` tokens.
 * @example
 * ```ts
 * declare const tokens: Int32Array;
 * checkWindowOptions(tokens.length, { batchSize: 8, seqLength: 64 });
 * ```
 */
export function checkWindowOptions(length: number, options: Pick<SampleWindowsOptions, 'batchSize' | 'seqLength'>): void {
  const { batchSize, seqLength } = options;
  assert(Number.isInteger(batchSize) && batchSize > 0, RangeArgumentError, () => `batchSize (${batchSize}) must be a positive integer`);
  assert(Number.isInteger(seqLength) && seqLength > 0, RangeArgumentError, () => `seqLength (${seqLength}) must be a positive integer`);
  assert(length > seqLength, RangeArgumentError,
    () => `token stream (${length} tokens) must be longer than seqLength (${seqLength})`);
}
