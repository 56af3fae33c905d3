import { writeFileAtomic } from '../utils/atomic-write.js';
import { assert } from '../utils/assert.js';
import { CancelledError, ConfigError, RangeArgumentError, VocabularyError } from '../utils/errors.js';
import { AddedVocabulary, type AddedToken } from './added-vocabulary.js';
import type { ComponentJSON, Decoder, Model, Normalizer, PostProcessor, PreTokenizer, SourceTexts } from './components.js';
import { concatEncodings, emptyEncoding, truncatePair, type Encoding, type Side, type TruncationOptions } from './encoding.js';
import { padBatch, type PaddingOptions } from './padding.js';
import { checkInputLength, type DecodeOptions, type EncodeBatchAsyncOptions, type EncodeOptions } from './encode-options.js';
import { SegmentedEncoder } from './segmented-encoder.js';

/**
 * The parts of a {@link Tokenizer}.
 * @example
 * ```ts
 * declare const vocab: Map<string, number>, merges: [string, string][];
 * const parts: TokenizerParts = { model: new BPE({ vocab, merges }), preTokenizer: byteLevelPreTokenizer(), decoder: byteLevelDecoder() };
 * ```
 */
export interface TokenizerParts {
  /** Turns words into tokens. */
  readonly model: Model;
  /** Rewrites text first (default none). */
  readonly normalizer?: Normalizer | null;
  /** Splits text into words (default: the whole text is one word). */
  readonly preTokenizer?: PreTokenizer | null;
  /** Adds special tokens (default: pairs are concatenated, the second with type id 1). */
  readonly postProcessor?: PostProcessor | null;
  /** Turns tokens back into text (default: tokens joined with spaces). */
  readonly decoder?: Decoder | null;
  /** Tokens matched whole before normalization (default none). */
  readonly addedTokens?: readonly AddedToken[];
  /** Truncation applied on every encode (default none). */
  readonly truncation?: TruncationOptions | null;
  /** Padding applied on every encode (default none). */
  readonly padding?: PaddingOptions | null;
  /**
   * How many encoded words (or other independent segments of text) to remember by their raw
   * text, so repeated words skip the pipeline (default 100,000; 0 remembers none). Used when the
   * pipeline allows it: a deterministic model, no added token matched in normalized text, and a
   * pre-tokenizer with `segments` (no normalizer) or one that `splitsOnSpaces` after a
   * `spaceSeparable` normalizer.
   */
  readonly segmentCacheCapacity?: number;
}

const DEFAULT_SEGMENT_CACHE_CAPACITY = 100_000;

/**
 * A Hugging Face-style tokenizer pipeline: added tokens are extracted, the rest is normalized,
 * pre-tokenized into words and tokenized by the model; the post-processor adds special tokens;
 * truncation and padding follow. Offsets point into the text given, in UTF-16 units.
 * (https://huggingface.co/docs/tokenizers/pipeline)
 * @example
 * ```ts
 * const tokenizer = await loadTokenizer('gpt2/');
 * const { ids, tokens, offsets } = tokenizer.encode('Hello world');
 * tokenizer.decode(ids); // 'Hello world'
 * ```
 */
export class Tokenizer {
  /** The model. */
  readonly model: Model;
  /** The normalizer, or null. */
  readonly normalizer: Normalizer | null;
  /** The pre-tokenizer, or null. */
  readonly preTokenizer: PreTokenizer | null;
  /** The post-processor, or null. */
  readonly postProcessor: PostProcessor | null;
  /** The decoder, or null. */
  readonly decoder: Decoder | null;
  /** Truncation applied on every encode, or null. */
  readonly truncation: TruncationOptions | null;
  /** Padding applied on every encode, or null. */
  readonly padding: PaddingOptions | null;
  /** The added tokens. */
  readonly added: AddedVocabulary;
  /** The cached fast path of encoding, or null when the pipeline does not allow it. */
  private readonly segmented: SegmentedEncoder | null;

