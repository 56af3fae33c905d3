import type { PreTokenizer } from './components.js';
import { BERT_PUNCTUATION } from './bert-unicode-tables.js';
import { keepMatches } from './pre-tokenizers.js';

const BERT_WORDS = new RegExp(`[${BERT_PUNCTUATION}]|[^${BERT_PUNCTUATION}\\p{White_Space}]+`, 'gu');

/**
 * BERT's pre-tokenizer: splits on whitespace (dropped) and makes every punctuation character its
 * own word, as Hugging Face's `BertPreTokenizer`.
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.BertPreTokenizer)
 * @example
 * ```ts
 * bertPreTokenizer().split(NormalizedString.from("Hey, it's $5!")).map((w) => w.text);
 * // ['Hey', ',', 'it', "'", 's', '$', '5', '!']
 * ```
 */
export function bertPreTokenizer(): PreTokenizer {
  return { split: (input) => keepMatches(input, BERT_WORDS), splitsOnSpaces: true, toJSON: () => ({ type: 'BertPreTokenizer' }) };
}
