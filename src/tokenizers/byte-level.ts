import type { ComponentJSON, Decoder, PostProcessor, PreTokenizer } from './components.js';
import { concatEncodings, type Encoding } from './encoding.js';
import { gpt2SplitSpans } from './gpt2-split.js';
import type { NormalizedPiece, NormalizedString } from './normalized-string.js';

/**
 * GPT-2's map from each byte to a printable character: printable Latin-1 bytes map to themselves,
 * the others to U+0100 onwards, so every byte sequence is a string of visible characters
 * (space becomes `Ġ`, newline `Ċ`). Index = byte.
 * (https://github.com/openai/gpt-2/blob/master/src/encoder.py)
 * @example
 * ```ts
 * BYTE_TO_CHAR[32]; // 'Ġ'
 * ```
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const chars: string[] = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
    chars[b] = String.fromCharCode(printable ? b : next++);
  }
  return chars;
})();

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/**
 * The pattern GPT-2 splits text with before BPE: contractions, letters, numbers, other symbols,
 * each with one optional leading space, and whitespace runs (`\s` as Unicode White_Space, as in
 * Rust's regex and Oniguruma, not JavaScript's `\s`).
 * @example
 * ```ts
 * 'Hello world'.match(GPT2_SPLIT_PATTERN); // ['Hello', ' world']
 * ```
 */
export const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

/**
 * Options of the byte-level components (one shape, as in Hugging Face's `ByteLevel`).
 * @example
 * ```ts
 * const o: ByteLevelOptions = { addPrefixSpace: true };
 * ```
 */
export interface ByteLevelOptions {
  /** Add a space before the text when it does not start with one, so the first word is encoded like the others (default false). */
  readonly addPrefixSpace?: boolean;
  /** Drop the `Ġ` spaces from token offsets (post-processor only; default true). */
  readonly trimOffsets?: boolean;
  /** Split with {@link GPT2_SPLIT_PATTERN} (pre-tokenizer only; default true). */
  readonly useRegex?: boolean;
}

function byteLevelJSON(options: ByteLevelOptions): ComponentJSON {
  return {
    type: 'ByteLevel',
    add_prefix_space: options.addPrefixSpace ?? false,
    trim_offsets: options.trimOffsets ?? true,
    use_regex: options.useRegex ?? true,
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `piece` rewritten as byte characters, each byte aligned to its code point's span. */
function toByteChars(piece: NormalizedString): NormalizedString {
  const text = piece.text;
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  if (ascii) {
    let mapped = '';
    for (let i = 0; i < text.length; i++) mapped += BYTE_TO_CHAR[text.charCodeAt(i)]!;
    return piece.withText(mapped);
  }
  const pieces: NormalizedPiece[] = [];
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    let mapped = '';
    for (const byte of encoder.encode(text.slice(i, i + width))) mapped += BYTE_TO_CHAR[byte]!;
    pieces.push({ text: mapped, start: i, end: i + width });
    i += width;
  }
  return piece.rewrite(pieces);
}

/** `text` rewritten as byte characters (no alignments). */
function byteChars(text: string): string {
  let mapped = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) {
      mapped = '';
      for (const byte of encoder.encode(text)) mapped += BYTE_TO_CHAR[byte]!;
      return mapped;
    }
    mapped += BYTE_TO_CHAR[unit]!;
  }
  return mapped;
}

/**
 * GPT-2's byte-level pre-tokenizer: splits with {@link GPT2_SPLIT_PATTERN} (unless `useRegex` is
 * false; a hand-written scanner gives the same pieces) and rewrites each word's UTF-8 bytes as
 * {@link BYTE_TO_CHAR} characters, so any text encodes without unknown tokens. With the pattern
 * and no prefix space, its words are independent `segments` the tokenizer caches by raw text. (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.ByteLevel)
 * @example
 * ```ts
 * byteLevelPreTokenizer().split(NormalizedString.from('Hi there')).map((w) => w.text); // ['Hi', 'Ġthere']
 * ```
 */
export function byteLevelPreTokenizer(options: ByteLevelOptions = {}): PreTokenizer {
  const useRegex = options.useRegex ?? true;
  return {
    split(input) {
      const text = options.addPrefixSpace && !input.text.startsWith(' ') ? input.prepend(' ') : input;
      if (!useRegex) return text.text.length === 0 ? [] : [toByteChars(text)];
      const spans = gpt2SplitSpans(text.text);
      const words: NormalizedString[] = [];
      for (let k = 0; k < spans.length; k += 2) words.push(toByteChars(text.slice(spans[k]!, spans[k + 1]!)));
      return words;
    },
    splitWords(input) {
      const text = options.addPrefixSpace && !input.startsWith(' ') ? ` ${input}` : input;
      if (!useRegex) return text.length === 0 ? [] : [byteChars(text)];
      const spans = gpt2SplitSpans(text);
      const words: string[] = [];
      for (let k = 0; k < spans.length; k += 2) words.push(byteChars(text.slice(spans[k]!, spans[k + 1]!)));
      return words;
    },
    ...(useRegex && !options.addPrefixSpace ? { segments: gpt2SplitSpans } : {}),
    toJSON: () => byteLevelJSON(options),
  };
}

