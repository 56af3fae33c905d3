import { BERT_NONSPACING_MARK } from './bert-unicode-tables.js';
import type { Normalizer } from './components.js';

const NONSPACING_MARK = new RegExp(`^[${BERT_NONSPACING_MARK}]`, 'u');

/**
 * Removes non-spacing marks (Unicode Mn, in Hugging Face's tables) without decomposing first, as
 * Hugging Face's `StripAccents`: put an NFD (or NFKD) normalizer before it to strip the accents of
 * precomposed letters. Each kept character keeps its offsets.
 * (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.StripAccents)
 * @example
 * ```ts
 * stripAccents().normalize(NormalizedString.from('e\u0301')).text; // 'e'
 * sequenceNormalizer([unicodeNormalizer('NFD'), stripAccents()]).normalize(NormalizedString.from('é')).text; // 'e'
 * ```
 */
export function stripAccents(): Normalizer {
  return {
    normalize: (input) => input.mapCodePoints((c) => (NONSPACING_MARK.test(c) ? '' : c)),
    toJSON: () => ({ type: 'StripAccents' }),
  };
}
