import { ConfigError, VocabularyError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { describeJSON } from '../utils/json-safety.js';

/**
 * Options of {@link CharTokenizer.fromText}.
 * @example
 * ```ts
 * const opts: CharTokenizerOptions = { specialTokens: ['<|endoftext|>'], unknownToken: '<unk>' };
 * ```
 */
export interface CharTokenizerOptions {
  /** Multi-character symbols given single ids, first in the vocabulary, e.g. `'<|endoftext|>'`. */
  readonly specialTokens?: readonly string[];
  /**
   * Symbol that characters outside the vocabulary encode to; added to the special tokens if
   * absent. Without it, encoding an unknown character throws.
   */
  readonly unknownToken?: string;
}

/**
 * The saved form of a {@link CharTokenizer} (`tokenizer.json` beside a model).
 * @example
 * ```ts
 * const saved: CharTokenizerJSON = { type: 'CharTokenizer', version: 1, vocab: ['<pad>', 'a'], specialTokens: ['<pad>'], unknownToken: null };
 * ```
 */
export interface CharTokenizerJSON {
  /** Identifies the format. */
  readonly type: 'CharTokenizer';
  /** Format version; loading rejects versions it does not know. */
  readonly version: 1;
  /** Every token; a token's id is its index. The special tokens come first. */
  readonly vocab: readonly string[];
  /** Tokens matched as a whole in text, never split into characters. */
  readonly specialTokens: readonly string[];
  /** Token that stands for characters outside the vocabulary, or null to reject them. */
  readonly unknownToken: string | null;
}

const FORMAT_VERSION = 1;

/** `'x' (U+0078)`: a character as an error message shows it. */
function describeChar(char: string): string {
  return `${JSON.stringify(char)} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** A regex matching any special token, longest first so `<pad>` never shadows `<pad2>`. */
function specialsPattern(specials: readonly string[]): RegExp | undefined {
  if (specials.length === 0) return undefined;
  const escaped = [...specials].sort((a, b) => b.length - a.length).map((s) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
  return new RegExp(escaped.join('|'), 'gu');
}

/**
 * Calls `visit` for each symbol of `text` in order: each literal occurrence of a special token,
 * and each code point elsewhere (astral characters such as emoji whole; a lone surrogate alone).
 * `index` is the symbol's UTF-16 offset in `text`.
 */
function forEachSymbol(text: string, pattern: RegExp | undefined,
  visit: (symbol: string, index: number, special: boolean) => void): void {
  const visitChars = (end: number, start: number): void => {
    for (let i = start; i < end;) {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      visit(char, i, false);
      i += char.length;
    }
  };
  let position = 0;
  for (const match of pattern ? text.matchAll(pattern) : []) {
    visitChars(match.index!, position);
    visit(match[0], match.index!, true);
    position = match.index! + match[0].length;
  }
  visitChars(text.length, position);
}

/**
 * Character-level tokenizer over Unicode code points: every character is one token, so CJK
 * characters and astral symbols such as emoji are single tokens and surrogate pairs are never
 * split. Special tokens (`<|endoftext|>`, `<pad>`) are matched as whole symbols wherever they
 * appear in the text. The vocabulary is deterministic: the special tokens in the order given, then
 * the characters of the training text in ascending code point order. The char-rnn / nanoGPT
 * "shakespeare_char" scheme (https://github.com/karpathy/nanoGPT).
 *
 * @example
 * ```ts
 * const tok = CharTokenizer.fromText('床前明月光，疑是地上霜。', { specialTokens: ['<|endoftext|>'] });
 * const ids = tok.encode('明月<|endoftext|>'); // [id of 明, id of 月, 0]
 * tok.decode(ids); // '明月<|endoftext|>'
 * const copy = CharTokenizer.fromJSON(JSON.stringify(tok));
 * ```
 */
export class CharTokenizer {
  private readonly vocab: readonly string[];
  private readonly specials: readonly string[];
  private readonly unknown: string | undefined;
  private readonly ids: ReadonlyMap<string, number>;
  private readonly pattern: RegExp | undefined;

  private constructor(vocab: readonly string[], specials: readonly string[], unknown: string | undefined) {
    const seen = new Set<string>();
    for (const special of specials) {
      assert(typeof special === 'string' && special.length > 0, ConfigError,
        () => `special tokens must be non-empty strings, got ${describeJSON(special)}`);
      assert(!seen.has(special), ConfigError, () => `special token ${describeJSON(special)} is listed twice`);
      seen.add(special);
    }
    assert(unknown === undefined || seen.has(unknown), ConfigError,
      () => `unknownToken ${describeJSON(unknown)} is not among the special tokens [${specials.map((s) => describeJSON(s)).join(', ')}]`);
    assert(vocab.length > 0, ConfigError, () => 'the vocabulary is empty: give a non-empty text or special tokens');
    vocab.forEach((token, id) => {
      if (id < specials.length) {
        assert(token === specials[id], VocabularyError,
          () => `vocabulary entry ${id} is ${describeJSON(token)} but special token ${id} is ${describeJSON(specials[id])}`);
        return;
      }
      assert(typeof token === 'string' && [...token].length === 1 && !/\p{Cs}/u.test(token), VocabularyError,
        () => `vocabulary entry ${id} (${describeJSON(token)}) must be a single character`);
      assert(!seen.has(token), VocabularyError,
        () => `vocabulary entry ${id} (${describeJSON(token)}) repeats a special token`);
      const previous = vocab[id - 1]!;
      assert(id === specials.length || token.codePointAt(0)! > previous.codePointAt(0)!, VocabularyError,
        () => `vocabulary characters must be unique and in ascending code point order: entry ${id} ${describeChar(token)} follows ${describeChar(previous)}`);
    });
    this.vocab = Object.freeze([...vocab]);
    this.specials = Object.freeze([...specials]);
    this.unknown = unknown;
    this.ids = new Map(vocab.map((token, id) => [token, id]));
    this.pattern = specialsPattern(specials);
  }

  /**
   * Builds the vocabulary from every character of `text` (special tokens in it count as themselves).
   * @param text - the training text
   * @param opts - special tokens and the unknown token
   * @throws ConfigError for empty or repeated special tokens or an empty vocabulary;
   *   VocabularyError when `text` holds a lone UTF-16 surrogate (not a character)
   * @example
   * ```ts
   * const tok = CharTokenizer.fromText('hello', { specialTokens: ['<pad>'], unknownToken: '<unk>' });
   * tok.vocabSize; // 6: <pad>, <unk>, e, h, l, o
   * ```
   */
  static fromText(text: string, opts: CharTokenizerOptions = {}): CharTokenizer {
    const { specialTokens = [], unknownToken } = opts;
    const specials = unknownToken === undefined || specialTokens.includes(unknownToken)
      ? [...specialTokens] : [...specialTokens, unknownToken];
    const chars = new Set<string>();
    forEachSymbol(text, specialsPattern(specials), (symbol, index, special) => {
      if (special) return;
      assert(!/\p{Cs}/u.test(symbol), VocabularyError,
        () => `text holds a lone UTF-16 surrogate ${describeChar(symbol)} at index ${index}, which is not a character`);
      chars.add(symbol);
    });
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer([...specials, ...sorted], specials, unknownToken);
  }

  /**
   * Restores a tokenizer saved with {@link CharTokenizer.toJSON}, validating every field.
   * @param json - the saved object, or its JSON text
   * @throws ConfigError for malformed JSON, a wrong type, an unsupported version or missing fields;
   *   VocabularyError for an inconsistent vocabulary
   * @example
   * ```ts
   * import { readFile } from 'node:fs/promises';
   * const tok = CharTokenizer.fromJSON(JSON.parse(await readFile('run/tokenizer.json', 'utf8')));
   * ```
   */
  static fromJSON(json: unknown): CharTokenizer {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new ConfigError(`CharTokenizer JSON does not parse: ${(error as Error).message}`);
      }
    }
    assert(typeof value === 'object' && value !== null && !Array.isArray(value), ConfigError,
      () => `CharTokenizer JSON must be an object, got ${describeJSON(value)}`);
    const { type, version, vocab, specialTokens, unknownToken } = value as Record<string, unknown>;
    assert(type === 'CharTokenizer', ConfigError, () => `expected type "CharTokenizer", got ${describeJSON(type)}`);
    assert(version === FORMAT_VERSION, ConfigError,
      () => `unsupported CharTokenizer version ${describeJSON(version)} (supported: ${FORMAT_VERSION})`);
    const isStrings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
    assert(isStrings(vocab), ConfigError, () => 'CharTokenizer JSON field "vocab" must be an array of strings');
    assert(isStrings(specialTokens), ConfigError, () => 'CharTokenizer JSON field "specialTokens" must be an array of strings');
    assert(unknownToken === null || typeof unknownToken === 'string', ConfigError,
      () => `CharTokenizer JSON field "unknownToken" must be a string or null, got ${JSON.stringify(unknownToken)}`);
    return new CharTokenizer(vocab, specialTokens, unknownToken ?? undefined);
  }

  /**
   * Number of tokens: special tokens plus characters (the model's embedding rows).
   * @example
   * ```ts
   * CharTokenizer.fromText('abca').vocabSize; // 3
   * ```
   */
  get vocabSize(): number {
    return this.vocab.length;
  }

  /**
   * Token ids of `text`: special tokens as single ids, every other character by code point.
   * @param text - any string
   * @throws VocabularyError naming the character and its UTF-16 index when a character is not in
   *   the vocabulary and no unknown token is configured
   * @example
   * ```ts
   * CharTokenizer.fromText('ab').encode('ba'); // [1, 0]
   * ```
   */
  encode(text: string): number[] {
    const ids: number[] = [];
    const unknownId = this.unknown === undefined ? undefined : this.ids.get(this.unknown);
    forEachSymbol(text, this.pattern, (symbol, index) => {
      const id = this.ids.get(symbol) ?? unknownId;
      assert(id !== undefined, VocabularyError,
        () => `character ${describeChar(symbol)} at index ${index} is not in the vocabulary (size ${this.vocab.length}) and no unknownToken is set`);
      ids.push(id);
    });
    return ids;
  }

  /**
   * The text of `ids`, special tokens written out literally unless `skipSpecialTokens` is set.
   * @param ids - token ids, e.g. a sampled sequence (an `Int32Array` works)
   * @param options - `skipSpecialTokens` leaves the special tokens out (as `Tokenizer.decode`)
   * @throws VocabularyError naming an id outside `[0, vocabSize)`
   * @example
   * ```ts
   * CharTokenizer.fromText('ab').decode([1, 0]); // 'ba'
   * CharTokenizer.fromText('ab', { specialTokens: ['</s>'] }).decode([1, 0], { skipSpecialTokens: true }); // 'a'
   * ```
   */
  decode(ids: ArrayLike<number>, options: { readonly skipSpecialTokens?: boolean } = {}): string {
    const skip = options.skipSpecialTokens === true;
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const token = this.idToToken(ids[i]!);
      if (!(skip && (ids[i] as number) < this.specials.length)) text += token;
    }
    return text;
  }

  /**
   * The token of one id.
   * @param id - an integer in `[0, vocabSize)`
   * @throws VocabularyError naming the id and the vocabulary size
   * @example
   * ```ts
   * CharTokenizer.fromText('ab', { specialTokens: ['<pad>'] }).idToToken(0); // '<pad>'
   * ```
   */
  idToToken(id: number): string {
    const token = Number.isInteger(id) ? this.vocab[id] : undefined;
    assert(token !== undefined, VocabularyError, () => `token id ${id} is outside the vocabulary (size ${this.vocab.length})`);
    return token;
  }

  /**
   * The id of one token (a special token or a single character).
   * @param token - the token
   * @throws VocabularyError when the token is not in the vocabulary
   * @example
   * ```ts
   * CharTokenizer.fromText('ab', { specialTokens: ['<pad>'] }).tokenToId('<pad>'); // 0
   * ```
   */
  tokenToId(token: string): number {
    const id = this.ids.get(token);
    assert(id !== undefined, VocabularyError,
      () => `token ${JSON.stringify(token)} is not in the vocabulary (size ${this.vocab.length})`);
    return id;
  }

  /**
   * The saved form: versioned, plain JSON, restored by {@link CharTokenizer.fromJSON}.
   * @example
   * ```ts
   * import { writeFile } from 'node:fs/promises';
   * const tok = CharTokenizer.fromText('hello world');
   * await writeFile('run/tokenizer.json', JSON.stringify(tok.toJSON()));
   * ```
   */
  toJSON(): CharTokenizerJSON {
    return {
      type: 'CharTokenizer',
      version: FORMAT_VERSION,
      vocab: [...this.vocab],
      specialTokens: [...this.specials],
      unknownToken: this.unknown ?? null,
    };
  }
}
