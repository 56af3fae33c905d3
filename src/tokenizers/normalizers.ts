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
 * The pieces that rewrite one cluster, aligned as Hugging Face's alignments are: the cluster is
 * decomposed character by character, canonical reordering moves characters but not alignments
 * (position k keeps the span of the k-th decomposed character), and a composed character takes
 * the alignment of its first component's position.
 */
function alignCluster(text: string, cluster: NormalizedPiece, form: UnicodeForm): NormalizedPiece[] {
  const decomposition = form === 'NFC' || form === 'NFD' ? 'NFD' : 'NFKD';
  const origins: { start: number; end: number }[] = [];
  for (let i = cluster.start; i < cluster.end; ) {
    const end = i + (text.codePointAt(i)! > 0xffff ? 2 : 1);
    for (const _ of text.slice(i, end).normalize(decomposition)) origins.push({ start: i, end });
    i = end;
  }
  const decomposed = [...text.slice(cluster.start, cluster.end).normalize(decomposition)];
  const whole = (char: string): NormalizedPiece => ({ text: char, start: cluster.start, end: cluster.end });
  if (decomposed.length !== origins.length) return [...cluster.text].map(whole);
  const used = new Array<boolean>(decomposed.length).fill(false);
  return [...cluster.text].map((char) => {
    let first = -1;
    for (const part of char.normalize(decomposition)) {
      const k = decomposed.findIndex((cp, index) => !used[index] && cp === part);
      if (k < 0) return whole(char);
      used[k] = true;
      if (first < 0) first = k;
    }
    return first < 0 ? whole(char) : { text: char, ...origins[first]! };
  });
}

/**
 * Unicode normalization (NFC, NFD, NFKC or NFKD), with Hugging Face's offsets: the parts of a
 * decomposed character share its span, a composed character takes the span of its base, and
 * reordered combining marks keep the spans of the positions they move to.
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
      return input.rewrite(normalizationClusters(text, form).flatMap((cluster) => alignCluster(text, cluster, form)));
    },
    spaceSeparable: true, // ASCII whitespace is a starter that neither decomposes nor composes
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
    spaceSeparable: true,
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
    spaceSeparable: normalizers.every((n) => n.spaceSeparable === true),
    toJSON: () => ({ type: 'Sequence', normalizers: normalizers.map((n) => n.toJSON()) }),
  };
}
