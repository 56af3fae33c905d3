import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { describeValue } from './bleu-inputs.js';
import { BLEU_TOKENIZERS, type BleuTokenizerName } from './tokenizers/bleu-tokenizers.js';

/**
 * BLEU smoothing methods, after Chen & Cherry 2014 (https://aclanthology.org/W14-3346/) as
 * sacrebleu implements them, applied only to orders with at least one hypothesis n-gram:
 * - `none`: a zero match count gives precision 0 (and BLEU 0);
 * - `floor`: a zero match count gives precision `smoothValue / total` (method 1);
 * - `add-k`: `smoothValue` is added to the matches and totals of orders 2 and up (method 2);
 * - `exp`: the k-th zero match count gives precision `1 / (2^k * total)` (method 3, NIST,
 *   mteval-v13a.pl).
 */
export type BleuSmoothing = 'none' | 'floor' | 'add-k' | 'exp';

/** Options of {@link bleu} and {@link sentenceBleu}. */
export interface BleuOptions {
  /** Tokenizer (default `13a`). */
  readonly tokenize?: BleuTokenizerName;
  /** Smoothing method (default `exp`, sacrebleu's default at both levels). */
  readonly smooth?: BleuSmoothing;
  /** Value for `floor` (default 0.1) and `add-k` (default 1); ignored by `none` and `exp`. */
  readonly smoothValue?: number;
  /** Highest n-gram order (default 4). */
  readonly maxOrder?: number;
  /**
   * Average only over orders up to the last one the hypotheses have n-grams of (default `false`
   * for corpus BLEU, `true` for sentence BLEU, as in sacrebleu).
   */
  readonly effectiveOrder?: boolean;
  /** Lowercase hypotheses and references before tokenising (default `false`). */
  readonly lowercase?: boolean;
}

/** {@link BleuOptions} with every field set. */
export type ResolvedBleuOptions = Required<BleuOptions>;

/** The defaults a BLEU entry point starts from; `smoothValue` always comes from the method. */
export type BleuDefaults = Omit<ResolvedBleuOptions, 'smoothValue'>;

/** Default `smoothValue` per method, from Chen & Cherry 2014 (sacrebleu's `SMOOTH_DEFAULTS`). */
export const BLEU_SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothing, number | undefined>> =
  Object.freeze({ none: undefined, floor: 0.1, 'add-k': 1, exp: undefined });

/** Corpus-level defaults: sacrebleu's `BLEU()` (13a, exp smoothing, order 4, no effective order). */
export const BLEU_DEFAULTS: BleuDefaults = Object.freeze({
  tokenize: '13a', // mteval-v13a.pl, the WMT standard
  smooth: 'exp', // sacrebleu's default; it changes nothing when every order has matches
  maxOrder: 4, // Papineni et al. 2002
  effectiveOrder: false, // corpus BLEU averages over all orders
  lowercase: false, // case-sensitive, as in WMT
});

/**
 * Validates BLEU options and fills the missing ones from `defaults`; `smoothValue` falls back
 * to the method's default ({@link BLEU_SMOOTH_DEFAULTS}, or 0 for methods that ignore it).
 *
 * @param options - the caller's options (may be undefined)
 * @param defaults - corpus or sentence defaults
 * @param fn - calling function's name, for messages
 * @returns frozen, complete options
 * @throws ConfigError for an unknown tokenizer or smoothing method, or a wrongly typed option
 * @throws RangeArgumentError for a non-positive or fractional `maxOrder` or a negative
 *   `smoothValue`
 * @example
 * ```ts
 * resolveBleuOptions({ smooth: 'floor' }, BLEU_DEFAULTS, 'bleu').smoothValue; // 0.1
 * ```
 */
export function resolveBleuOptions(
  options: BleuOptions | undefined,
  defaults: BleuDefaults,
  fn: string,
): ResolvedBleuOptions {
  const given: BleuOptions = options ?? {};
  assert(typeof given === 'object', ConfigError,
    () => `${fn}: options must be an object, got ${describeValue(options)}`);
  const tokenize = given.tokenize ?? defaults.tokenize;
  assert(Object.hasOwn(BLEU_TOKENIZERS, tokenize), ConfigError, () =>
    `${fn}: unknown tokenize ${describeValue(tokenize)}; expected one of `
    + Object.keys(BLEU_TOKENIZERS).join(', '));
  const smooth = given.smooth ?? defaults.smooth;
  assert(Object.hasOwn(BLEU_SMOOTH_DEFAULTS, smooth), ConfigError, () =>
    `${fn}: unknown smooth ${describeValue(smooth)}; expected one of `
    + Object.keys(BLEU_SMOOTH_DEFAULTS).join(', '));
  const smoothValue = given.smoothValue ?? BLEU_SMOOTH_DEFAULTS[smooth] ?? 0;
  assert(typeof smoothValue === 'number' && Number.isFinite(smoothValue) && smoothValue >= 0,
    RangeArgumentError, () => `${fn}: smoothValue must be a finite number >= 0, got ${describeValue(smoothValue)}`);
  const maxOrder = given.maxOrder ?? defaults.maxOrder;
  assert(Number.isInteger(maxOrder) && maxOrder >= 1, RangeArgumentError,
    () => `${fn}: maxOrder must be an integer >= 1, got ${describeValue(maxOrder)}`);
  const effectiveOrder = given.effectiveOrder ?? defaults.effectiveOrder;
  const lowercase = given.lowercase ?? defaults.lowercase;
  for (const [name, value] of [['effectiveOrder', effectiveOrder], ['lowercase', lowercase]] as const) {
    assert(typeof value === 'boolean', ConfigError,
      () => `${fn}: ${name} must be a boolean, got ${describeValue(value)}`);
  }
  return Object.freeze({ tokenize, smooth, smoothValue, maxOrder, effectiveOrder, lowercase });
}

/**
 * Sentence-level defaults: sacrebleu's `sentence_bleu` (as {@link BLEU_DEFAULTS} but with
 * effective order on, so that short sentences are not zeroed by missing high orders).
 */
export const SENTENCE_BLEU_DEFAULTS: BleuDefaults = Object.freeze({
  ...BLEU_DEFAULTS,
  effectiveOrder: true, // sacrebleu's sentence_bleu(use_effective_order=True)
});
