import type { Encoding } from './encoding.js';
import type { NormalizedString } from './normalized-string.js';

/**
 * The saved form of one pipeline component, as it appears in Hugging Face's `tokenizer.json`:
 * an object whose `type` names the component.
 * @example
 * ```ts
 * const json: ComponentJSON = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
 * ```
 */
export interface ComponentJSON {
  /** The component's Hugging Face type name (`'BPE'`, `'ByteLevel'`, `'NFC'`...). */
  readonly type: string;
  /** The component's settings, in Hugging Face's snake_case names. */
  readonly [key: string]: unknown;
}

/**
 * A token produced by a {@link Model} for one word.
 * @example
 * ```ts
 * const t: ModelToken = { id: 12, value: 'Ġthe', start: 0, end: 4 };
 * ```
 */
export interface ModelToken {
  /** Token id in the model's vocabulary. */
  readonly id: number;
  /** The token's string in the vocabulary. */
  readonly value: string;
  /** Start of the token in the word, in UTF-16 units. */
  readonly start: number;
  /** End (exclusive) of the token in the word. */
  readonly end: number;
}

/**
 * First stage of the pipeline: rewrites text (Unicode normalization, lowercasing...) while
 * keeping offsets into the original. (https://huggingface.co/docs/tokenizers/api/normalizers)
 * @example
 * ```ts
 * const n: Normalizer = lowercase();
 * n.normalize(NormalizedString.from('Hi')).text; // 'hi'
 * ```
 */
export interface Normalizer {
  /** Returns the normalized string (possibly the same object when nothing changes). */
  normalize(input: NormalizedString): NormalizedString;
  /**
   * True when normalizing text cut at ASCII spaces, tabs, CR and LF piece by piece gives the same
   * text and offsets as normalizing it whole, and those characters stay whitespace (each character
   * is rewritten on its own): the tokenizer may then encode and cache such pieces separately.
   */
  readonly spaceSeparable?: boolean;
  /** The component as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON;
}

/**
 * Second stage: splits normalized text into words that the model tokenizes separately, possibly
 * rewriting them (byte-level mapping). (https://huggingface.co/docs/tokenizers/api/pre-tokenizers)
 * @example
 * ```ts
 * const p: PreTokenizer = whitespaceSplit();
 * p.split(NormalizedString.from('a b')).map((w) => w.text); // ['a', 'b']
 * ```
 */
export interface PreTokenizer {
  /** Splits one piece of text into words, each keeping its alignments. */
  split(input: NormalizedString): NormalizedString[];
  /** Optional fast path: the words' texts only (`split(...).map((w) => w.text)` without tracking alignments). */
  splitWords?(text: string): string[];
  /**
   * Optional fast path: spans `[start0, end0, start1, end1, ...]` of `text` that pre-tokenize
   * independently: `split` of the whole gives the words of `split` of each span in turn (offsets
   * shifted), and text outside the spans gives no word. Lets the tokenizer cache words by raw text.
   */
  segments?(text: string): number[];
  /**
   * True when every Unicode whitespace character ends a word and is dropped, so text cut at
   * whitespace pre-tokenizes piece by piece the same as whole.
   */
  readonly splitsOnSpaces?: boolean;
  /** The component as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON;
}

/**
 * Third stage: turns one word into tokens of a vocabulary (BPE, WordPiece, Unigram...).
 * (https://huggingface.co/docs/tokenizers/api/models)
 * @example
 * ```ts
 * const m: Model = new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']] });
 * m.tokenize('ab'); // [{ id: 2, value: 'ab', start: 0, end: 2 }]
 * ```
 */
export interface Model {
  /**
   * Tokens of one word, with offsets in the word; `remember: false` tells a model with a word cache
   * that its caller caches words itself (the model need neither look the word up nor store it).
   */
  tokenize(word: string, remember?: boolean): ModelToken[];
  /** Optional fast path: the ids of `tokenize(word)` only, without offsets or token strings. */
  tokenizeIds?(word: string, remember?: boolean): readonly number[];
  /** True when `tokenize` always gives the same tokens for the same word (no sampling), so words may be cached. */
  readonly deterministic?: boolean;
  /** Id of a vocabulary entry, or undefined. */
  tokenToId(token: string): number | undefined;
  /** Vocabulary entry of an id, or undefined. */
  idToToken(id: number): string | undefined;
  /** Number of entries in the vocabulary. */
  readonly vocabSize: number;
  /** The component as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON;
}

/**
 * The text and optional pair text an encoding was made from (its offsets index them).
 * @example
 * ```ts
 * const texts: SourceTexts = ['Hello', null];
 * ```
 */
export type SourceTexts = readonly [string, string | null];

/**
 * Fourth stage: adds special tokens around one or two encoded sequences, sets type ids and may
 * adjust offsets. (https://huggingface.co/docs/tokenizers/api/post-processors)
 * @example
 * ```ts
 * const p: PostProcessor = robertaProcessing();
 * p.addedTokens(false); // 2
 * ```
 */
export interface PostProcessor {
  /** How many special tokens `process` adds for a single sequence or a pair. */
  addedTokens(isPair: boolean): number;
  /**
   * Joins `first` and the optional `second` into one encoding; `texts`, the texts they were
   * encoded from, lets byte-level trimming step over code points as Hugging Face does.
   */
  process(first: Encoding, second: Encoding | null, addSpecialTokens: boolean, texts?: SourceTexts): Encoding;
  /** The component as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON;
}

/**
 * Last stage, run when decoding: turns token strings back into text.
 * (https://huggingface.co/docs/tokenizers/api/decoders)
 * @example
 * ```ts
 * const d: Decoder = fuseDecoder();
 * d.decodeChain(['a', 'b']); // ['ab']
 * ```
 */
export interface Decoder {
  /** Rewrites the token strings; the decoded text is the result joined with `''`. */
  decodeChain(tokens: string[]): string[];
  /** The component as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON;
}
