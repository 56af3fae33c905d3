import type { AddedToken, AddedVocabulary } from './added-vocabulary.js';
import type { Model, Normalizer, PreTokenizer } from './components.js';
import type { Encoding } from './encoding.js';
import { SegmentCache, segmenterOf, type EncodedSegment } from './segment-cache.js';

/**
 * The fast path of a tokenizer's encoding, before post-processing: added tokens are found in the
 * raw text, the text between them is cut into segments that encode independently (words, or text
 * between ASCII spaces) and each segment's tokens come from a {@link SegmentCache}, shifted to
 * where the segment stands. Gives exactly the encoding of the normalize / pre-tokenize / model
 * pipeline.
 * @example
 * ```ts
 * declare const model: Model, preTokenizer: PreTokenizer, added: AddedVocabulary; // GPT-2's
 * const fast = SegmentedEncoder.of(model, null, preTokenizer, added, 100_000);
 * fast?.encode('Hello world', 0).ids;
 * ```
 */
export class SegmentedEncoder {
  private readonly cache: SegmentCache;

  private constructor(
    private readonly segmenter: (text: string) => number[],
    private readonly added: AddedVocabulary,
    model: Model,
    normalizer: Normalizer | null,
    preTokenizer: PreTokenizer,
    capacity: number,
  ) {
    this.cache = new SegmentCache(model, normalizer, preTokenizer, capacity);
  }

  /**
   * The encoder of a pipeline, or null when its text cannot be cut into independent segments
   * (see {@link segmenterOf}) or some added token is matched in normalized text.
   * @param capacity - most segments the cache remembers
   */
  static of(model: Model, normalizer: Normalizer | null, preTokenizer: PreTokenizer | null, added: AddedVocabulary, capacity: number): SegmentedEncoder | null {
    const segmenter = segmenterOf(model, normalizer, preTokenizer);
    if (segmenter === null || added.matchesNormalized) return null;
    return new SegmentedEncoder(segmenter, added, model, normalizer, preTokenizer!, capacity);
  }

  /** Number of segments the cache holds. */
  get cachedSegments(): number {
    return this.cache.size;
  }

  /**
   * The pieces of `text` in order: an added token with its span, or raw text between added tokens
   * (`piece`, starting at `start` in `text`) with the spans of its segments.
   */
  private piecesOf(text: string): ({ token: AddedToken; start: number; end: number } | { token: undefined; piece: string; start: number; spans: number[] })[] {
    return this.added.splitRaw(text).map(({ token, start, end }) => {
      if (token !== undefined) return { token, start, end };
      const piece = start === 0 && end === text.length ? text : text.slice(start, end);
      return { token, piece, start, spans: this.segmenter(piece) };
    });
  }

  /**
   * The encoding of one input, before post-processing; `sequence` sets type and sequence ids.
   * @example
   * ```ts
   * declare const encoder: SegmentedEncoder; // GPT-2's
   * encoder.encode('Hello world', 0).offsets; // [[0, 5], [5, 11]]
   * ```
   */
  encode(text: string, sequence: number): Encoding {
    // First the segments and where each starts, then every array at its final length in one loop
    // (arrays grown by push and filled afterwards cost about a third of a cached encode).
    const segments: EncodedSegment[] = [];
    const bases: number[] = [];
    let n = 0;
    for (const part of this.piecesOf(text)) {
      if (part.token !== undefined) {
        segments.push({ ids: [part.token.id], tokens: [text.slice(part.start, part.end)], offsets: [0, part.end - part.start], words: [0], wordCount: 1 });
        bases.push(part.start), n++;
        continue;
      }
      const { piece, spans } = part;
      for (let k = 0; k < spans.length; k += 2) {
        const segment = this.cache.encode(piece, spans[k]!, spans[k + 1]!);
        segments.push(segment), bases.push(part.start + spans[k]!), (n += segment.ids.length);
      }
    }
    const ids = new Array<number>(n);
    const tokens = new Array<string>(n);
    const offsets = new Array<[number, number]>(n);
    const wordIds = new Array<number>(n);
    const typeIds = new Array<number>(n);
    const ones = new Array<number>(n);
    const zeros = new Array<number>(n);
    const sequenceIds = new Array<number>(n);
    let t = 0;
    let word = 0;
    for (let s = 0; s < segments.length; s++) {
      const segment = segments[s]!;
      const base = bases[s]!;
      for (let j = 0; j < segment.ids.length; j++, t++) {
        ids[t] = segment.ids[j]!, tokens[t] = segment.tokens[j]!, wordIds[t] = word + segment.words[j]!;
        offsets[t] = [base + segment.offsets[2 * j]!, base + segment.offsets[2 * j + 1]!];
        typeIds[t] = sequence, ones[t] = 1, zeros[t] = 0, sequenceIds[t] = sequence;
      }
      word += segment.wordCount;
    }
    return { ids, tokens, offsets, typeIds, attentionMask: ones, specialTokensMask: zeros, wordIds, sequenceIds };
  }

  /**
   * Appends the ids of one input, before post-processing, to `out`.
   * @example
   * ```ts
   * declare const encoder: SegmentedEncoder; // GPT-2's
   * const ids: number[] = [];
   * encoder.appendIds('Hello world', ids); // ids: [15496, 995]
   * ```
   */
  appendIds(text: string, out: number[]): void {
    for (const part of this.piecesOf(text)) {
      if (part.token !== undefined) {
        out.push(part.token.id);
        continue;
      }
      const { piece, spans } = part;
      for (let k = 0; k < spans.length; k += 2) {
        const ids = this.cache.ids(piece, spans[k]!, spans[k + 1]!);
        for (let j = 0; j < ids.length; j++) out.push(ids[j]!);
      }
    }
  }
}
