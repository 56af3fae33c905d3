import type { PreTokenizer } from './components.js';
import { splitWithBehavior } from './split-delimiter-behavior.js';

/** Rust's `char::is_numeric`: decimal digits, letter numbers and other numbers. */
const NUMERIC = /\p{N}/gu;

/**
 * Splits numbers from the rest of the text: runs of numeric characters (Unicode N*) become one
 * piece, or, with `individualDigits`, each digit its own piece, as Hugging Face's `Digits`.
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Digits)
 * @example
 * ```ts
 * digitsPreTokenizer().split(NormalizedString.from('a123b')).map((w) => w.text);     // ['a', '123', 'b']
 * digitsPreTokenizer(true).split(NormalizedString.from('a12')).map((w) => w.text);  // ['a', '1', '2']
 * ```
 */
export function digitsPreTokenizer(individualDigits = false): PreTokenizer {
  return {
    split: (input) => splitWithBehavior(input, NUMERIC, individualDigits ? 'Isolated' : 'Contiguous'),
    toJSON: () => ({ type: 'Digits', individual_digits: individualDigits }),
  };
}
