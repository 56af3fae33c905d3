import type { PreTokenizer } from './components.js';
import { keepMatches } from './pre-tokenizers.js';

/** Unicode punctuation (Pc, Pd, Ps, Pe, Pi, Pf, Po) plus ASCII punctuation such as `$+<=>^`|~`. */
const PUNCTUATION = String.raw`\p{P}!-\/:-@\[-\x60{-~`;
const BERT_WORDS = new RegExp(String.raw`[${PUNCTUATION}]|[^${PUNCTUATION}\p{White_Space}]+`, 'gu');

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
  return { split: (input) => keepMatches(input, BERT_WORDS), toJSON: () => ({ type: 'BertPreTokenizer' }) };
}
