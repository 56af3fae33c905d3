import type { Decoder, PreTokenizer } from './components.js';
import type { NormalizedString } from './normalized-string.js';

/**
 * When {@link metaspacePreTokenizer} prepends the replacement to text that does not start with it:
 * always, only to the first piece of the input (offset 0), or never.
 * @example
 * ```ts
 * const s: PrependScheme = 'first';
 * ```
 */
export type PrependScheme = 'always' | 'first' | 'never';

/**
 * Settings of {@link metaspacePreTokenizer} and {@link metaspaceDecoder}, as Hugging Face's
 * `Metaspace` (its older `add_prefix_space: true/false` is `prependScheme: 'always'/'never'`).
 * @example
 * ```ts
 * const o: MetaspaceOptions = { replacement: '▁', prependScheme: 'always', split: true };
 * ```
 */
export interface MetaspaceOptions {
  /** The character that stands for a space (default `'▁'`, U+2581). */
  readonly replacement?: string;
  /** When a replacement is prepended (default `'always'`). */
  readonly prependScheme?: PrependScheme;
  /** Split into words before each replacement (default true). */
  readonly split?: boolean;
}

function resolve(options: MetaspaceOptions): Required<MetaspaceOptions> {
  return { replacement: '▁', prependScheme: 'always', split: true, ...options };
}

function metaspaceJSON(o: Required<MetaspaceOptions>): ReturnType<PreTokenizer['toJSON']> {
  return { type: 'Metaspace', replacement: o.replacement, prepend_scheme: o.prependScheme, split: o.split };
}

/** Splits before every `char`, each piece starting with it (Hugging Face's `MergedWithNext`). */
function splitBefore(input: NormalizedString, char: string): NormalizedString[] {
  const pieces: NormalizedString[] = [];
  let start = 0;
  for (let i = input.text.indexOf(char, 1); i >= 0; i = input.text.indexOf(char, i + char.length)) {
    pieces.push(input.slice(start, i));
    start = i;
  }
  if (start < input.text.length) pieces.push(input.slice(start, input.text.length));
  return pieces;
}

/**
 * Replaces spaces with `▁`, prepends one as the scheme says, and splits before each `▁`, as
 * SentencePiece sees text. (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Metaspace)
 * @example
 * ```ts
 * metaspacePreTokenizer().split(NormalizedString.from('Hey you')).map((w) => w.text); // ['▁Hey', '▁you']
 * ```
 */
export function metaspacePreTokenizer(options: MetaspaceOptions = {}): PreTokenizer {
  const o = resolve(options);
  return {
    split(input: NormalizedString): NormalizedString[] {
      let s = input.mapCodePoints((c) => (c === ' ' ? o.replacement : c));
      const prepend = o.prependScheme === 'always' || (o.prependScheme === 'first' && s.originalRange(0, 0)[0] === 0);
      if (prepend && !s.text.startsWith(o.replacement)) s = s.prepend(o.replacement);
      return o.split ? splitBefore(s, o.replacement) : [s];
    },
    toJSON: () => metaspaceJSON(o),
  };
}

/**
 * Turns `▁` back into spaces; in the first token, unless the scheme is `'never'`, they are dropped.
 * (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.Metaspace)
 * @example
 * ```ts
 * metaspaceDecoder().decodeChain(['▁Hey', '▁you']); // ['Hey', ' you']
 * ```
 */
export function metaspaceDecoder(options: MetaspaceOptions = {}): Decoder {
  const o = resolve(options);
  return {
    decodeChain: (tokens) => tokens.map((t, i) => t.replaceAll(o.replacement, i === 0 && o.prependScheme !== 'never' ? '' : ' ')),
    toJSON: () => metaspaceJSON(o),
  };
}