  /**
   * @throws ConfigError when truncation or padding settings are invalid
   */
  constructor(parts: TokenizerParts) {
    this.model = parts.model;
    this.normalizer = parts.normalizer ?? null;
    this.preTokenizer = parts.preTokenizer ?? null;
    this.postProcessor = parts.postProcessor ?? null;
    this.decoder = parts.decoder ?? null;
    this.truncation = parts.truncation ?? null;
    this.padding = parts.padding ?? null;
    if (this.truncation !== null && !(Number.isInteger(this.truncation.maxLength) && this.truncation.maxLength >= 0)) {
      throw new ConfigError(`truncation maxLength must be a non-negative integer, got ${this.truncation.maxLength}`);
    }
    const fixed = this.padding?.length;
    if (typeof fixed === 'number' && !(Number.isInteger(fixed) && fixed >= 0)) {
      throw new ConfigError(`padding length must be 'longest' or a non-negative integer, got ${fixed}`);
    }
    this.added = new AddedVocabulary(parts.addedTokens ?? [], this.normalizer);
    const capacity = parts.segmentCacheCapacity ?? DEFAULT_SEGMENT_CACHE_CAPACITY;
    assert(Number.isInteger(capacity) && capacity >= 0, ConfigError, () => `segmentCacheCapacity must be a non-negative integer, got ${capacity}`);
    this.segmented = SegmentedEncoder.of(this.model, this.normalizer, this.preTokenizer, this.added, capacity);
  }

  /** Size of the vocabulary, added tokens included. */
  get vocabSize(): number {
    return this.model.vocabSize + this.added.tokens.filter((t) => this.model.idToToken(t.id) === undefined).length;
  }

  /** Id of a token (added tokens first), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.added.byText(token)?.id ?? this.model.tokenToId(token);
  }

  /** Token string of an id (added tokens first), or undefined. */
  idToToken(id: number): string | undefined {
    return this.added.byIdentifier(id)?.content ?? this.model.idToToken(id);
  }

  /** Tokens of one input, before post-processing; `sequence` sets type and sequence ids. */
  private encodeSequence(text: string, sequence: number): Encoding {
    if (this.segmented !== null) return this.segmented.encode(text, sequence);
    const out = emptyEncoding();
    let word = 0;
    const push = (id: number, token: string, offsets: [number, number]): void => {
      out.ids.push(id), out.tokens.push(token), out.offsets.push(offsets), out.typeIds.push(sequence);
      out.attentionMask.push(1), out.specialTokensMask.push(0), out.wordIds.push(word), out.sequenceIds.push(sequence);
    };
    for (const piece of this.added.extract(text)) {
      if (piece.token !== undefined) {
        push(piece.token.id, piece.text.text, piece.text.originalRange(0, piece.text.text.length));
        word++;
        continue;
      }
      for (const w of this.preTokenizer === null ? [piece.text] : this.preTokenizer.split(piece.text)) {
        if (w.text.length === 0) continue;
        for (const t of this.model.tokenize(w.text)) push(t.id, t.value, w.originalRange(t.start, t.end));
        word++;
      }
    }
    return out;
  }

  /**
   * Encodes a text, or a pair of texts.
   * @param text - the (first) input
   * @param pair - an optional second input (question/context...)
   * @param options - whether to add special tokens (default true)
   * @throws VocabularyError when the model meets a character it cannot encode and has no fallback
   * @throws RangeArgumentError when `only_first`/`only_second` truncation cannot fit
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer; // GPT-2's
   * tokenizer.encode('Hello world').ids; // [15496, 995]
   * ```
   */
  encode(text: string, pair: string | null = null, options: EncodeOptions = {}): Encoding {
    checkInputLength(text, pair, options.maxInputLength);
    const encoding = this.postProcess(this.encodeSequence(text, 0), pair === null ? null : this.encodeSequence(pair, 1), options.addSpecialTokens ?? true, [text, pair]);
    return this.padding === null ? encoding : padBatch([encoding], this.padding)[0]!;
  }

  /**
   * The ids of {@link Tokenizer.encode}, faster when only ids are needed: without truncation,
   * padding or special tokens to add, words are tokenized without offset tracking (through the
   * pre-tokenizer's `splitWords` and the model's `tokenizeIds` when they have them); otherwise
   * this is `encode(...).ids`.
   * @throws VocabularyError when the model meets a character it cannot encode and has no fallback
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer; // GPT-2's
   * tokenizer.encodeIds('Hello world'); // [15496, 995]
   * ```
   */
  encodeIds(text: string, pair: string | null = null, options: EncodeOptions = {}): number[] {
    checkInputLength(text, pair, options.maxInputLength);
    const add = options.addSpecialTokens ?? true;
    if (this.truncation !== null || this.padding !== null || (add && this.postProcessor !== null && this.postProcessor.addedTokens(pair !== null) > 0)) {
      return this.encode(text, pair, options).ids;
    }
    const ids: number[] = [];
    for (const input of pair === null ? [text] : [text, pair]) this.sequenceIds(input, ids);
    return ids;
  }

