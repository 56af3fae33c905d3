import { RangeArgumentError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

function checkNllSum(nllSum: number): void {
  assert(typeof nllSum === 'number' && Number.isFinite(nllSum), RangeArgumentError,
    () => `nllSum (${String(nllSum)}) must be a finite number (natural-log units)`);
}

function checkCount(name: string, count: number): void {
  assert(Number.isInteger(count) && count > 0, RangeArgumentError,
    () => `${name} (${String(count)}) must be a positive integer`);
}

/**
 * Token-weighted perplexity of a corpus: `exp(nllSum / tokenCount)`, where `nllSum` is the sum of
 * the per-token negative log-likelihoods in nats over every scored token of every text. Summing
 * first and dividing once weighs each token equally (averaging per-batch perplexities does not).
 *
 * @param nllSum - total negative log-likelihood, natural log
 * @param tokenCount - number of tokens scored
 * @returns the perplexity
 * @throws RangeArgumentError when `nllSum` is not finite or `tokenCount` is not a positive integer
 * @example
 * ```ts
 * perplexity(4 * Math.log(50), 4); // 50: four tokens, each given probability 1/50
 * ```
 */
export function perplexity(nllSum: number, tokenCount: number): number {
  checkNllSum(nllSum);
  checkCount('tokenCount', tokenCount);
  return Math.exp(nllSum / tokenCount);
}

/**
 * Bits per byte: `bpb = nllSum / (ln 2 · byteCount)`, the total negative log-likelihood in nats
 * converted to bits and spread over the UTF-8 bytes of the text the tokens cover. Unlike
 * perplexity it does not depend on the tokenizer, so models with different vocabularies compare.
 * Count bytes with `new TextEncoder().encode(text).length`.
 *
 * @param nllSum - total negative log-likelihood of the text's tokens, natural log
 * @param byteCount - UTF-8 bytes of the text
 * @returns bits per byte
 * @throws RangeArgumentError for a non-finite `nllSum` or a `byteCount` that is not a positive integer
 * @example
 * ```ts
 * bitsPerByte(100 * Math.LN2, 50); // 2: 100 bits of surprise over 50 bytes
 * ```
 */
export function bitsPerByte(nllSum: number, byteCount: number): number {
  checkNllSum(nllSum);
  checkCount('byteCount', byteCount);
  return nllSum / (Math.LN2 * byteCount);
}

/**
 * Bits per character: `bpc = nllSum / (ln 2 · charCount)`, as {@link bitsPerByte} but over
 * characters (count Unicode code points, `[...text].length`; a Chinese character is one
 * character and three UTF-8 bytes).
 *
 * @param nllSum - total negative log-likelihood of the text's tokens, natural log
 * @param charCount - characters (code points) of the text
 * @returns bits per character
 * @throws RangeArgumentError for a non-finite `nllSum` or a `charCount` that is not a positive integer
 * @example
 * ```ts
 * bitsPerCharacter(10 * Math.LN2, 5); // 2
 * ```
 */
export function bitsPerCharacter(nllSum: number, charCount: number): number {
  checkNllSum(nllSum);
  checkCount('charCount', charCount);
  return nllSum / (Math.LN2 * charCount);
}

/**
 * Streaming sums for corpus perplexity: feed the per-token negative log-likelihoods of each batch
 * (with a mask that marks padding), read the token-weighted perplexity at the end.
 *
 * @example
 * ```ts
 * const acc = new PerplexityAccumulator();
 * acc.add([2.1, 1.7, 0.4, 9.9], [1, 1, 1, 0]); // the last position is padding
 * acc.add(new Float32Array([1.2, 0.8]));
 * acc.tokenCount;   // 5
 * acc.perplexity(); // exp((2.1 + 1.7 + 0.4 + 1.2 + 0.8) / 5)
 * ```
 */
export class PerplexityAccumulator {
  private sum = 0;
  private count = 0;

  /** Total negative log-likelihood so far, in nats. */
  get nllSum(): number {
    return this.sum;
  }

  /** Tokens counted so far. */
  get tokenCount(): number {
    return this.count;
  }

  /**
   * Adds a batch of per-token negative log-likelihoods (nats), flattened.
   *
   * @param nll - one value per position, e.g. `[B, T]` flattened
   * @param mask - same length; 1 where the position is a real token, 0 for padding (whose NLL,
   *   even NaN, is ignored). Without a mask every position counts.
   * @returns this accumulator
   * @throws ShapeError when the mask's length differs; RangeArgumentError for a mask value other
   *   than 0 or 1, or a non-finite NLL at a counted position
   */
  add(nll: ArrayLike<number>, mask?: ArrayLike<number>): this {
    assert(mask === undefined || mask.length === nll.length, ShapeError,
      () => `mask length (${mask?.length}) must equal nll length (${nll.length})`);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < nll.length; i++) {
      const m = mask === undefined ? 1 : mask[i];
      assert(m === 0 || m === 1, RangeArgumentError, () => `mask[${i}] (${String(m)}) must be 0 or 1`);
      if (m === 0) continue;
      const value = nll[i] as number;
      assert(Number.isFinite(value), RangeArgumentError, () => `nll[${i}] (${String(value)}) must be finite`);
      sum += value;
      count++;
    }
    this.sum += sum;
    this.count += count;
    return this;
  }

  /**
   * Adds an already summed batch (a loss times its token count).
   *
   * @param nllSum - total negative log-likelihood of the batch, nats
   * @param tokenCount - tokens in it, a non-negative integer
   * @returns this accumulator
   * @throws RangeArgumentError for a non-finite sum or a bad count
   */
  addSum(nllSum: number, tokenCount: number): this {
    checkNllSum(nllSum);
    assert(Number.isInteger(tokenCount) && tokenCount >= 0, RangeArgumentError,
      () => `tokenCount (${String(tokenCount)}) must be a non-negative integer`);
    this.sum += nllSum;
    this.count += tokenCount;
    return this;
  }

  /** Mean negative log-likelihood per token (the cross-entropy loss), nats. */
  meanNll(): number {
    checkCount('tokenCount', this.count);
    return this.sum / this.count;
  }

  /** Token-weighted perplexity of everything added, see {@link perplexity}. */
  perplexity(): number {
    return perplexity(this.sum, this.count);
  }

  /** Bits per byte of everything added, see {@link bitsPerByte}. @param byteCount - UTF-8 bytes of the texts */
  bitsPerByte(byteCount: number): number {
    return bitsPerByte(this.sum, byteCount);
  }

  /** Bits per character of everything added, see {@link bitsPerCharacter}. @param charCount - characters of the texts */
  bitsPerCharacter(charCount: number): number {
    return bitsPerCharacter(this.sum, charCount);
  }

  /** Forgets everything added. */
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

/** One window of a strided evaluation: model input `tokens[begin, end)`, scored targets `[targetBegin, end)`. */
export interface SlidingWindow {
  /** First token fed to the model (inclusive). */
  readonly begin: number;
  /** One past the last token fed to the model. */
  readonly end: number;
  /** First token whose NLL this window contributes; the ones before are context only. */
  readonly targetBegin: number;
}

/**
 * The strided sliding-window plan for the perplexity of a text longer than the model's context,
 * as in the Hugging Face guide "Perplexity of fixed-length models": windows of `contextLength`
 * tokens start every `stride` tokens, and each scores only the tokens the previous one did not,
 * so every token is scored once with at least `contextLength - stride` tokens of context (fewer in
 * the first window). The last window ends at `numTokens`. As in the guide, the model scores a
 * window's targets with its usual shift: the token at `begin` has no context inside the window
 * and is not predicted (in the first window that is token 0; with `stride === contextLength` the
 * first token of every window goes unscored, the guide's non-overlapping case).
 * https://huggingface.co/docs/transformers/perplexity
 *
 * @param numTokens - length of the tokenized text
 * @param contextLength - the model's maximum input length
 * @param stride - step between window starts, 1..contextLength (smaller: more context, more compute)
 * @returns the windows in order; none for an empty text
 * @throws RangeArgumentError for a negative or fractional `numTokens`, a non-positive
 *   `contextLength`, or a `stride` outside 1..contextLength
 * @example
 * ```ts
 * slidingWindows(10, 4, 2);
 * // [{ begin: 0, end: 4, targetBegin: 0 }, { begin: 2, end: 6, targetBegin: 4 },
 * //  { begin: 4, end: 8, targetBegin: 6 }, { begin: 6, end: 10, targetBegin: 8 }]
 * ```
 */
export function slidingWindows(numTokens: number, contextLength: number, stride: number): SlidingWindow[] {
  assert(Number.isInteger(numTokens) && numTokens >= 0, RangeArgumentError,
    () => `numTokens (${String(numTokens)}) must be a non-negative integer`);
  checkCount('contextLength', contextLength);
  assert(Number.isInteger(stride) && stride >= 1 && stride <= contextLength, RangeArgumentError,
    () => `stride (${String(stride)}) must be an integer in 1..contextLength (${contextLength})`);
  const windows: SlidingWindow[] = [];
  let previousEnd = 0;
  for (let begin = 0; begin < numTokens; begin += stride) {
    const end = Math.min(begin + contextLength, numTokens);
    windows.push({ begin, end, targetBegin: previousEnd });
    previousEnd = end;
    if (end === numTokens) break;
  }
  return windows;
}
