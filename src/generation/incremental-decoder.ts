/**
 * Turns a growing token sequence into stable text deltas, for streaming: a delta is released only
 * once the decoded text no longer ends in U+FFFD, so a character split over several byte-level
 * tokens (CJK, emoji) is never shown half-decoded as a replacement character. It decodes a short
 * window (from the last released boundary), as Hugging Face's text-generation-inference does, so
 * each push costs O(window), and decoders whose output depends on the previous token (leading
 * spaces) still see context. Joining every delta and {@link IncrementalDecoder.flush} gives
 * `decode(allTokens)` for decoders that decode a concatenation to the concatenated text.
 *
 * @example
 * ```ts
 * const utf8 = (ids: number[]) => new TextDecoder().decode(Uint8Array.from(ids));
 * const d = new IncrementalDecoder(utf8);
 * d.push(0xe4); d.push(0xbd); // '' twice: 你 is not complete yet
 * d.push(0xa0);               // '你'
 * ```
 */
export class IncrementalDecoder {
  private readonly tokens: number[] = [];
  /** Start of the context window of the next decode. */
  private prefixOffset = 0;
  /** End of what was released. */
  private readOffset = 0;

  /** @param decode - token ids to text (the tokenizer's decode) */
  constructor(private readonly decode: (ids: number[]) => string) {}

  /**
   * Adds a token and returns the text it makes stable ('' while a character is incomplete).
   * @param token - the next token id
   */
  push(token: number): string {
    this.tokens.push(token);
    const before = this.decode(this.tokens.slice(this.prefixOffset, this.readOffset));
    const after = this.decode(this.tokens.slice(this.prefixOffset));
    if (after.length <= before.length || after.endsWith('\uFFFD')) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.tokens.length;
    return after.slice(before.length);
  }

  /** Returns whatever is still held back (an incomplete character is final here), and releases it. */
  flush(): string {
    const before = this.decode(this.tokens.slice(this.prefixOffset, this.readOffset));
    const after = this.decode(this.tokens.slice(this.prefixOffset));
    this.prefixOffset = this.readOffset = this.tokens.length;
    return after.slice(before.length);
  }
}
