import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { Rng } from '../../utils/rng.js';

/**
 * Options of {@link randomSpansNoiseMask}.
 * @example
 * ```ts
 * const options: NoiseSpanOptions = { noiseDensity: 0.15, meanSpanLength: 3 };
 * ```
 */
export interface NoiseSpanOptions {
  /** Share of tokens that are noise. T5 default 0.15. */
  readonly noiseDensity?: number;
  /** Mean length of a noise span. T5 default 3. */
  readonly meanSpanLength?: number;
}

/**
 * The counts {@link noiseSpanCounts} returns.
 * @example
 * ```ts
 * const counts: NoiseSpanCounts = { noiseTokens: 15, noiseSpans: 5 };
 * ```
 */
export interface NoiseSpanCounts {
  /** Noise tokens in the sequence. */
  readonly noiseTokens: number;
  /** Noise spans (and non-noise spans) in the sequence. */
  readonly noiseSpans: number;
}

/** Round half to even in float32, as `tf.round` computes T5's counts. */
function roundFloat32(x: number): number {
  const f = Math.fround(x);
  const floor = Math.floor(f);
  const diff = f - floor;
  if (diff !== 0.5) return Math.round(f);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * How many noise tokens and noise spans T5 puts in a sequence of `length` tokens:
 * `round(length × noiseDensity)` tokens (at least 1 and at most `length − 1`, on a length of at
 * least 2) in `round(tokens / meanSpanLength)` spans (at least 1), computed in float32 with
 * round-half-to-even as `tf.round` does.
 * @param length - tokens in the sequence
 * @example
 * ```ts
 * noiseSpanCounts(100, { noiseDensity: 0.15, meanSpanLength: 3 }); // { noiseTokens: 15, noiseSpans: 5 }
 * ```
 */
export function noiseSpanCounts(length: number, options: NoiseSpanOptions = {}): NoiseSpanCounts {
  const { noiseDensity = 0.15, meanSpanLength = 3 } = options;
  assert(Number.isInteger(length) && length >= 0, RangeArgumentError, () => `length (${length}) must be a non-negative integer`);
  assert(noiseDensity >= 0 && noiseDensity < 1, RangeArgumentError, () => `noiseDensity (${noiseDensity}) must be in [0, 1)`);
  assert(meanSpanLength >= 1, RangeArgumentError, () => `meanSpanLength (${meanSpanLength}) must be at least 1`);
  const padded = Math.max(length, 2);
  const raw = roundFloat32(padded * Math.fround(noiseDensity));
  const noiseTokens = Math.min(Math.max(raw, 1), padded - 1);
  const noiseSpans = Math.max(roundFloat32(noiseTokens / Math.fround(meanSpanLength)), 1);
  return { noiseTokens, noiseSpans };
}

/** Splits `items` into `segments` non-empty segments, uniformly at random (T5's `_random_segmentation`). */
function randomSegmentation(items: number, segments: number, rng: Rng): number[] {
  const firstInSegment = rng.shuffle(Array.from({ length: items - 1 }, (_, i) => (i < segments - 1 ? 1 : 0)));
  const lengths = new Array<number>(segments).fill(0);
  let segment = 0;
  lengths[0] = 1;
  for (const starts of firstInSegment) {
    segment += starts;
    lengths[segment]! += 1;
  }
  return lengths;
}

/**
 * T5's noise mask of random spans (`random_spans_noise_mask` in
 * google-research/text-to-text-transfer-transformer `t5/data/preprocessors.py`; Raffel et al. 2020,
 * https://arxiv.org/abs/1910.10683): the counts come from {@link noiseSpanCounts}; the noise and
 * the non-noise tokens are each split uniformly at random into that many non-empty spans, which
 * alternate starting with non-noise. Computed on a length of at least 2, then cut to `length`.
 * @param length - tokens in the sequence
 * @param rng - the generator drawn from
 * @returns 1 at noise positions, 0 elsewhere
 * @example
 * ```ts
 * const mask = randomSpansNoiseMask(20, { noiseDensity: 0.15, meanSpanLength: 3 }, new Rng(0)); // 3 ones in 1 span
 * ```
 */
export function randomSpansNoiseMask(length: number, options: NoiseSpanOptions, rng: Rng): Uint8Array {
  const { noiseTokens, noiseSpans } = noiseSpanCounts(length, options);
  if ((options.noiseDensity ?? 0.15) === 0) return new Uint8Array(length);
  const padded = Math.max(length, 2);
  const noise = randomSegmentation(noiseTokens, noiseSpans, rng);
  const nonNoise = randomSegmentation(padded - noiseTokens, noiseSpans, rng);
  const mask = new Uint8Array(padded);
  let position = 0;
  for (let span = 0; span < noiseSpans; span++) {
    position += nonNoise[span]!;
    mask.fill(1, position, position + noise[span]!);
    position += noise[span]!;
  }
  return mask.slice(0, length);
}

/**
 * Raw and corrupted lengths of T5 span corruption for packing (T5's `random_spans_helper`,
 * Hugging Face's `compute_input_and_target_lengths`).
 * @example
 * ```ts
 * const lengths: SpanCorruptionLengths = { tokensLength: 568, inputsLength: 512, targetsLength: 114 };
 * ```
 */
export interface SpanCorruptionLengths {
  /** Raw tokens to pack per example. */
  readonly tokensLength: number;
  /** Encoder tokens after corruption (non-noise tokens, one sentinel per span, EOS). */
  readonly inputsLength: number;
  /** Decoder tokens (noise tokens, one sentinel per span, EOS). */
  readonly targetsLength: number;
}

/**
 * The longest raw example whose span-corrupted input (with EOS) fits in `inputsLength` tokens, and
 * the lengths of its input and target: pack blocks of `tokensLength` raw tokens and every corrupted
 * batch comes out unpadded. With T5's defaults, 512 input tokens take 568 raw tokens and give
 * 114 target tokens.
 * @param inputsLength - the encoder length to fill
 * @throws RangeArgumentError on bad options
 * @example
 * ```ts
 * const { tokensLength } = spanCorruptionLengths(512, { noiseDensity: 0.15, meanSpanLength: 3 }); // 568
 * ```
 */
export function spanCorruptionLengths(inputsLength: number, options: NoiseSpanOptions = {}): SpanCorruptionLengths {
  assert(Number.isInteger(inputsLength) && inputsLength >= 2, RangeArgumentError, () => `inputsLength (${inputsLength}) must be an integer of at least 2`);
  const corrupted = (tokens: number): { inputs: number; targets: number } => {
    const { noiseTokens, noiseSpans } = noiseSpanCounts(tokens, options);
    return { inputs: tokens - noiseTokens + noiseSpans + 1, targets: noiseTokens + noiseSpans + 1 };
  };
  let tokensLength = 1;
  while (corrupted(tokensLength + 1).inputs <= inputsLength) tokensLength++;
  const { inputs, targets } = corrupted(tokensLength);
  return { tokensLength, inputsLength: inputs, targetsLength: targets };
}