  /** Appends the ids of one input, before post-processing, to `out`. */
  private sequenceIds(text: string, out: number[]): void {
    if (this.segmented !== null) return this.segmented.appendIds(text, out);
    const { model, preTokenizer } = this;
    for (const piece of this.added.extract(text)) {
      if (piece.token !== undefined) {
        out.push(piece.token.id);
        continue;
      }
      const words = preTokenizer === null ? [piece.text.text] : preTokenizer.splitWords?.(piece.text.text) ?? preTokenizer.split(piece.text).map((w) => w.text);
      for (const word of words) {
        if (word.length === 0) continue;
        if (model.tokenizeIds !== undefined) for (const id of model.tokenizeIds(word)) out.push(id);
        else for (const t of model.tokenize(word)) out.push(t.id);
      }
    }
  }

  /**
   * Encodes many inputs (texts or `[text, pair]`), then pads them together when padding is set.
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer;
   * tokenizer.encodeBatch(['a', ['b', 'c']]).map((e) => e.ids.length);
   * ```
   */
  encodeBatch(inputs: readonly (string | readonly [string, string])[], options: EncodeOptions = {}): Encoding[] {
    const encodings = inputs.map((input) => this.encodeInput(input, options));
    return this.padding === null ? encodings : padBatch(encodings, this.padding);
  }

