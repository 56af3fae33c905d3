import { HF_COMBINING_MARK } from './bert-unicode-tables.js';
import type { Normalizer } from './components.js';

const COMBINING_MARK = new RegExp(`[${HF_COMBINING_MARK}]`, 'u');
const FIRST_MARK = new RegExp(`^[${HF_COMBINING_MARK}]`, 'u');

/**
 * Removes combining marks (Unicode Mn, Mc and Me, in Hugging Face's tables) without decomposing first, as Hugging Face's
 * `StripAccents`: put an NFD (or NFKD) normalizer before it to strip the accents of precomposed
 * letters. Each kept character keeps its offsets. (BERT's own accent stripping, inside
 * {@link bertNormalizer}, removes only non-spacing marks.)
 * (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.StripAccents)
 * @example
 * ```ts
 * stripAccents().normalize(NormalizedString.from('e\u0301')).text; // 'e'
 * sequenceNormalizer([unicodeNormalizer('NFD'), stripAccents()]).normalize(NormalizedString.from('é')).text; // 'e'
 * ```
 */
export function stripAccents(): Normalizer {
  return {
    normalize: (input) => (COMBINING_MARK.test(input.text) ? input.mapCodePoints((c) => (FIRST_MARK.test(c) ? '' : c)) : input),
    toJSON: () => ({ type: 'StripAccents' }),
  };
}
