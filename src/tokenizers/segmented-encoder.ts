import type { AddedVocabulary } from './added-vocabulary.js';
import type { Model, Normalizer, PreTokenizer } from './components.js';
import type { Encoding } from './encoding.js';
import { SegmentCache, segmenterOf } from './segment-cache.js';

/**
 * The fast path of a tokenizer's encoding, before post-processing: added tokens are found in the
 * raw text, the text between them is cut into segments that encode independently (words, or text
 * between ASCII spaces) and each segment's tokens come from a {@link SegmentCache}, shifted to
 * where the segment stands. Gives exactly the encoding of the normalize / pre-tokenize / model
 * pipeline.
 * @example
 * ```ts
 * const fast = SegmentedEncoder.of(model, normalizer, preTokenizer, added, 100_000);
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

  /** Calls `onAdded` for each added token and `onSegment` with the span of each segment of `text`, in order. */
  private walk(text: string, onAdded: (id: number, start: number, end: number) => void, onSegment: (piece: string, start: number, end: number, offset: number) => void): void {
    for (const split of this.added.splitRaw(text)) {
      if (split.token !== undefined) {
        onAdded(split.token.id, split.start, split.end);
        continue;
      }
      const piece = split.start === 0 && split.end === text.length ? text : text.slice(split.start, split.end);
      const spans = this.segmenter(piece);
      for (let k = 0; k < spans.length; k += 2) onSegment(piece, spans[k]!, spans[k + 1]!, split.start + spans[k]!);
    }
  }

  /**
   * The encoding of one input, before post-processing; `sequence` sets type and sequence ids.
   * @example
   * ```ts
   * encoder.encode('Hello world', 0).offsets; // [[0, 5], [5, 11]]
   * ```
   */
  encode(text: string, sequence: number): Encoding {
    const ids: number[] = [];
    const tokens: string[] = [];
    const offsets: [number, number][] = [];
    const wordIds: number[] = [];
    let word = 0;
    const pushToken = (id: number, token: string, start: number, end: number, wordId: number): void => {
      ids.push(id), tokens.push(token), offsets.push([start, end]), wordIds.push(wordId);
    };
    this.walk(
      text,
      (id, start, end) => pushToken(id, text.slice(start, end), start, end, word++),
      (piece, from, to, start) => {
        const segment = this.cache.encode(piece, from, to);
        for (let j = 0; j < segment.ids.length; j++) {
          pushToken(segment.ids[j]!, segment.tokens[j]!, start + segment.offsets[2 * j]!, start + segment.offsets[2 * j + 1]!, word + segment.words[j]!);
        }
        word += segment.wordCount;
      },
    );
    const n = ids.length;
    const constant = (value: number): number[] => new Array<number>(n).fill(value);
    return { ids, tokens, offsets, typeIds: constant(sequence), attentionMask: constant(1), specialTokensMask: constant(0), wordIds, sequenceIds: constant(sequence) };
  }

  /**
   * Appends the ids of one input, before post-processing, to `out`.
   * @example
   * ```ts
   * const ids: number[] = [];
   * encoder.appendIds('Hello world', ids); // ids: [15496, 995]
   * ```
   */
  appendIds(text: string, out: number[]): void {
    this.walk(
      text,
      (id) => out.push(id),
      (piece, from, to) => {
        for (const id of this.cache.ids(piece, from, to)) out.push(id);
      },
    );
  }
}
