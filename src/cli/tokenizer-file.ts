import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { loadAnyTokenizer } from '../tokenizers/load-any-tokenizer.js';

/** What the CLI needs of a tokenizer. */
export interface TextCodec {
  /** Text to ids. */
  encode(text: string): number[];
  /** Ids to text. */
  decode(ids: readonly number[]): string;
  /** Number of ids the tokenizer can produce (the model's vocabulary size). */
  readonly vocabSize: number;
}

/**
 * Loads a tokenizer file the CLI may meet: a wordforge `CharTokenizer` JSON (as `wordforge train`
 * writes) or anything `loadTokenizer` reads (Hugging Face `tokenizer.json`, GPT-2 vocab + merges).
 * @example
 * ```ts
 * const codec = await loadTextCodec('runs/gpt/tokenizer.json');
 * ```
 */
export async function loadTextCodec(path: string): Promise<TextCodec> {
  const tokenizer = await loadAnyTokenizer(path);
  if (tokenizer instanceof CharTokenizer) {
    return { encode: (t) => tokenizer.encode(t), decode: (ids) => tokenizer.decode(ids), vocabSize: tokenizer.vocabSize };
  }
  return {
    encode: (t) => [...tokenizer.encode(t, null, { addSpecialTokens: false }).ids],
    decode: (ids) => tokenizer.decode(ids, { skipSpecialTokens: true }),
    vocabSize: tokenizer.vocabSize,
  };
}
