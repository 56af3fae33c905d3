import type { Normalizer } from './components.js';

/**
 * Prepends `prefix` to non-empty text, aligned to its first character (SentencePiece's dummy
 * prefix). (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Prepend)
 * @example
 * ```ts
 * prependNormalizer('▁').normalize(NormalizedString.from('hi')).text; // '▁hi'
 * ```
 */
export function prependNormalizer(prefix: string): Normalizer {
  return { normalize: (input) => input.prepend(prefix), toJSON: () => ({ type: 'Prepend', prepend: prefix }) };
}
