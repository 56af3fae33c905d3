import { SubstringCache } from './substring-cache.js';
import type { Model, Normalizer, PreTokenizer } from './components.js';
import { NormalizedString } from './normalized-string.js';

/**
 * The tokens of one segment of text (a piece that encodes the same alone as inside any text),
 * with offsets relative to the segment's start and word indexes relative to its first word.
 * @example
 * ```ts
 * const s: EncodedSegment = { ids: [995], tokens: ['Ġworld'], offsets: [0, 6], words: [0], wordCount: 1 };
 * ```
 */
export interface EncodedSegment {
  /** Token ids. */
  readonly ids: readonly number[];
  /** Token strings. */
  readonly tokens: readonly string[];
  /** `[start0, end0, start1, end1, ...]`: each token's span in the segment, in UTF-16 units. */
  readonly offsets: readonly number[];
  /** Index of each token's word among the segment's words. */
  readonly words: readonly number[];
  /** Number of (non-empty) words the segment holds, tokens or not. */
  readonly wordCount: number;
}

/** Segments longer than this (in UTF-16 units) are encoded every time, not remembered. */
const MAX_CACHED_LENGTH = 256;

const ASCII_SPACE = /[ \t\n\r]+/g;

/**
 * Cuts `text` at runs of ASCII spaces, tabs, CR and LF, as `[start0, end0, ...]` of the text
 * between them.
 * @example
 * ```ts
 * cutAtAsciiSpaces(' ab  c'); // [1, 3, 5, 6]
 * ```
 */
export function cutAtAsciiSpaces(text: string): number[] {
  const spans: number[] = [];
  let last = 0;
  for (const match of text.matchAll(ASCII_SPACE)) {
    if (match.index > last) spans.push(last, match.index);
    last = match.index + match[0].length;
  }
  if (last < text.length) spans.push(last, text.length);
  return spans;
}

/**
 * How a pipeline cuts raw text (between added tokens) into independent segments, or null when it
 * cannot: the model must be deterministic, and either there is no normalizer and the
 * pre-tokenizer has `segments`, or the normalizer is `spaceSeparable` and the pre-tokenizer
 * `splitsOnSpaces` (text is then cut at ASCII whitespace).
 * @example
 * ```ts
 * const bpe = new BPE({ vocab: new Map([['H', 0], ['i', 1]]), merges: [] });
 * segmenterOf(bpe, null, byteLevelPreTokenizer())?.('Hi there'); // [0, 2, 2, 8]
 * ```
 */
export function segmenterOf(model: Model, normalizer: Normalizer | null, preTokenizer: PreTokenizer | null): ((text: string) => number[]) | null {
  if (model.deterministic !== true || preTokenizer === null) return null;
  if (normalizer === null && preTokenizer.segments !== undefined) return (text) => preTokenizer.segments!(text);
  if ((normalizer === null || normalizer.spaceSeparable === true) && preTokenizer.splitsOnSpaces === true) return cutAtAsciiSpaces;
  return null;
}

/** A remembered segment: its ids, and its whole encoding once some caller needed it. */
interface CachedSegment {
  readonly ids: readonly number[];
  encoded: EncodedSegment | null;
}

/**
 * Encoded segments by their raw text, so a repeated word skips normalization, pre-tokenization,
 * the model and offset alignment. Holds at most about `capacity` segments (see
 * {@link SubstringCache}); a segment first met through {@link SegmentCache.ids} is tokenized
 * without offsets, and completed when an encoding needs it. Callers copy out of the entries;
 * entries are never handed to users.
 * @example
 * ```ts
 * declare const model: Model, preTokenizer: PreTokenizer; // GPT-2's
 * const cache = new SegmentCache(model, null, preTokenizer, 100_000);
 * cache.encode('Hello world', 5, 11).ids; // [995]
 * ```
 */
export class SegmentCache {
  private readonly entries: SubstringCache<CachedSegment>;

  /** @param capacity - most segments remembered (0 remembers none) */
  constructor(
    private readonly model: Model,
    private readonly normalizer: Normalizer | null,
    private readonly preTokenizer: PreTokenizer,
    capacity: number,
  ) {
    this.entries = new SubstringCache(capacity);
  }

  /** Number of segments remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** The tokens of the segment `text.slice(start, end)`, remembered or computed (and remembered when short enough). */
  encode(text: string, start: number, end: number): EncodedSegment {
    const cached = this.entries.get(text, start, end);
    if (cached?.encoded != null) return cached.encoded;
    const encoded = this.computeEncoding(text.slice(start, end));
    if (cached !== undefined) cached.encoded = encoded;
    else if (end - start <= MAX_CACHED_LENGTH) this.entries.set(text.slice(start, end), { ids: encoded.ids, encoded });
    return encoded;
  }

  /** The ids of the segment `text.slice(start, end)`, remembered or computed (and remembered when short enough). */
  ids(text: string, start: number, end: number): readonly number[] {
    const cached = this.entries.get(text, start, end);
    if (cached !== undefined) return cached.ids;
    const segment = text.slice(start, end);
    const ids = this.computeIds(segment);
    if (segment.length <= MAX_CACHED_LENGTH) this.entries.set(segment, { ids, encoded: null });
    return ids;
  }

  /** The ids of `segment` through the pipeline's fast paths (`splitWords`, `tokenizeIds`) when it has them. */
  private computeIds(segment: string): number[] {
    const { model, normalizer, preTokenizer } = this;
    const remember = this.modelRemembers(segment);
    const normalized = normalizer === null ? segment : normalizer.normalize(NormalizedString.from(segment)).text;
    const words = preTokenizer.splitWords?.(normalized) ?? preTokenizer.split(NormalizedString.from(normalized)).map((w) => w.text);
    const ids: number[] = [];
    for (const word of words) {
      if (word.length === 0) continue;
      if (model.tokenizeIds !== undefined) for (const id of model.tokenizeIds(word, remember)) ids.push(id);
      else for (const t of model.tokenize(word, remember)) ids.push(t.id);
    }
    return ids;
  }

  /** Whether the model should cache the words of `segment`: only when this cache will not remember it. */
  private modelRemembers(segment: string): boolean {
    return segment.length > MAX_CACHED_LENGTH || this.entries.capacity <= 0;
  }

  private computeEncoding(segment: string): EncodedSegment {
    const raw = NormalizedString.from(segment);
    const normalized = this.normalizer === null ? raw : this.normalizer.normalize(raw);
    const ids: number[] = [];
    const tokens: string[] = [];
    const offsets: number[] = [];
    const words: number[] = [];
    let wordCount = 0;
    const remember = this.modelRemembers(segment);
    for (const word of this.preTokenizer.split(normalized)) {
      if (word.text.length === 0) continue;
      for (const t of this.model.tokenize(word.text, remember)) {
        const [start, end] = word.originalRange(t.start, t.end);
        ids.push(t.id), tokens.push(t.value), offsets.push(start, end), words.push(wordCount);
      }
      wordCount++;
    }
    return { ids, tokens, offsets, words, wordCount };
  }
}
