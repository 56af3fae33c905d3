import type { Decoder } from './components.js';

/**
 * Replaces the end-of-word suffix with a space (nothing after the last token), for BPE models
 * trained with `end_of_word_suffix`. (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.BPEDecoder)
 * @example
 * ```ts
 * bpeDecoder('</w>').decodeChain(['hel', 'lo</w>', 'you</w>']); // ['hel', 'lo ', 'you']
 * ```
 */
export function bpeDecoder(suffix = '</w>'): Decoder {
  return {
    decodeChain: (tokens) => tokens.map((t, i) => t.replaceAll(suffix, i === tokens.length - 1 ? '' : ' ')),
    toJSON: () => ({ type: 'BPEDecoder', suffix }),
  };
}

/**
 * Joins all tokens into one string. (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.Fuse)
 * @example
 * ```ts
 * fuseDecoder().decodeChain(['a', 'b']); // ['ab']
 * ```
 */
export function fuseDecoder(): Decoder {
  return { decodeChain: (tokens) => [tokens.join('')], toJSON: () => ({ type: 'Fuse' }) };
}

/**
 * Runs decoders one after the other on the token strings. (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.Sequence)
 * @example
 * ```ts
 * sequenceDecoder([bpeDecoder(), fuseDecoder()]).decodeChain(['a</w>', 'b</w>']); // ['a b']
 * ```
 */
export function sequenceDecoder(decoders: readonly Decoder[]): Decoder {
  return {
    decodeChain: (tokens) => decoders.reduce((t, d) => d.decodeChain(t), tokens),
    toJSON: () => ({ type: 'Sequence', decoders: decoders.map((d) => d.toJSON()) }),
  };
}
