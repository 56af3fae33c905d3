import type { Decoder } from './components.js';

/** Hugging Face's `cleanup` of decoded text: no space before `.?!,` and English contractions. */
const CLEANUPS: readonly (readonly [string, string])[] = [
  [' .', '.'], [' ?', '?'], [' !', '!'], [' ,', ','], [" ' ", "'"], [" n't", "n't"], [" 'm", "'m"],
  [' do not', " don't"], [" 's", "'s"], [" 've", "'ve"], [" 're", "'re"],
];

/**
 * Decoder for {@link WordPiece} tokens: a token starting with `prefix` is glued to the previous one
 * (prefix removed), any other token after the first gets a leading space; with `cleanup`, spaces
 * before punctuation and inside contractions are removed, as Hugging Face's `WordPiece` decoder.
 * (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.WordPiece)
 * @param prefix - the continuing-subword prefix (default `'##'`)
 * @param cleanup - remove tokenization spaces (default true)
 * @example
 * ```ts
 * wordPieceDecoder().decodeChain(['hello', '##s', ',', 'world', '!']).join(''); // 'hellos, world!'
 * ```
 */
export function wordPieceDecoder(prefix = '##', cleanup = true): Decoder {
  return {
    decodeChain: (tokens) => tokens.map((token, i) => {
      let text = i === 0 ? token : token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
      if (cleanup) for (const [from, to] of CLEANUPS) text = text.replaceAll(from, to);
      return text;
    }),
    toJSON: () => ({ type: 'WordPiece', prefix, cleanup }),
  };
}
