import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { Rng } from '../../utils/rng.js';
import type { Seq2SeqBatch } from '../seq2seq-batch.js';
import { collatorRng, type CollatorRandomness } from './collator-rng.js';
import { collateSeq2Seq, type CollateSeq2SeqOptions, type Seq2SeqPair } from './collate-seq2seq.js';
import { randomSpansNoiseMask, type NoiseSpanOptions } from './random-spans-noise-mask.js';

/**
 * Options of {@link spanCorrupt}. Sentinels are `sentinelIds` in order (`<extra_id_0>`,
 * `<extra_id_1>`...), or counted down from `vocabSize − 1` as T5's vocabularies place them.
 * @example
 * ```ts
 * const options: SpanCorruptionOptions = { vocabSize: 32128, eosId: 1, noiseDensity: 0.15, meanSpanLength: 3 };
 * ```
 */
export interface SpanCorruptionOptions extends NoiseSpanOptions {
  /** Id of the end-of-sequence token appended to inputs and targets. */
  readonly eosId: number;
  /** Sentinel ids, `<extra_id_0>` first (e.g. `tokenizer.tokenToId('<extra_id_0>')`...). */
  readonly sentinelIds?: readonly number[];
  /** Vocabulary size: without `sentinelIds`, sentinel k is `vocabSize − 1 − k`. */
  readonly vocabSize?: number;
}

/** The id of sentinel `k`. */
function sentinel(k: number, options: SpanCorruptionOptions): number {
  const { sentinelIds, vocabSize } = options;
  if (sentinelIds) {
    assert(k < sentinelIds.length, RangeArgumentError,
      () => `span ${k} needs sentinel ${k} but only ${sentinelIds.length} sentinelIds were given`);
    return sentinelIds[k]!;
  }
  assert(vocabSize !== undefined && Number.isInteger(vocabSize) && vocabSize > k, RangeArgumentError,
    () => `span corruption needs sentinelIds or a vocabSize larger than ${k} (got ${vocabSize})`);
  return vocabSize - 1 - k;
}

/**
 * Keeps tokens outside `mask`, and replaces each run of masked tokens by one sentinel, numbered in
 * order (T5's `noise_span_to_unique_sentinel`; with the mask inverted, `nonnoise_span_to_unique_sentinel`).
 */
function replaceSpans(ids: ArrayLike<number>, mask: Uint8Array, masked: number, options: SpanCorruptionOptions): number[] {
  const out: number[] = [];
  let spans = 0;
  for (let i = 0; i < ids.length; i++) {
    const isMasked = mask[i] === masked;
    if (!isMasked) out.push(ids[i] as number);
    else if (i === 0 || mask[i - 1] !== masked) out.push(sentinel(spans++, options));
  }
  out.push(options.eosId);
  return out;
}

/**
 * T5's span corruption (the `span_corruption` objective of
 * google-research/text-to-text-transfer-transformer): draws {@link randomSpansNoiseMask}; the
 * input keeps the non-noise tokens with each noise span replaced by the next sentinel
 * (`noise_span_to_unique_sentinel`), the target keeps the noise tokens with each non-noise span
 * replaced by the next sentinel (`nonnoise_span_to_unique_sentinel`); both end with `eosId`. As
 * T5's masks start with non-noise and end with noise, `[a b c d e f]` with noise on `b c` and `f`
 * gives source `[a <X0> d e <X1> EOS]` and target `[<X0> b c <X1> f EOS]`.
 * @param ids - the token ids (without EOS)
 * @param rng - the generator drawn from
 * @throws RangeArgumentError on bad options or too few sentinels
 * @example
 * ```ts
 * declare const ids: number[];
 * const { source, target } = spanCorrupt(ids, { vocabSize: 32128, eosId: 1 }, new Rng(0));
 * ```
 */
export function spanCorrupt(ids: ArrayLike<number>, options: SpanCorruptionOptions, rng: Rng): Seq2SeqPair {
  const mask = randomSpansNoiseMask(ids.length, options, rng);
  return { source: replaceSpans(ids, mask, 1, options), target: replaceSpans(ids, mask, 0, options) };
}

/**
 * Options of {@link collateSpanCorruption}.
 * @example
 * ```ts
 * const options: CollateSpanCorruptionOptions = { vocabSize: 32128, eosId: 1, padId: 0, decoderStartId: 0, seed: 0 };
 * ```
 */
export interface CollateSpanCorruptionOptions extends SpanCorruptionOptions, CollateSeq2SeqOptions, CollatorRandomness {}

/**
 * Corrupts each example with {@link spanCorrupt} and pads the pairs with {@link collateSeq2Seq}.
 * @param examples - token sequences (without EOS)
 * @throws RangeArgumentError on bad options or too few sentinels
 * @example
 * ```ts
 * declare const ids1: number[], ids2: number[];
 * const batch = collateSpanCorruption([ids1, ids2], { vocabSize: 32128, eosId: 1, padId: 0, seed: 0 });
 * ```
 */
export function collateSpanCorruption(examples: readonly ArrayLike<number>[], options: CollateSpanCorruptionOptions): Seq2SeqBatch {
  const rng = collatorRng(options);
  return collateSeq2Seq(examples.map((ids) => spanCorrupt(ids, options, rng)), options);
}
