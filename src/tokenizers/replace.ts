import type { ComponentJSON, Decoder, Normalizer } from './components.js';
import type { NormalizedPiece, NormalizedString } from './normalized-string.js';

/**
 * What {@link replaceNormalizer} and {@link replaceDecoder} look for: a literal string, or a
 * regular expression source (Hugging Face's `{"String": ...}` and `{"Regex": ...}`).
 * @example
 * ```ts
 * const p: ReplacePattern = { regex: ' {2,}' };
 * ```
 */
export type ReplacePattern = { readonly string: string } | { readonly regex: string };

function compile(pattern: ReplacePattern): RegExp {
  return 'string' in pattern ? new RegExp(pattern.string.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu') : new RegExp(pattern.regex, 'gu');
}

function patternJSON(pattern: ReplacePattern): ComponentJSON['pattern'] {
  return 'string' in pattern ? { String: pattern.string } : { Regex: pattern.regex };
}

/**
 * Replaces every match of `pattern` with `content`; each unit of a replacement is aligned to the
 * whole match. (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Replace)
 * @example
 * ```ts
 * replaceNormalizer({ regex: ' {2,}' }, ' ').normalize(NormalizedString.from('a   b')).text; // 'a b'
 * ```
 */
export function replaceNormalizer(pattern: ReplacePattern, content: string): Normalizer {
  const regex = compile(pattern);
  return {
    normalize(input: NormalizedString): NormalizedString {
      const pieces: NormalizedPiece[] = [];
      let at = 0;
      const keep = (to: number): void => {
        for (; at < to; at++) pieces.push({ text: input.text[at]!, start: at, end: at + 1 });
      };
      for (const match of input.text.matchAll(regex)) {
        if (match[0].length === 0) continue;
        keep(match.index);
        pieces.push({ text: content, start: at, end: (at += match[0].length) });
      }
      if (pieces.length === 0) return input;
      keep(input.text.length);
      return input.rewrite(pieces);
    },
    toJSON: () => ({ type: 'Replace', pattern: patternJSON(pattern), content }),
  };
}

/**
 * Replaces every match of `pattern` with `content` in each token string on its own.
 * (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.Replace)
 * @example
 * ```ts
 * replaceDecoder({ string: '▁' }, ' ').decodeChain(['▁a', '▁b']); // [' a', ' b']
 * ```
 */
export function replaceDecoder(pattern: ReplacePattern, content: string): Decoder {
  const regex = compile(pattern);
  return {
    decodeChain: (tokens) => tokens.map((t) => t.replace(regex, () => content)),
    toJSON: () => ({ type: 'Replace', pattern: patternJSON(pattern), content }),
  };
}
