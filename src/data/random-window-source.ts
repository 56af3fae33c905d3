import { Rng, type RngState } from '../utils/rng.js';
import type { BatchSource } from './batch-source.js';
import type { CausalLMBatch } from './causal-lm-batch.js';
import { checkWindowOptions, sampleWindows } from './sample-windows.js';

/** Options of {@link randomWindowSource}. */
export interface RandomWindowSourceOptions {
  /** Rows per batch. */
  readonly batchSize: number;
  /** Tokens per row. */
  readonly seqLength: number;
  /** Seed of the window positions. */
  readonly seed: number;
}

/**
 * An endless, resumable {@link BatchSource} of random windows of a token stream (nanoGPT's
 * sampling): each batch is {@link sampleWindows} drawn with a seeded {@link Rng}, whose state is the
 * source's state, so a resumed run draws exactly the batches an uninterrupted run would have.
 * @param tokens - the tokenised corpus
 * @example
 * ```ts
 * declare const tokenizer: CharTokenizer, text: string;
 * const source = randomWindowSource(Int32Array.from(tokenizer.encode(text)), { batchSize: 8, seqLength: 64, seed: 0 });
 * ```
 */
export function randomWindowSource(tokens: ArrayLike<number>, options: RandomWindowSourceOptions): BatchSource<CausalLMBatch> {
  const rng = new Rng(options.seed);
  const window = { batchSize: options.batchSize, seqLength: options.seqLength, rng };
  checkWindowOptions(tokens.length, options);
  return {
    next: () => sampleWindows(tokens, window),
    getState: () => rng.getState(),
    setState: (state: unknown) => rng.setState(state as RngState),
  };
}
