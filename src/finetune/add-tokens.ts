import type { AddedToken } from '../tokenizers/added-vocabulary.js';
import { Tokenizer } from '../tokenizers/tokenizer.js';
import { assert } from '../utils/assert.js';
import { VocabularyError } from '../utils/errors.js';
import { describeJSON } from '../utils/json-safety.js';

/**
 * Options of {@link addTokens}.
 *
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * addTokens(tokenizer, ['<|user|>'], { special: true } satisfies AddTokensOptions);
 * ```
 */
export interface AddTokensOptions {
  /**
   * Special tokens (control tokens such as `<|user|>`) are matched in the raw input and skipped by
   * `decode(ids, { skipSpecialTokens: true })`; others (domain words) are matched after
   * normalisation. Default false.
   */
  readonly special?: boolean;
}

/**
 * Result of {@link addTokens}.
 *
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const { tokenizer: extended, ids, numAdded }: AddTokensResult = addTokens(tokenizer, ['photosynthesis']);
 * ```
 */
export interface AddTokensResult {
  /** A new tokenizer with the tokens added (the given one is left as it is). */
  readonly tokenizer: Tokenizer;
  /** The id of every requested token, in order (an existing id for a token already known). */
  readonly ids: number[];
  /** How many tokens were new; resize the model's embeddings by as many rows. */
  readonly numAdded: number;
}

/**
 * Adds domain or special tokens to a tokenizer (Hugging Face's `add_tokens`): each new token is
 * matched whole, never split, and gets the next free id from `vocabSize`. Tokens the tokenizer
 * already knows keep their id. Follow with `resizeTokenEmbeddings(model, tokenizer.vocabSize)`.
 *
 * @param tokenizer - the tokenizer to extend (not modified)
 * @param tokens - token texts
 * @param options - `special`
 * @returns the new tokenizer, the ids, the number added
 * @throws VocabularyError for an empty token
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer, model: GPTCausalLM;
 * const { tokenizer: extended, ids } = addTokens(tokenizer, ['<|user|>', '<|assistant|>'], { special: true });
 * await resizeTokenEmbeddings(model, extended.vocabSize);
 * ```
 */
export function addTokens(tokenizer: Tokenizer, tokens: readonly string[], options: AddTokensOptions = {}): AddTokensResult {
  const special = options.special ?? false;
  const fresh: AddedToken[] = [];
  let next = tokenizer.vocabSize;
  const ids = tokens.map((content) => {
    assert(typeof content === 'string' && content.length > 0, VocabularyError, () => `cannot add token ${describeJSON(content)}: tokens must be non-empty strings`);
    const known = tokenizer.tokenToId(content) ?? fresh.find((t) => t.content === content)?.id;
    if (known !== undefined) return known;
    const token: AddedToken = { id: next++, content, special, normalized: !special, lstrip: false, rstrip: false, singleWord: false };
    fresh.push(token);
    return token.id;
  });
  const extended = new Tokenizer({
    model: tokenizer.model,
    normalizer: tokenizer.normalizer,
    preTokenizer: tokenizer.preTokenizer,
    postProcessor: tokenizer.postProcessor,
    decoder: tokenizer.decoder,
    truncation: tokenizer.truncation,
    padding: tokenizer.padding,
    addedTokens: [...tokenizer.added.tokens, ...fresh],
  });
  return { tokenizer: extended, ids, numAdded: fresh.length };
}
