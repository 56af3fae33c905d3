import { ConfigError } from '../utils/errors.js';
import type { Normalizer } from './components.js';
import type { NormalizedPiece, NormalizedString } from './normalized-string.js';

/**
 * Settings of {@link precompiledNormalizer}.
 * @example
 * ```ts
 * const o: PrecompiledOptions = { mode: 'sentencepiece', verbatim: ['<sep>'] };
 * ```
 */
export interface PrecompiledOptions {
  /** SentencePiece's or Hugging Face's way of applying the map (default `'huggingface'`). */
  readonly mode?: PrecompiledMode;
  /** Strings copied unchanged where they start, longest first (SentencePiece's user-defined pieces; `'sentencepiece'` mode only). */
  readonly verbatim?: readonly string[];
  /** File name for error messages (default `'precompiled_charsmap'`). */
  readonly source?: string;
}

/**
 * How {@link precompiledNormalizer} applies the map: `'sentencepiece'` replaces the longest
 * matching prefix at each position (SentencePiece's `Normalizer`); `'huggingface'` looks up each
 * grapheme (under 6 bytes) and then each character, taking the first match, as Hugging Face's
 * `Precompiled` does.
 * @example
 * ```ts
 * const mode: PrecompiledMode = 'sentencepiece';
 * ```
 */
export type PrecompiledMode = 'sentencepiece' | 'huggingface';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** SentencePiece's precompiled charsmap: a darts-clone double-array trie over UTF-8 keys and a blob of NUL-terminated replacements. */
class CharsMap {
  private readonly units: Uint32Array;
  private readonly blob: Uint8Array;

  constructor(bytes: Uint8Array, private readonly source: string) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const trieSize = bytes.length >= 4 ? view.getUint32(0, true) : -1;
    if (trieSize < 0 || trieSize % 4 !== 0 || 4 + trieSize > bytes.length) {
      throw new ConfigError(`${source}: precompiled_charsmap of ${bytes.length} bytes declares a trie of ${trieSize} bytes`);
    }
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.blob = bytes.subarray(4 + trieSize);
  }

  private unit(pos: number): number {
    const u = this.units[pos];
    if (u === undefined) throw new ConfigError(`${this.source}: precompiled_charsmap trie points outside itself (unit ${pos} of ${this.units.length})`);
    return u;
  }

  /** `[key length, replacement]` for every key that is a prefix of `key[from..to)`, shortest first. */
  prefixes(key: Uint8Array, from: number, to: number): [number, string][] {
    const found: [number, string][] = [];
    if (this.units.length === 0) return found;
    const offset = (u: number): number => (u >>> 10) << ((u & (1 << 9)) >>> 6);
    let pos = offset(this.unit(0));
    for (let i = from; i < to; i++) {
      pos ^= key[i]!;
      const u = this.unit(pos);
      if ((u & 0x800000ff) >>> 0 !== key[i]) break;
      pos ^= offset(u);
      if (((u >>> 8) & 1) === 1) found.push([i + 1 - from, this.replacement(this.unit(pos) & 0x7fffffff)]);
    }
    return found;
  }

  private replacement(at: number): string {
    const end = this.blob.indexOf(0, at);
    if (at >= this.blob.length || end < 0) throw new ConfigError(`${this.source}: precompiled_charsmap replacement at ${at} runs past the ${this.blob.length}-byte blob`);
    return decoder.decode(this.blob.subarray(at, end));
  }
}

/** UTF-16 offset of every UTF-8 byte boundary of `text` (index: byte offset). */
function unitOfByte(text: string): Int32Array {
  const map = new Int32Array(encoder.encode(text).length + 1).fill(-1);
  let byte = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    map[byte] = i;
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp <= 0xffff ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  map[byte] = text.length;
  return map;
}

/**
 * The pieces replacing `text[start..end)` with `replacement`, aligned as Hugging Face's
 * `Precompiled` aligns them: new character i takes the span of old character i, extra new
 * characters the span of the last old one.
 */
