import { ConfigError } from '../utils/errors.js';
import type { AddedToken } from './added-vocabulary.js';
import { bertNormalizer } from './bert-normalizer.js';
import { bertPreTokenizer } from './bert-pre-tokenizer.js';
import { bertProcessing } from './post-processors.js';
import { Tokenizer } from './tokenizer.js';
import { WordPiece } from './word-piece.js';
import { wordPieceDecoder } from './word-piece-decoder.js';

/**
 * Reads a BERT `vocab.txt`: one token per line, its id the line's index (trailing whitespace and
 * a final newline ignored, as Hugging Face's `WordPiece.read_file`).
 * @param text - the file's contents
 * @param source - the file name, for error messages
 * @throws ConfigError naming the file and line of an empty or repeated token
 * @example
 * ```ts
 * readBertVocab('[PAD]\n[UNK]\nthe\n##s\n').get('the'); // 2
 * ```
 */
export function readBertVocab(text: string, source = 'vocab.txt'): Map<string, number> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const vocab = new Map<string, number>();
  lines.forEach((line, index) => {
    const token = line.trimEnd();
    if (token.length === 0) throw new ConfigError(`${source}: line ${index + 1} is empty (one token per line expected)`);
    const first = vocab.get(token);
    if (first !== undefined) throw new ConfigError(`${source}: line ${index + 1} repeats ${JSON.stringify(token)} (first on line ${first + 1})`);
    vocab.set(token, index);
  });
  if (vocab.size === 0) throw new ConfigError(`${source}: holds no tokens`);
  return vocab;
}

/** The `tokenizer_config.json` keys that shape a BERT pipeline, with their defaults. */
const CONFIG_DEFAULTS = {
  do_lower_case: true, tokenize_chinese_chars: true, strip_accents: null as boolean | null,
  unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]',
};
type BertConfig = typeof CONFIG_DEFAULTS;
const TOKEN_KEYS = ['pad_token', 'unk_token', 'cls_token', 'sep_token', 'mask_token'] as const;

/** Reads the keys of {@link CONFIG_DEFAULTS} from `tokenizer_config.json`, checking their types. */
function readBertConfig(configJSON: string | null, source: string): BertConfig {
  if (configJSON === null) return CONFIG_DEFAULTS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(configJSON);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${source}: must be an object, got ${JSON.stringify(parsed)?.slice(0, 60)}`);
  const o = parsed as Record<string, unknown>;
  const flag = (key: 'do_lower_case' | 'tokenize_chinese_chars'): boolean => {
    const value = o[key] ?? CONFIG_DEFAULTS[key];
    if (typeof value !== 'boolean') throw new ConfigError(`${source}: ${key} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  };
  const stripAccents = o['strip_accents'] ?? null;
  if (stripAccents !== null && typeof stripAccents !== 'boolean') throw new ConfigError(`${source}: strip_accents must be true, false or null, got ${JSON.stringify(stripAccents)}`);
  const token = (key: (typeof TOKEN_KEYS)[number]): string => {
    const value = o[key] ?? CONFIG_DEFAULTS[key];
    const content = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['content'] : value;
    if (typeof content !== 'string') throw new ConfigError(`${source}: ${key} must be a string or {"content": string}, got ${JSON.stringify(value)}`);
    return content;
  };
  return {
    do_lower_case: flag('do_lower_case'), tokenize_chinese_chars: flag('tokenize_chinese_chars'), strip_accents: stripAccents,
    ...Object.fromEntries(TOKEN_KEYS.map((key) => [key, token(key)])) as Pick<BertConfig, (typeof TOKEN_KEYS)[number]>,
  };
}

/**
 * A BERT tokenizer from `vocab.txt` and the optional `tokenizer_config.json`, built as Hugging
 * Face's `BertTokenizerFast` conversion builds it: {@link bertNormalizer} (`do_lower_case`,
 * `strip_accents`, `tokenize_chinese_chars`), {@link bertPreTokenizer}, {@link WordPiece} with `##`
 * and `unk_token`, `[CLS] A [SEP] (B [SEP])` with type ids 0/1, the WordPiece decoder, and the
 * special tokens (`pad_token`, `unk_token`, `cls_token`, `sep_token`, `mask_token`) as special added
 * tokens. Other config keys (`model_max_length`, `tokenizer_class`...) do not change encoding.
 * (https://huggingface.co/docs/transformers/model_doc/bert#transformers.BertTokenizerFast)
 * @param vocabText - contents of `vocab.txt`
 * @param configJSON - contents of `tokenizer_config.json`, or null for bert-base-uncased defaults
 * @param sources - file names for error messages
 * @throws ConfigError naming the file and line or key when either is malformed, or when
 *   `cls_token`, `sep_token` or `unk_token` is missing from the vocabulary
 * @example
 * ```ts
 * declare const vocabText: string; // the text of a vocab.txt holding 'hello' and '!'
 * const tokenizer = bertTokenizer(vocabText, '{"do_lower_case": true}');
 * tokenizer.encode('Hello!').tokens; // ['[CLS]', 'hello', '!', '[SEP]']
 * ```
 */
export function bertTokenizer(vocabText: string, configJSON: string | null = null, sources = { vocab: 'vocab.txt', config: 'tokenizer_config.json' }): Tokenizer {
  const vocab = readBertVocab(vocabText, sources.vocab);
  const config = readBertConfig(configJSON, sources.config);
  const idOf = (key: 'cls_token' | 'sep_token' | 'unk_token'): [string, number] => {
    const id = vocab.get(config[key]);
    if (id === undefined) throw new ConfigError(`${sources.vocab}: ${key} ${JSON.stringify(config[key])} (from ${configJSON === null ? 'the defaults' : sources.config}) is not in the vocabulary`);
    return [config[key], id];
  };
  idOf('unk_token');
  const [cls, sep] = [idOf('cls_token'), idOf('sep_token')];
  const addedTokens: AddedToken[] = TOKEN_KEYS.map((key) => config[key]).flatMap((content) => {
    const id = vocab.get(content);
    return id === undefined ? [] : [{ id, content, special: true, normalized: false, lstrip: false, rstrip: false, singleWord: false }];
  }).sort((a, b) => a.id - b.id);
  return new Tokenizer({
    model: new WordPiece({ vocab, unkToken: config.unk_token }),
    normalizer: bertNormalizer({ lowercase: config.do_lower_case, stripAccents: config.strip_accents, handleChineseChars: config.tokenize_chinese_chars }),
    preTokenizer: bertPreTokenizer(),
    postProcessor: bertProcessing(sep, cls),
    decoder: wordPieceDecoder(),
    addedTokens: addedTokens.filter((t, i) => addedTokens.findIndex((u) => u.id === t.id) === i),
  });
}
