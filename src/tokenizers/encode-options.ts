import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Options of {@link Tokenizer.encode}.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * tokenizer.encode('hi', null, { addSpecialTokens: false });
 * ```
 */
export interface EncodeOptions {
  /** Let the post-processor add its special tokens (default true, as Hugging Face). */
  readonly addSpecialTokens?: boolean;
  /**
   * Refuse inputs longer than this many UTF-16 code units with a RangeArgumentError before any
   * work is done (default: no limit), so a service cannot be stalled by one enormous text.
   */
  readonly maxInputLength?: number;
}

/**
 * Options of {@link Tokenizer.encodeBatchAsync}.
 * @example
 * ```ts
 * const options: EncodeBatchAsyncOptions = { signal: AbortSignal.timeout(5000), chunkSize: 256 };
 * ```
 */
export interface EncodeBatchAsyncOptions extends EncodeOptions {
  /** Aborting it stops the batch between chunks with a CancelledError. */
  readonly signal?: AbortSignal;
  /** Inputs encoded between two yields to the event loop (default 64). */
  readonly chunkSize?: number;
}

/**
 * Options of {@link Tokenizer.decode}.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * tokenizer.decode(tokenizer.encodeIds('hi'), { skipSpecialTokens: true }); // 'hi'
 * ```
 */
export interface DecodeOptions {
  /** Leave out added tokens marked special (default false). */
  readonly skipSpecialTokens?: boolean;
}

/**
 * Throws a RangeArgumentError when an input is longer than `maxInputLength` (or the limit is
 * invalid); does nothing without a limit.
 * @param text - the first input
 * @param pair - the second input, or null
 * @param maxInputLength - the limit in UTF-16 code units, or undefined for none
 * @example
 * ```ts
 * checkInputLength('x'.repeat(11), null, 10); // RangeArgumentError: text of 11 characters exceeds maxInputLength (10)
 * ```
 */
export function checkInputLength(text: string, pair: string | null, maxInputLength: number | undefined): void {
  if (maxInputLength === undefined) return;
  assert(Number.isInteger(maxInputLength) && maxInputLength >= 0, RangeArgumentError,
    () => `maxInputLength (${maxInputLength}) must be a non-negative integer`);
  for (const [name, input] of [['text', text], ['pair', pair]] as const) {
    assert(input === null || input.length <= maxInputLength, RangeArgumentError,
      () => `${name} of ${input?.length} characters exceeds maxInputLength (${maxInputLength})`);
  }
}