  /**
   * {@link Tokenizer.encodeBatch} for large batches in a server or a UI: encodes `chunkSize` inputs
   * at a time and yields to the event loop between chunks, so other work goes on, and stops with a
   * CancelledError as soon as `signal` is aborted. The result equals `encodeBatch`'s.
   * @param inputs - texts, or `[first, second]` pairs
   * @param options - special tokens, `maxInputLength`, `signal`, `chunkSize`
   * @returns one encoding per input, padded together when padding is enabled
   * @throws CancelledError when `signal` is aborted; RangeArgumentError for a bad `chunkSize` or an input over `maxInputLength`
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer, lines: string[];
   * const controller = new AbortController(); // abort() cancels the batch
   * const encodings = await tokenizer.encodeBatchAsync(lines, { signal: controller.signal });
   * ```
   */
  async encodeBatchAsync(inputs: readonly (string | readonly [string, string])[], options: EncodeBatchAsyncOptions = {}): Promise<Encoding[]> {
    const { signal, chunkSize = 64, ...encodeOptions } = options;
    assert(Number.isInteger(chunkSize) && chunkSize > 0, RangeArgumentError, () => `chunkSize (${chunkSize}) must be a positive integer`);
    const encodings: Encoding[] = [];
    for (let start = 0; start < inputs.length; start += chunkSize) {
      if (signal?.aborted) throw new CancelledError(`encodeBatchAsync cancelled after ${start} of ${inputs.length} inputs`);
      for (const input of inputs.slice(start, start + chunkSize)) {
        encodings.push(this.encodeInput(input, encodeOptions));
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (signal?.aborted) throw new CancelledError(`encodeBatchAsync cancelled after ${inputs.length} of ${inputs.length} inputs`);
    return this.padding === null ? encodings : padBatch(encodings, this.padding);
  }

  /** One batch input: a text, or a `[text, pair]`. */
  private encodeInput(input: string | readonly [string, string], options: EncodeOptions): Encoding {
    return typeof input === 'string' ? this.encode(input, null, options) : this.encode(input[0], input[1], options);
  }

  private postProcess(first: Encoding, second: Encoding | null, addSpecialTokens: boolean, texts: SourceTexts): Encoding {
    let [a, b] = [first, second];
    if (this.truncation !== null) {
      const added = addSpecialTokens && this.postProcessor !== null ? this.postProcessor.addedTokens(second !== null) : 0;
      [a, b] = truncatePair(a, b, { ...this.truncation, maxLength: Math.max(0, this.truncation.maxLength - added) });
    }
    const process = (x: Encoding, y: Encoding | null): Encoding =>
      this.postProcessor !== null ? this.postProcessor.process(x, y, addSpecialTokens, texts) : concatEncodings(y === null ? [x] : [x, y]);
    const aWindows = a.overflowing ?? [];
    const bWindows = b?.overflowing ?? [];
    const main = process(a, b);
    if (aWindows.length === 0 && bWindows.length === 0) return main;
    if (b === null) return { ...main, overflowing: aWindows.map((w) => process(w, null)) };
    // Hugging Face's Encoding::merge_with order: each first-input window with the whole second input
    // (nesting its combinations with the second's windows), then with each of those windows, and
    // finally the whole first input with each second-input window (nesting the first's windows).
    const overflowing: Encoding[] = [];
    for (const x of aWindows) {
      const combos = bWindows.map((y) => process(x, y));
      overflowing.push({ ...process(x, b), ...(combos.length > 0 ? { overflowing: combos } : {}) }, ...combos);
    }
    for (const y of bWindows) {
      overflowing.push({ ...process(a, y), ...(aWindows.length > 0 ? { overflowing: aWindows.map((x) => process(x, y)) } : {}) });
    }
    return { ...main, overflowing };
  }

  /**
   * Turns ids back into text through the decoder.
   * @throws VocabularyError when an id is in neither the vocabulary nor the added tokens
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer; // RoBERTa's
   * tokenizer.decode([0, 31414, 2], { skipSpecialTokens: true }); // 'Hello'
   * ```
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      const added = this.added.byIdentifier(id);
      if (added?.special && options.skipSpecialTokens) continue;
      const token = added?.content ?? this.model.idToToken(id);
      if (token === undefined) throw new VocabularyError(`token id ${id} is not in the vocabulary (size ${this.vocabSize})`);
      tokens.push(token);
    }
    return this.decoder === null ? tokens.join(' ') : this.decoder.decodeChain(tokens).join('');
  }

  /**
   * The tokenizer in Hugging Face's `tokenizer.json` format (version "1.0").
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer;
   * JSON.stringify(tokenizer.toJSON());
   * ```
   */
  toJSON(): TokenizerJSON {
    const t = this.truncation;
    const p = this.padding;
    const side = (s: Side | undefined): string => (s === 'left' ? 'Left' : 'Right');
    return {
      version: '1.0',
      truncation: t === null ? null : {
        direction: side(t.direction), max_length: t.maxLength, stride: t.stride ?? 0,
        strategy: { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' }[t.strategy ?? 'longest_first'],
      },
      padding: p === null ? null : {
        strategy: typeof p.length === 'number' ? { Fixed: p.length } : 'BatchLongest', direction: side(p.direction),
        pad_to_multiple_of: p.padToMultipleOf ?? null, pad_id: p.padId ?? 0, pad_type_id: p.padTypeId ?? 0, pad_token: p.padToken ?? '[PAD]',
      },
      added_tokens: this.added.tokens.map((a) => ({
        id: a.id, content: a.content, single_word: a.singleWord, lstrip: a.lstrip, rstrip: a.rstrip, normalized: a.normalized, special: a.special,
      })),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
      model: this.model.toJSON(),
    };
  }

  /**
   * Writes the tokenizer as a `tokenizer.json` file that Hugging Face tokenizers loads (atomically).
   * @param path - the file to write
   * @example
   * ```ts
   * declare const tokenizer: Tokenizer;
   * await tokenizer.save('out/tokenizer.json');
   * ```
   */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, JSON.stringify(this.toJSON()));
  }
}

/**
 * The `tokenizer.json` document, as Hugging Face writes it.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const json: TokenizerJSON = tokenizer.toJSON();
 * json.version; // '1.0'
 * ```
 */
export interface TokenizerJSON {
  /** Always "1.0". */
  readonly version: '1.0';
  /** Truncation settings, or null. */
  readonly truncation: Record<string, unknown> | null;
  /** Padding settings, or null. */
  readonly padding: Record<string, unknown> | null;
  /** Added tokens, by ascending id. */
  readonly added_tokens: readonly Record<string, unknown>[];
  /** The normalizer, or null. */
  readonly normalizer: ComponentJSON | null;
  /** The pre-tokenizer, or null. */
  readonly pre_tokenizer: ComponentJSON | null;
  /** The post-processor, or null. */
  readonly post_processor: ComponentJSON | null;
  /** The decoder, or null. */
  readonly decoder: ComponentJSON | null;
  /** The model. */
  readonly model: ComponentJSON;
}