function replaced(text: string, start: number, end: number, replacement: string): NormalizedPiece[] {
  const old: [number, number][] = [];
  for (let i = start; i < end; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    old.push([i, i + width]);
    i += width;
  }
  return [...replacement].map((char, i) => {
    const [from, to] = old[Math.min(i, old.length - 1)]!;
    return { text: char, start: from, end: to };
  });
}

function longestPrefixPieces(map: CharsMap, text: string, verbatim: readonly string[]): NormalizedPiece[] {
  const bytes = encoder.encode(text);
  const unitAt = unitOfByte(text);
  const pieces: NormalizedPiece[] = [];
  for (let b = 0; b < bytes.length; ) {
    const start = unitAt[b]!;
    const kept = verbatim.reduce((longest, v) => (v.length > longest.length && text.startsWith(v, start) ? v : longest), '');
    if (kept.length > 0) {
      pieces.push(...replaced(text, start, start + kept.length, kept));
      b += encoder.encode(kept).length;
      continue;
    }
    const match = map.prefixes(bytes, b, bytes.length).pop();
    let next = b + (match?.[0] ?? 1);
    while (unitAt[next] === -1) next++;
    pieces.push(...replaced(text, start, unitAt[next]!, match?.[1] ?? text.slice(start, unitAt[next]!)));
    b = next;
  }
  return pieces;
}

function graphemePieces(map: CharsMap, text: string): NormalizedPiece[] {
  const first = (s: string): string | undefined => {
    const key = encoder.encode(s);
    return map.prefixes(key, 0, key.length)[0]?.[1];
  };
  const pieces: NormalizedPiece[] = [];
  for (const { segment, index } of graphemes.segment(text)) {
    const whole = encoder.encode(segment).length < 6 ? first(segment) : undefined;
    if (whole !== undefined) {
      pieces.push(...replaced(text, index, index + segment.length, whole));
      continue;
    }
    let at = index;
    for (const char of segment) {
      pieces.push(...replaced(text, at, at + char.length, first(char) ?? char));
      at += char.length;
    }
  }
  return pieces;
}

/**
 * SentencePiece's compiled normalization rules (`precompiled_charsmap`, e.g. `nmt_nfkc`): the bytes
 * are parsed as Hugging Face's `spm_precompiled` does (a little-endian u32 trie size, the
 * darts-clone double array, then NUL-terminated replacements). The characters of a replacement
 * take the spans of the replaced characters in order, as Hugging Face aligns them. (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.Precompiled,
 * https://github.com/google/sentencepiece/blob/master/doc/normalization.md)
 * @param charsmap - the `precompiled_charsmap` bytes
 * @param options - how to apply them
 * @throws ConfigError naming `options.source` when the bytes are not a valid charsmap, or when
 *   `verbatim` strings are given in `'huggingface'` mode
 * @example
 * ```ts
 * declare const model: SentencePieceModel; // an NFKC SentencePiece model
 * const nfkc = precompiledNormalizer(model.normalizerSpec.precompiledCharsmap!, { mode: 'sentencepiece' });
 * nfkc.normalize(NormalizedString.from('ｆｕｌｌ')).text; // 'full'
 * ```
 */
export function precompiledNormalizer(charsmap: Uint8Array, options: PrecompiledOptions = {}): Normalizer {
  const { mode = 'huggingface', verbatim = [], source = 'precompiled_charsmap' } = options;
  if (mode === 'huggingface' && verbatim.length > 0) throw new ConfigError(`${source}: verbatim strings (${JSON.stringify(verbatim.slice(0, 3))}) need mode 'sentencepiece'`);
  const map = new CharsMap(charsmap, source);
  return {
    normalize(input: NormalizedString): NormalizedString {
      const pieces = mode === 'sentencepiece' ? longestPrefixPieces(map, input.text, verbatim) : graphemePieces(map, input.text);
      return pieces.map((p) => p.text).join('') === input.text ? input : input.rewrite(pieces);
    },
    toJSON: () => ({ type: 'Precompiled', precompiled_charsmap: Buffer.from(charsmap).toString('base64') }),
  };
}
