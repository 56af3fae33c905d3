import type { ComponentJSON, Normalizer } from './components.js';
import type { NormalizedPiece, NormalizedString } from './normalized-string.js';

/**
 * A Unicode normalization form, as `String.prototype.normalize` names it.
 * @example
 * ```ts
 * const form: UnicodeForm = 'NFKC';
 * ```
 */
export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

const MARK = /^\p{M}/u;

/**
 * Splits `text` into clusters that normalize independently: a character with the marks that follow
 * it, grown while joining the next cluster changes the normalized result (Hangul jamo...).
 */
function normalizationClusters(text: string, form: UnicodeForm): NormalizedPiece[] {
  const pieces: NormalizedPiece[] = [];
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    let next = i + width;
    while (next < text.length && MARK.test(text.slice(next, next + 2))) next += text.codePointAt(next)! > 0xffff ? 2 : 1;
    const previous = pieces[pieces.length - 1];
    const cluster = text.slice(i, next);
    if (previous !== undefined) {
      const joined = text.slice(previous.start, next).normalize(form);
      if (joined !== previous.text + cluster.normalize(form)) {
        pieces[pieces.length - 1] = { text: joined, start: previous.start, end: next };
        i = next;
        continue;
      }
    }
    pieces.push({ text: cluster.normalize(form), start: i, end: next });
    i = next;
  }
  return pieces;
}

/**
 * Unicode normalization (NFC, NFD, NFKC or NFKD). Offsets: a character that decomposes gives each
 * output character its own span, as Hugging Face does; characters that compose or reorder with
 * their combining marks share the span of the whole cluster.
 * (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.NFC)
 * @example
 * ```ts
 * unicodeNormalizer('NFD').normalize(NormalizedString.from('é')).text; // 'e\u0301'
 * ```
 */
export function unicodeNormalizer(form: UnicodeForm): Normalizer {
  return {
    normalize(input: NormalizedString): NormalizedString {
      const text = input.text;
      if (text.normalize(form) === text) return input;
      return input.rewrite(normalizationClusters(text, form));
    },
    toJSON: (): ComponentJSON => ({ type: form }),
  };
}

/**
 * Lowercases each character on its own (Unicode default case mapping, no final-sigma context), as
 * Hugging Face's `Lowercase` does. (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Lowercase)
 * @example
 * ```ts
 * lowercase().normalize(NormalizedString.from('HeLLo')).text; // 'hello'
 * ```
 */
export function lowercase(): Normalizer {
  return {
    normalize: (input) => (input.text.toLowerCase() === input.text ? input : input.mapCodePoints((c) => c.toLowerCase())),
    toJSON: () => ({ type: 'Lowercase' }),
  };
}

/**
 * Runs normalizers one after the other. (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Sequence)
 * @example
 * ```ts
 * sequenceNormalizer([unicodeNormalizer('NFKC'), lowercase()]).normalize(NormalizedString.from('Ｈｉ')).text; // 'hi'
 * ```
 */
export function sequenceNormalizer(normalizers: readonly Normalizer[]): Normalizer {
  return {
    normalize: (input) => normalizers.reduce((s, n) => n.normalize(s), input),
    toJSON: () => ({ type: 'Sequence', normalizers: normalizers.map((n) => n.toJSON()) }),
  };
}