/**
 * Turns byte-level token strings back into text: maps characters to bytes and decodes UTF-8
 * (invalid sequences become U+FFFD). A token holding a character outside the byte map (an added
 * token such as `<s>`) contributes its own UTF-8 bytes, as Hugging Face's decoder does.
 * @example
 * ```ts
 * byteLevelDecoder().decodeChain(['Hello', 'Ġworld']); // ['Hello world']
 * ```
 */
export function byteLevelDecoder(options: ByteLevelOptions = {}): Decoder {
  return {
    decodeChain(tokens) {
      const bytes: number[] = [];
      for (const token of tokens) {
        const start = bytes.length;
        for (const char of token) {
          const byte = CHAR_TO_BYTE.get(char);
          if (byte === undefined) {
            bytes.length = start;
            bytes.push(...encoder.encode(token));
            break;
          }
          bytes.push(byte);
        }
      }
      return [decoder.decode(Uint8Array.from(bytes))];
    },
    toJSON: () => byteLevelJSON(options),
  };
}

const SPACE_LIKE = /^[Ġ\p{White_Space}]$/u;

/** Whether the UTF-16 unit is `Ġ` or whitespace (no astral character is either). */
function isSpaceLike(unit: number): boolean {
  return unit === 0x120 || unit === 0x20 || (unit >= 0x09 && unit <= 0x0d) || (unit >= 0x80 && SPACE_LIKE.test(String.fromCharCode(unit)));
}

/** Number of leading (or trailing, when `fromEnd`) `Ġ`/whitespace characters of `token`. */
function countSpaces(token: string, fromEnd: boolean): number {
  let n = 0;
  while (n < token.length && isSpaceLike(token.charCodeAt(fromEnd ? token.length - 1 - n : n))) n++;
  return n;
}

/** UTF-16 offset `count` code points of `text` after `offset` (before it when negative); units without `text`. */
function stepCodePoints(text: string | undefined, offset: number, count: number): number {
  if (text === undefined) return offset + count;
  let at = offset;
  for (let n = 0; n < Math.abs(count); n++) {
    const astral = count > 0 ? (text.codePointAt(at) ?? 0) > 0xffff : at >= 2 && (text.codePointAt(at - 2) ?? 0) > 0xffff;
    at += (count > 0 ? 1 : -1) * (astral ? 2 : 1);
  }
  return at;
}

/**
 * Moves token offsets past leading and trailing `Ġ` spaces, as Hugging Face's byte-level
 * `trim_offsets`; a single space the pre-tokenizer added before the first token is kept when
 * `addPrefixSpace`. Hugging Face moves offsets by code points: with `text` (the encoded text), so
 * does this, which matters where bytes missing from the vocabulary leave a `Ġ` token over an
 * astral character.
 * @example
 * ```ts
 * declare const encoding: Encoding; // 'Hello world' through GPT-2, before post-processing
 * trimByteLevelOffsets(encoding, false, 'Hello world').offsets; // 'Ġworld' at [5, 11] becomes [6, 11]
 * ```
 */
export function trimByteLevelOffsets(encoding: Encoding, addPrefixSpace: boolean, text?: string): Encoding {
  const offsets = encoding.offsets.map(([start, end], i): [number, number] => {
    const token = encoding.tokens[i]!;
    let leading = countSpaces(token, false);
    const trailing = countSpaces(token, true);
    if (leading > 0 && addPrefixSpace && leading === 1 && (i === 0 || start === 0)) leading = 0;
    const newStart = leading > 0 ? Math.min(stepCodePoints(text, start, leading), end) : start;
    const endInCodePoints = trailing > 0 && text !== undefined && end < 2 * trailing ? [...text.slice(0, end)].length : end;
    const newEnd = trailing > 0 && endInCodePoints >= trailing ? Math.max(stepCodePoints(text, end, -trailing), newStart) : end;
    return [newStart, newEnd];
  });
  return { ...encoding, offsets };
}

/**
 * Byte-level post-processor: only trims `Ġ` spaces from offsets (when `trimOffsets`, the default)
 * and joins a pair. (https://huggingface.co/docs/tokenizers/api/post-processors#tokenizers.processors.ByteLevel)
 * @example
 * ```ts
 * byteLevelProcessor({ trimOffsets: true }).addedTokens(true); // 0
 * ```
 */
export function byteLevelProcessor(options: ByteLevelOptions = {}): PostProcessor {
  const trim = (e: Encoding, text?: string | null): Encoding => (options.trimOffsets ?? true ? trimByteLevelOffsets(e, options.addPrefixSpace ?? false, text ?? undefined) : e);
  return {
    addedTokens: () => 0,
    process: (first, second, _add, texts) => (second === null ? trim(first, texts?.[0]) : concatEncodings([trim(first, texts?.[0]), trim(second, texts?.[1])])),
    toJSON: () => byteLevelJSON(options),
  };
}
