import { VocabularyError } from '../utils/errors.js';
import type { ComponentJSON, Model, ModelToken } from './components.js';

/**
 * Settings of a {@link WordPiece} model, as in Hugging Face's `WordPiece`.
 * @example
 * ```ts
 * const o: WordPieceOptions = { vocab: new Map([['[UNK]', 0], ['un', 1], ['##able', 2]]), unkToken: '[UNK]' };
 * ```
 */
export interface WordPieceOptions {
  /** Token string to id; pieces that continue a word carry `continuingSubwordPrefix`. */
  readonly vocab: ReadonlyMap<string, number>;
  /** Token that replaces a word that cannot be split into vocabulary pieces (default `'[UNK]'`). */
  readonly unkToken?: string;
  /** Prefix of every piece that does not start a word (default `'##'`). */
  readonly continuingSubwordPrefix?: string;
  /** Words of more code points than this become `unkToken` whole (default 100, as Hugging Face). */
  readonly maxInputCharsPerWord?: number;
}

/**
 * WordPiece (Wu et al. 2016, https://arxiv.org/abs/1609.08144), as BERT uses it: each word is split
 * greedily into the longest vocabulary piece from its start, then the longest `##`-prefixed piece
 * from where that one ends, and so on; a word with a part that matches no piece (or longer than
 * `maxInputCharsPerWord` code points) becomes one unknown token spanning the whole word, exactly
 * as Hugging Face's `WordPiece` model. (https://huggingface.co/docs/tokenizers/api/models#tokenizers.models.WordPiece)
 * @example
 * ```ts
 * const wp = new WordPiece({ vocab: new Map([['[UNK]', 0], ['un', 1], ['##aff', 2], ['##able', 3]]) });
 * wp.tokenize('unaffable').map((t) => t.value); // ['un', '##aff', '##able']
 * wp.tokenize('xyz').map((t) => t.value);       // ['[UNK]']
 * ```
 */
export class WordPiece implements Model {
  /** Settings as given, with defaults filled in. */
  readonly options: Required<WordPieceOptions>;
  private readonly vocabR = new Map<number, string>();
  /** Always true: the same word always gives the same tokens. */
  readonly deterministic = true;
  /** Longest vocabulary entry in UTF-16 units: no longer match needs to be tried. */
  private readonly longest: number;

  constructor(options: WordPieceOptions) {
    this.options = { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100, ...options };
    let longest = 0;
    for (const [token, id] of options.vocab) {
      this.vocabR.set(id, token);
      longest = Math.max(longest, token.length);
    }
    this.longest = longest;
  }

  /** Number of vocabulary entries. */
  get vocabSize(): number {
    return this.options.vocab.size;
  }

  /** Id of `token`, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.options.vocab.get(token);
  }

  /** Token string of `id`, or undefined. */
  idToToken(id: number): string | undefined {
    return this.vocabR.get(id);
  }

  /**
   * Tokens of one word, with offsets in UTF-16 units of the word.
   * @throws VocabularyError when the word needs the unknown token and the vocabulary lacks it
   */
  tokenize(word: string): ModelToken[] {
    if (word.length === 0) return [];
    const { vocab, continuingSubwordPrefix: prefix, maxInputCharsPerWord } = this.options;
    if (word.length > maxInputCharsPerWord && [...word].length > maxInputCharsPerWord) return [this.unknown(word)];
    const tokens: ModelToken[] = [];
    for (let start = 0; start < word.length; ) {
      let end = Math.min(word.length, start + this.longest);
      if (end < word.length && isLowSurrogate(word.charCodeAt(end)) && end - 1 > start) end--;
      let found: ModelToken | null = null;
      while (end > start) {
        const value = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
        const id = vocab.get(value);
        if (id !== undefined) {
          found = { id, value, start, end };
          break;
        }
        end -= end - 2 >= start && isLowSurrogate(word.charCodeAt(end - 1)) && isHighSurrogate(word.charCodeAt(end - 2)) ? 2 : 1;
      }
      if (found === null) return [this.unknown(word)];
      tokens.push(found);
      start = found.end;
    }
    return tokens;
  }

  /** The unknown token covering the whole word. */
  private unknown(word: string): ModelToken {
    const { unkToken } = this.options;
    const id = this.options.vocab.get(unkToken);
    if (id === undefined) throw new VocabularyError(`WordPiece unk_token ${JSON.stringify(unkToken)} is not in the vocabulary (needed for ${JSON.stringify(word.slice(0, 40))})`);
    return { id, value: unkToken, start: 0, end: word.length };
  }

  /** The model as `tokenizer.json` stores it (vocabulary ordered by id). */
  toJSON(): ComponentJSON {
    const o = this.options;
    return {
      type: 'WordPiece', unk_token: o.unkToken, continuing_subword_prefix: o.continuingSubwordPrefix,
      max_input_chars_per_word: o.maxInputCharsPerWord, vocab: Object.fromEntries([...o.vocab].sort((a, b) => a[1] - b[1])),
    };
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
