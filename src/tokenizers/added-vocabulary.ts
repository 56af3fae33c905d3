import type { Normalizer } from './components.js';
import { NormalizedString } from './normalized-string.js';

/**
 * A token matched as a whole in the input before normalization and pre-tokenization, never split,
 * as Hugging Face's `AddedToken`. (https://huggingface.co/docs/tokenizers/api/added-tokens)
 * @example
 * ```ts
 * const mask: AddedToken = { id: 50264, content: '<mask>', special: true, normalized: false, lstrip: true, rstrip: false, singleWord: false };
 * ```
 */
export interface AddedToken {
  /** The token's id. */
  readonly id: number;
  /** The exact text matched. */
  readonly content: string;
  /** Special tokens are skipped by `decode(ids, { skipSpecialTokens: true })`. */
  readonly special: boolean;
  /** Match the normalized text (true) rather than the raw input (false). */
  readonly normalized: boolean;
  /** Also take the whitespace just before a match into the token. */
  readonly lstrip: boolean;
  /** Also take the whitespace just after a match into the token. */
  readonly rstrip: boolean;
  /** Match only where neither neighbour is a word character. */
  readonly singleWord: boolean;
}

/**
 * A piece of text between added tokens (`token` undefined) or one added-token match.
 * @example
 * ```ts
 * const s: AddedTokenSplit = { start: 0, end: 3, token: undefined };
 * ```
 */
export interface AddedTokenSplit {
  /** Start of the piece, in UTF-16 units of the searched text. */
  readonly start: number;
  /** End (exclusive) of the piece. */
  readonly end: number;
  /** The added token matched here, if any. */
  readonly token: AddedToken | undefined;
}

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const ENDS_WITH_WORD = new RegExp(`${WORD_CHAR.source}$`, 'u');
const STARTS_WITH_WORD = new RegExp(`^${WORD_CHAR.source}`, 'u');
const SPACE_AT_END = /\p{White_Space}*$/u;
const SPACE_AT_START = /^\p{White_Space}*/u;

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A matcher for a set of added tokens: leftmost, then longest, match. */
class TokenMatcher {
  private readonly pattern: RegExp | null;
  private readonly byText: Map<string, AddedToken>;

  constructor(entries: readonly (readonly [string, AddedToken])[]) {
    const usable = entries.filter(([text]) => text.length > 0);
    this.byText = new Map(usable.map(([text, token]) => [text, token] as const).reverse());
    const texts = [...this.byText.keys()].sort((a, b) => b.length - a.length);
    this.pattern = texts.length === 0 ? null : new RegExp(texts.map(escapeRegExp).join('|'), 'gu');
  }

  /** Whether no token can match. */
  get isEmpty(): boolean {
    return this.pattern === null;
  }

  /** Splits `text` into added-token matches and the pieces between them, as Hugging Face does. */
  split(text: string): AddedTokenSplit[] {
    if (this.pattern === null) return [{ start: 0, end: text.length, token: undefined }];
    const splits: AddedTokenSplit[] = [];
    let done = 0;
    for (const match of text.matchAll(this.pattern)) {
      const token = this.byText.get(match[0])!;
      let start = match.index;
      let end = start + match[0].length;
      if (token.singleWord && (ENDS_WITH_WORD.test(text.slice(0, start)) || STARTS_WITH_WORD.test(text.slice(end)))) continue;
      if (token.lstrip) start = Math.max(SPACE_AT_END.exec(text.slice(0, start))!.index, done);
      if (token.rstrip) end += SPACE_AT_START.exec(text.slice(end))![0].length;
      if (done < start) splits.push({ start: done, end: start, token: undefined });
      splits.push({ start, end, token });
      done = end;
    }
    if (done < text.length) splits.push({ start: done, end: text.length, token: undefined });
    return splits;
  }
}

/**
 * A piece of input after added tokens were extracted and the rest normalized: either an added
 * token (with its original span) or normalized text for the pre-tokenizer.
 * @example
 * ```ts
 * const piece: ExtractedPiece = { text: NormalizedString.from('hi'), token: undefined };
 * ```
 */
export interface ExtractedPiece {
  /** The piece's normalized text with alignments (for an added token, the matched text). */
  readonly text: NormalizedString;
  /** The added token this piece is, if any. */
  readonly token: AddedToken | undefined;
}

/**
 * The added tokens of a tokenizer and the two-pass extraction Hugging Face does: tokens with
 * `normalized: false` are found in the raw input, then the rest is normalized and tokens with
 * `normalized: true` are found in the normalized text (matching their normalized content).
 * @example
 * ```ts
 * const added = new AddedVocabulary([{ id: 0, content: '<s>', special: true, normalized: false, lstrip: false, rstrip: false, singleWord: false }], null);
 * added.extract('<s>hi').map((p) => p.text.text); // ['<s>', 'hi']
 * ```
 */
export class AddedVocabulary {
  /** The added tokens, by ascending id. */
  readonly tokens: readonly AddedToken[];
  private readonly byId: Map<number, AddedToken>;
  private readonly byContent: Map<string, AddedToken>;
  private readonly raw: TokenMatcher;
  private readonly normalized: TokenMatcher;

  constructor(tokens: readonly AddedToken[], private readonly normalizer: Normalizer | null) {
    this.tokens = [...tokens].sort((a, b) => a.id - b.id);
    this.byId = new Map(this.tokens.map((t) => [t.id, t]));
    this.byContent = new Map(this.tokens.map((t) => [t.content, t]));
    const ordered = [...this.tokens.filter((t) => t.special), ...this.tokens.filter((t) => !t.special)];
    this.raw = new TokenMatcher(ordered.filter((t) => !t.normalized).map((t) => [t.content, t]));
    this.normalized = new TokenMatcher(
      ordered.filter((t) => t.normalized).map((t) => [this.normalize(NormalizedString.from(t.content)).text, t]),
    );
  }

  /** The added token with this id, if any. */
  byIdentifier(id: number): AddedToken | undefined {
    return this.byId.get(id);
  }

  /** The added token with this content, if any. */
  byText(content: string): AddedToken | undefined {
    return this.byContent.get(content);
  }

  private normalize(text: NormalizedString): NormalizedString {
    return this.normalizer === null ? text : this.normalizer.normalize(text);
  }

  /** Whether some added token is matched in normalized text (`normalized: true`). */
  get matchesNormalized(): boolean {
    return !this.normalized.isEmpty;
  }

  /**
   * Splits the raw `input` into the matches of the `normalized: false` tokens and the text
   * between them (not normalized, nor searched for `normalized: true` tokens).
   * @example
   * ```ts
   * declare const added: AddedVocabulary; // holding the special token '<s>'
   * added.splitRaw('<s>hi'); // [{ start: 0, end: 3, token: <s> }, { start: 3, end: 5, token: undefined }]
   * ```
   */
  splitRaw(input: string): AddedTokenSplit[] {
    return this.raw.split(input);
  }

  /** Splits `input` into added tokens and normalized text, dropping empty pieces. */
  extract(input: string): ExtractedPiece[] {
    const pieces: ExtractedPiece[] = [];
    const whole = NormalizedString.from(input);
    for (const outer of this.splitRaw(input)) {
      const slice = whole.slice(outer.start, outer.end);
      if (outer.token !== undefined) {
        pieces.push({ text: slice, token: outer.token });
        continue;
      }
      const normalized = this.normalize(slice);
      for (const inner of this.normalized.split(normalized.text)) {
        if (inner.end > inner.start) pieces.push({ text: normalized.slice(inner.start, inner.end), token: inner.token });
      }
    }
    return pieces;
  }
}
