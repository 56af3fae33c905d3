import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { Rng } from '../../utils/rng.js';
import { IGNORE_INDEX, checkTokenIds } from '../causal-lm-batch.js';

/**
 * Options of {@link maskTokensForMLM}: BERT's masking (Devlin et al. 2019, https://arxiv.org/abs/1810.04805).
 * @example
 * ```ts
 * const options: MaskTokensOptions = { maskTokenId: 103, vocabSize: 30522, specialIds: [0, 101, 102, 103] };
 * ```
 */
export interface MaskTokensOptions {
  /** Id of the `[MASK]` token. */
  readonly maskTokenId: number;
  /** Vocabulary size: random replacements are drawn from `[0, vocabSize)` minus `specialIds` and the mask. */
  readonly vocabSize: number;
  /** Ids never selected and never drawn as replacements (`[CLS]`, `[SEP]`, `[PAD]`...). */
  readonly specialIds?: readonly number[];
  /** Probability that a token (or a whole word) is selected for prediction. Default 0.15. */
  readonly probability?: number;
  /** Of the selected tokens, the share replaced by the mask token. Default 0.8. */
  readonly maskRate?: number;
  /** Of the selected tokens, the share replaced by a random token (the rest are kept). Default 0.1. */
  readonly randomRate?: number;
  /**
   * Whole-word masking: a word (a token plus the continuation tokens after it, e.g. WordPiece
   * `##` pieces) is selected or left as a whole. Give per-example `wordIds` to {@link maskTokensForMLM}
   * instead when the tokenizer reports them.
   */
  readonly wholeWord?: {
    /** True when token `id` continues the word of the token before it (e.g. WordPiece `##` pieces). */
    readonly isContinuation: (id: number) => boolean;
  };
}

/**
 * A token sequence with its masked-LM targets.
 * @example
 * ```ts
 * declare const options: MaskTokensOptions;
 * const { inputIds, labels }: MaskedTokens = maskTokensForMLM([101, 7592, 102], options, new Rng(0));
 * ```
 */
export interface MaskedTokens {
  /** The corrupted ids. */
  readonly inputIds: Int32Array;
  /** The original id at selected positions, {@link IGNORE_INDEX} elsewhere. */
  readonly labels: Int32Array;
}

/** Groups of positions selected or left together: words, or single tokens; special tokens in none. */
function selectionGroups(ids: ArrayLike<number>, special: ReadonlySet<number>, options: MaskTokensOptions,
  wordIds: readonly (number | null)[] | undefined): number[][] {
  const groups: number[][] = [];
  let previousWord: number | null = null;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const word = wordIds ? wordIds[i] ?? null : null;
    if (special.has(id) || (wordIds && word === null)) {
      previousWord = null;
      continue;
    }
    const continues = wordIds ? word === previousWord : options.wholeWord !== undefined && i > 0
      && !special.has(ids[i - 1] as number) && options.wholeWord.isContinuation(id);
    if (continues && groups.length > 0) groups[groups.length - 1]!.push(i);
    else groups.push([i]);
    previousWord = word;
  }
  return groups;
}

/** Checks the masking options once; returns the special set and the resolved rates. */
function resolveMasking(options: MaskTokensOptions): { special: Set<number>; probability: number; maskRate: number; randomRate: number } {
  const { vocabSize, maskTokenId, probability = 0.15, maskRate = 0.8, randomRate = 0.1 } = options;
  const rate = (name: string, value: number): void =>
    assert(value >= 0 && value <= 1, RangeArgumentError, () => `${name} (${value}) must be in [0, 1]`);
  rate('probability', probability);
  rate('maskRate', maskRate);
  rate('randomRate', randomRate);
  rate('maskRate + randomRate', maskRate + randomRate);
  assert(Number.isInteger(vocabSize) && vocabSize > 0, RangeArgumentError, () => `vocabSize (${vocabSize}) must be a positive integer`);
  assert(Number.isInteger(maskTokenId) && maskTokenId >= 0 && maskTokenId < vocabSize, RangeArgumentError,
    () => `maskTokenId (${maskTokenId}) must be an id in [0, ${vocabSize})`);
  const special = new Set([...(options.specialIds ?? []), maskTokenId]);
  assert(special.size < vocabSize || randomRate === 0, RangeArgumentError,
    () => `every id of the vocabulary (${vocabSize}) is special: no random replacement can be drawn`);
  return { special, probability, maskRate, randomRate };
}

/**
 * Corrupts one sequence for masked-LM training, as BERT and Hugging Face's
 * `DataCollatorForLanguageModeling`: each token (or whole word) is selected with `probability`;
 * a selected token becomes the mask token (80%), a random non-special token (10%) or stays (10%),
 * and its label is the original id. Special tokens and the mask token are never selected.
 * With `wordIds` (from a tokenizer's `Encoding.wordIds`; null = special) or `wholeWord`, all
 * tokens of a word are selected together; the 80/10/10 choice is then made per token, as in
 * Hugging Face's whole-word collator.
 * @param ids - the token ids (without padding)
 * @param rng - the generator drawn from
 * @param wordIds - optional word index per token
 * @throws RangeArgumentError on bad options, VocabularyError on ids outside the vocabulary
 * @example
 * ```ts
 * const { inputIds, labels } = maskTokensForMLM([101, 7592, 2088, 102], { maskTokenId: 103, vocabSize: 30522, specialIds: [101, 102] }, new Rng(0));
 * ```
 */
export function maskTokensForMLM(ids: ArrayLike<number>, options: MaskTokensOptions, rng: Rng, wordIds?: readonly (number | null)[]): MaskedTokens {
  const { special, probability, maskRate, randomRate } = resolveMasking(options);
  assert(wordIds === undefined || wordIds.length === ids.length, RangeArgumentError,
    () => `wordIds has ${wordIds?.length} entries for ${ids.length} tokens`);
  checkTokenIds(ids, options.vocabSize, 'ids');
  const inputIds = Int32Array.from(ids);
  const labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
  for (const group of selectionGroups(ids, special, options, wordIds)) {
    if (rng.nextFloat() >= probability) continue;
    for (const i of group) {
      labels[i] = inputIds[i] as number;
      const r = rng.nextFloat();
      if (r < maskRate) inputIds[i] = options.maskTokenId;
      else if (r < maskRate + randomRate) inputIds[i] = randomNonSpecial(rng, options.vocabSize, special);
    }
  }
  return { inputIds, labels };
}

/** A uniform id of `[0, vocabSize)` outside `special` (rejection sampling). */
function randomNonSpecial(rng: Rng, vocabSize: number, special: ReadonlySet<number>): number {
  for (;;) {
    const id = rng.nextInt(vocabSize);
    if (!special.has(id)) return id;
  }
}
