import type { Decoder, Normalizer } from './components.js';
import type { NormalizedString } from './normalized-string.js';

const LEADING = /^\s+/u;
const TRAILING = /\s+$/u;

/**
 * Removes whitespace at the start and/or end of the text.
 * (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Strip)
 * @example
 * ```ts
 * stripNormalizer(true, true).normalize(NormalizedString.from('  hi ')).text; // 'hi'
 * ```
 */
export function stripNormalizer(left = true, right = true): Normalizer {
  return {
    normalize(input: NormalizedString): NormalizedString {
      const start = left ? (LEADING.exec(input.text)?.[0].length ?? 0) : 0;
      const end = right ? input.text.length - (TRAILING.exec(input.text.slice(start))?.[0].length ?? 0) : input.text.length;
      return start === 0 && end === input.text.length ? input : input.slice(start, end);
    },
    toJSON: () => ({ type: 'Strip', strip_left: left, strip_right: right }),
  };
}

/**
 * Removes up to `start` leading and `stop` trailing occurrences of the character `content` from
 * each token. (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.Strip)
 * @example
 * ```ts
 * stripDecoder(' ', 1, 0).decodeChain([' a', ' b']); // ['a', 'b']
 * ```
 */
export function stripDecoder(content: string, start: number, stop: number): Decoder {
  return {
    decodeChain: (tokens) => tokens.map((token) => {
      const chars = [...token];
      let from = 0;
      let to = chars.length;
      while (from < Math.min(start, chars.length) && chars[from] === content) from++;
      while (chars.length - to < stop && to > from && chars[to - 1] === content) to--;
      return chars.slice(from, to).join('');
    }),
    toJSON: () => ({ type: 'Strip', content, start, stop }),
  };
}
