import type { ComponentJSON, Decoder, Normalizer } from './components.js';
import type { NormalizedPiece, NormalizedString } from './normalized-string.js';
import { onigurumaShorthands } from './oniguruma-shorthands.js';

/**
 * What {@link replaceNormalizer} and {@link replaceDecoder} look for: a literal string, or a
 * regular expression source (Hugging Face's `{"String": ...}` and `{"Regex": ...}`).
 * @example
 * ```ts
 * const p: ReplacePattern = { regex: ' {2,}' };
 * ```
 */
export type ReplacePattern =
  | {
      /** Matched literally. */
      readonly string: string;
    }
  | {
      /** A regular expression source, compiled with the `u` and `g` flags. */
      readonly regex: string;
    };

/**
 * `text` with every regular-expression metacharacter escaped, to match it literally.
 * @example
 * ```ts
 * escapeRegExp('<s>|a.b'); // '<s>\\|a\\.b'
 * ```
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The global, Unicode regular expression of a pattern (a string matched literally).
 * @throws SyntaxError when a regex source is not valid JavaScript
 * @example
 * ```ts
 * compileReplacePattern({ string: 'a.b' }).test('a.b'); // true
 * ```
 */
export function compileReplacePattern(pattern: ReplacePattern): RegExp {
  return new RegExp('string' in pattern ? escapeRegExp(pattern.string) : onigurumaShorthands(expandCaseInsensitiveGroups(pattern.regex)), 'gu');
}

/**
 * Rewrites Oniguruma's case-insensitive groups of plain text, `(?i:'s|'t)`, which JavaScript
 * before ES2025 rejects, as character classes: `(?:'[sS]|'[tT])` (as in Llama 3's split regex).
 * Groups holding anything but letters, digits, quotes, spaces and `|` are left for the engine to judge.
 */
function expandCaseInsensitiveGroups(source: string): string {
  return source.replace(/\(\?i:([\p{L}\p{N}'’ |]*)\)/gu, (_, body: string) =>
    `(?:${[...body].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('')})`);
}

/**
 * A pattern as `tokenizer.json` stores it: `{"String": ...}` or `{"Regex": ...}`.
 * @example
 * ```ts
 * replacePatternJSON({ regex: '\s+' }); // { Regex: '\s+' }
 * ```
 */
export function replacePatternJSON(pattern: ReplacePattern): ComponentJSON['pattern'] {
  return 'string' in pattern ? { String: pattern.string } : { Regex: pattern.regex };
}

/**
 * Replaces every match of `pattern` with `content`; each unit of a replacement is aligned to the
 * match's last character, as Hugging Face's `NormalizedString::replace`. (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Replace)
 * @example
 * ```ts
 * replaceNormalizer({ regex: ' {2,}' }, ' ').normalize(NormalizedString.from('a   b')).text; // 'a b'
 * ```
 */
export function replaceNormalizer(pattern: ReplacePattern, content: string): Normalizer {
  const regex = compileReplacePattern(pattern);
  // One unit for one unit (' ' to '▁'): every alignment stays as it is.
  const unitForUnit = 'string' in pattern && pattern.string.length === 1 && content.length === 1;
  return {
    normalize(input: NormalizedString): NormalizedString {
      if (unitForUnit) return input.text.includes((pattern as { string: string }).string) ? input.withText(input.text.replace(regex, () => content)) : input;
      const pieces: NormalizedPiece[] = [];
      let at = 0;
      const keep = (to: number): void => {
        for (; at < to; at++) pieces.push({ text: input.text[at]!, start: at, end: at + 1 });
      };
      for (const match of input.text.matchAll(regex)) {
        if (match[0].length === 0) continue;
        keep(match.index);
        at += match[0].length;
        const low = input.text.charCodeAt(at - 1);
        const last = low >= 0xdc00 && low <= 0xdfff && at - 2 >= match.index ? at - 2 : at - 1;
        pieces.push({ text: content, start: last, end: at });
      }
      if (pieces.length === 0) return input;
      keep(input.text.length);
      return input.rewrite(pieces);
    },
    toJSON: () => ({ type: 'Replace', pattern: replacePatternJSON(pattern), content }),
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
  const regex = compileReplacePattern(pattern);
  return {
    decodeChain: (tokens) => tokens.map((t) => t.replace(regex, () => content)),
    toJSON: () => ({ type: 'Replace', pattern: replacePatternJSON(pattern), content }),
  };
}
