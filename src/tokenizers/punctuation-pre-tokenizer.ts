import { BERT_PUNCTUATION } from './bert-unicode-tables.js';
import type { PreTokenizer } from './components.js';
import { splitWithBehavior, type SplitDelimiterBehavior } from './split-delimiter-behavior.js';

const PUNCTUATION = new RegExp(`[${BERT_PUNCTUATION}]`, 'gu');

/**
 * Splits on each punctuation character (ASCII and Unicode punctuation, as BERT's), which is
 * handled as `behavior` says (default isolated), as Hugging Face's `Punctuation`.
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Punctuation)
 * @example
 * ```ts
 * punctuationPreTokenizer().split(NormalizedString.from('hi, you!')).map((w) => w.text); // ['hi', ',', ' you', '!']
 * ```
 */
export function punctuationPreTokenizer(behavior: SplitDelimiterBehavior = 'Isolated'): PreTokenizer {
  return { split: (input) => splitWithBehavior(input, PUNCTUATION, behavior), toJSON: () => ({ type: 'Punctuation', behavior }) };
}
