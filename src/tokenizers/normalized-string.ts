import { RangeArgumentError } from '../utils/errors.js';

/**
 * One piece of normalized text (a UTF-16 string) produced by a {@link Normalizer} or a
 * {@link PreTokenizer}, rewriting a span of the original input.
 */
export interface NormalizedPiece {
  /** The text that replaces the span. */
  readonly text: string;
  /** Start of the replaced span, in UTF-16 units of the normalized string being rewritten. */
  readonly start: number;
  /** End (exclusive) of the replaced span. */
  readonly end: number;
}

/**
 * A string being normalized, which remembers for every normalized UTF-16 code unit the span of the
 * original input it came from, so token offsets always point into the text the user passed, as
 * Hugging Face's `NormalizedString` alignments do.
 * (https://huggingface.co/docs/tokenizers/api/normalizers)
 *
 * Alignments are absolute UTF-16 offsets into the whole input. While nothing changed the text,
 * no alignment array exists: unit `i` maps to `[base + i, base + i + 1)`.
 *
 * @example
 * ```ts
 * const s = NormalizedString.from('Ab');
 * const lower = s.rewrite([{ text: 'a', start: 0, end: 1 }, { text: 'b', start: 1, end: 2 }]);
 * lower.text;                 // 'ab'
 * lower.originalRange(1, 2);  // [1, 2]
 * ```
 */
export class NormalizedString {
  private constructor(
    /** The normalized text. */
    readonly text: string,
    /** `[start0, end0, start1, end1, ...]` per unit of `text`, or null for the identity. */
    private readonly alignments: Uint32Array | null,
    /** Offset of `text[0]` in the original input when `alignments` is null. */
    private readonly base: number,
  ) {}

  /**
   * Wraps `text.slice(start, end)` of an original input, aligned to itself.
   * @param text - the whole original input
   * @param start - first UTF-16 unit of the slice (default 0)
   * @param end - end of the slice, exclusive (default `text.length`)
   * @example
   * ```ts
   * NormalizedString.from('hello world', 6).originalRange(0, 5); // [6, 11]
   * ```
   */
  static from(text: string, start = 0, end = text.length): NormalizedString {
    return new NormalizedString(text.slice(start, end), null, start);
  }

  /** Whether the text is still the original, unit for unit. */
  get isIdentity(): boolean {
    return this.alignments === null;
  }

  /** Original span `[start, end)` of the normalized unit at `index`. */
  alignmentOf(index: number): [number, number] {
    const a = this.alignments;
    if (a === null) return [this.base + index, this.base + index + 1];
    return [a[2 * index]!, a[2 * index + 1]!];
  }

  /**
   * The original span covered by the normalized range `[start, end)`. An empty range maps to an
   * empty span where the unit at `start` begins (or where the text ends).
   */
  originalRange(start: number, end: number): [number, number] {
    if (this.alignments === null) return [this.base + start, this.base + end];
    if (this.text.length === 0) return [this.base, this.base];
    if (start >= end) {
      const at = start < this.text.length ? this.alignmentOf(start)[0] : this.alignmentOf(this.text.length - 1)[1];
      return [at, at];
    }
    return [this.alignmentOf(start)[0], this.alignmentOf(end - 1)[1]];
  }

  /** The normalized range `[start, end)` as its own NormalizedString, keeping its alignments. */
  slice(start: number, end: number): NormalizedString {
    if (this.alignments === null) return new NormalizedString(this.text.slice(start, end), null, this.base + start);
    const base = start < this.text.length ? this.alignmentOf(start)[0] : this.originalRange(start, start)[0];
    return new NormalizedString(this.text.slice(start, end), this.alignments.slice(2 * start, 2 * end), base);
  }

  /**
   * Rewrites the text. `pieces` cover the text in order, each replacing the normalized range
   * `[start, end)` with `text`; every unit of a replacement inherits the original span of the
   * whole replaced range (an empty range inherits an empty span where it stands).
   */
  rewrite(pieces: Iterable<NormalizedPiece>): NormalizedString {
    const parts: string[] = [];
    const aligned: number[] = [];
    for (const piece of pieces) {
      parts.push(piece.text);
      const [from, to] = this.originalRange(piece.start, piece.end);
      for (let i = 0; i < piece.text.length; i++) aligned.push(from, to);
    }
    return new NormalizedString(parts.join(''), Uint32Array.from(aligned), this.base);
  }

  /**
   * Rewrites each code point on its own with `map` (lowercasing, byte mapping...). Returns `this`
   * when nothing changed.
   */
  mapCodePoints(map: (char: string) => string): NormalizedString {
    const pieces: NormalizedPiece[] = [];
    let changed = false;
    for (let i = 0; i < this.text.length; ) {
      const cp = this.text.codePointAt(i)!;
      const width = cp > 0xffff ? 2 : 1;
      const char = this.text.slice(i, i + width);
      const text = map(char);
      if (text !== char) changed = true;
      pieces.push({ text, start: i, end: i + width });
      i += width;
    }
    return changed ? this.rewrite(pieces) : this;
  }

  /**
   * Replaces the text with `text` of the same length, unit for unit, keeping every alignment.
   * @throws RangeArgumentError when the lengths differ
   */
  withText(text: string): NormalizedString {
    if (text.length !== this.text.length) {
      throw new RangeArgumentError(`withText needs ${this.text.length} units, got ${text.length} (${JSON.stringify(text.slice(0, 40))})`);
    }
    return new NormalizedString(text, this.alignments, this.base);
  }

  /** Prepends `prefix`, each unit aligned to the first code point's span (as Hugging Face's `prepend`). */
  prepend(prefix: string): NormalizedString {
    if (this.text.length === 0) return this;
    const width = this.text.codePointAt(0)! > 0xffff ? 2 : 1;
    const [from, to] = this.originalRange(0, width);
    const text = prefix + this.text;
    const aligned = new Uint32Array(2 * text.length);
    for (let i = 0; i < prefix.length; i++) aligned.set([from, to], 2 * i);
    for (let i = 0; i < this.text.length; i++) aligned.set(this.alignmentOf(i), 2 * (prefix.length + i));
    return new NormalizedString(text, aligned, this.base);
  }
}
