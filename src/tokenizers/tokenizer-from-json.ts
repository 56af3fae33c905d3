import { ConfigError } from '../utils/errors.js';
import type { AddedToken } from './added-vocabulary.js';
import { BPE } from './bpe.js';
import { bertNormalizer } from './bert-normalizer.js';
import { bertPreTokenizer } from './bert-pre-tokenizer.js';
import { digitsPreTokenizer } from './digits-pre-tokenizer.js';
import { punctuationPreTokenizer } from './punctuation-pre-tokenizer.js';
import { SPLIT_DELIMITER_BEHAVIORS, type SplitDelimiterBehavior } from './split-delimiter-behavior.js';
import { stripAccents } from './strip-accents.js';
import { WordPiece } from './word-piece.js';
import { wordPieceDecoder } from './word-piece-decoder.js';
import { byteLevelDecoder, byteLevelPreTokenizer, byteLevelProcessor, type ByteLevelOptions } from './byte-level.js';
import type { Decoder, Model, Normalizer, PostProcessor, PreTokenizer } from './components.js';
import { bpeDecoder, fuseDecoder, sequenceDecoder } from './decoders.js';
import { lowercase, sequenceNormalizer, unicodeNormalizer } from './normalizers.js';
import { bertProcessing, robertaProcessing, templateProcessing, type TemplateOptions } from './post-processors.js';
import { sequencePreTokenizer, whitespace, whitespaceSplit } from './pre-tokenizers.js';
import type { TruncationOptions } from './encoding.js';
import type { PaddingOptions } from './padding.js';
import { Tokenizer } from './tokenizer.js';
import { readMetaspacePreTokenizer, readPattern, readSentencePieceDecoder, readSentencePieceNormalizer, readUnigram } from './sentencepiece-json.js';
import { sequenceProcessor } from './sequence-processor.js';
import { splitPreTokenizer } from './split-pre-tokenizer.js';

type JSONObject = Readonly<Record<string, unknown>>;

/**
 * Reads typed fields of a `tokenizer.json`, failing with the file and the field's path.
 * @example
 * ```ts
 * new FieldReader('tokenizer.json').integer(3, 'model.unk_id'); // 3
 * ```
 */
export class FieldReader {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): ConfigError {
    return new ConfigError(`${this.source}: ${path} ${problem}`);
  }

  object(value: unknown, path: string): JSONObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.fail(path, `must be an object, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return value as JSONObject;
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (!Array.isArray(value)) throw this.fail(path, `must be an array, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') throw this.fail(path, `must be a string, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return value;
  }

  nullableString(value: unknown, path: string): string | null {
    return value === null || value === undefined ? null : this.string(value, path);
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw this.fail(path, `must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  integer(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw this.fail(path, `must be a non-negative integer, got ${JSON.stringify(value)}`);
    return value;
  }

  /** The component's `type`, or `unsupported` naming it. */
  type(value: JSONObject, path: string): string {
    return this.string(value['type'], `${path}.type`);
  }

  unsupported(path: string, type: string): ConfigError {
    return this.fail(`${path}.type`, `${JSON.stringify(type)} is not supported yet`);
  }
}

function byteLevelOptions(r: FieldReader, o: JSONObject, path: string): ByteLevelOptions {
  return {
    addPrefixSpace: r.boolean(o['add_prefix_space'], `${path}.add_prefix_space`, false),
    trimOffsets: r.boolean(o['trim_offsets'], `${path}.trim_offsets`, true),
    useRegex: r.boolean(o['use_regex'], `${path}.use_regex`, true),
  };
}

function readNormalizer(r: FieldReader, value: unknown, path: string): Normalizer {
  const o = r.object(value, path);
  const type = r.type(o, path);
  switch (type) {
    case 'NFC': case 'NFD': case 'NFKC': case 'NFKD': return unicodeNormalizer(type);
    case 'Lowercase': return lowercase();
    case 'StripAccents': return stripAccents();
    case 'Precompiled': case 'Replace': case 'Prepend': case 'Strip': return readSentencePieceNormalizer(r, { ...o, type }, path);
    case 'BertNormalizer': {
      const stripAccents = o['strip_accents'];
      return bertNormalizer({
        cleanText: r.boolean(o['clean_text'], `${path}.clean_text`, true), handleChineseChars: r.boolean(o['handle_chinese_chars'], `${path}.handle_chinese_chars`, true),
        stripAccents: stripAccents === null || stripAccents === undefined ? null : r.boolean(stripAccents, `${path}.strip_accents`, false),
        lowercase: r.boolean(o['lowercase'], `${path}.lowercase`, true),
      });
    }
    case 'Sequence':
      return sequenceNormalizer(r.array(o['normalizers'], `${path}.normalizers`).map((n, i) => readNormalizer(r, n, `${path}.normalizers[${i}]`)));
    default: throw r.unsupported(path, type);
  }
}

function readBehavior(r: FieldReader, o: Record<string, unknown>, path: string): SplitDelimiterBehavior {
  const behavior = r.string(o['behavior'] ?? 'Isolated', `${path}.behavior`);
  if (!SPLIT_DELIMITER_BEHAVIORS.includes(behavior as SplitDelimiterBehavior)) throw r.fail(`${path}.behavior`, `must be one of ${SPLIT_DELIMITER_BEHAVIORS.join(', ')}, got ${JSON.stringify(behavior)}`);
  return behavior as SplitDelimiterBehavior;
}

function readPreTokenizer(r: FieldReader, value: unknown, path: string): PreTokenizer {
  const o = r.object(value, path);
  const type = r.type(o, path);
  switch (type) {
    case 'ByteLevel': return byteLevelPreTokenizer(byteLevelOptions(r, o, path));
    case 'Whitespace': return whitespace();
    case 'WhitespaceSplit': return whitespaceSplit();
    case 'BertPreTokenizer': return bertPreTokenizer();
    case 'Punctuation': return punctuationPreTokenizer(readBehavior(r, o, path));
    case 'Split': {
      const options = { pattern: readPattern(r, o['pattern'], `${path}.pattern`), behavior: readBehavior(r, o, path), invert: r.boolean(o['invert'], `${path}.invert`, false) };
      try {
        return splitPreTokenizer(options);
      } catch (error) {
        throw error instanceof ConfigError ? r.fail(`${path}.pattern`, error.message) : error;
      }
    }
    case 'Digits': return digitsPreTokenizer(r.boolean(o['individual_digits'], `${path}.individual_digits`, false));
    case 'Metaspace': return readMetaspacePreTokenizer(r, { ...o, type }, path);
    case 'Sequence':
      return sequencePreTokenizer(r.array(o['pretokenizers'], `${path}.pretokenizers`).map((p, i) => readPreTokenizer(r, p, `${path}.pretokenizers[${i}]`)));
    default: throw r.unsupported(path, type);
  }
}

function readTokenAndId(r: FieldReader, value: unknown, path: string): [string, number] {
  const pair = r.array(value, path);
  if (pair.length !== 2) throw r.fail(path, `must be [token, id], got ${JSON.stringify(pair)}`);
  return [r.string(pair[0], `${path}[0]`), r.integer(pair[1], `${path}[1]`)];
}

function readTemplate(r: FieldReader, o: JSONObject, path: string): TemplateOptions {
  const pieces = (key: 'single' | 'pair'): TemplateOptions['single'] =>
    r.array(o[key], `${path}.${key}`).map((p, i) => {
      const piece = r.object(p, `${path}.${key}[${i}]`);
      const [kind] = Object.keys(piece);
      const body = r.object(piece[kind ?? ''], `${path}.${key}[${i}].${kind}`);
      const typeId = r.integer(body['type_id'], `${path}.${key}[${i}].${kind}.type_id`);
      const id = r.string(body['id'], `${path}.${key}[${i}].${kind}.id`);
      if (kind === 'SpecialToken') return { SpecialToken: { id, type_id: typeId } };
      if (kind === 'Sequence' && (id === 'A' || id === 'B')) return { Sequence: { id, type_id: typeId } };
      throw r.fail(`${path}.${key}[${i}]`, `must be {"Sequence":{"id":"A"|"B",...}} or {"SpecialToken":{...}}, got ${JSON.stringify(piece)}`);
    });
  const specials = r.object(o['special_tokens'], `${path}.special_tokens`);
  const special_tokens = Object.fromEntries(Object.entries(specials).map(([name, v]) => {
    const p = `${path}.special_tokens[${JSON.stringify(name)}]`;
    const t = r.object(v, p);
    return [name, {
      id: r.string(t['id'], `${p}.id`),
      ids: r.array(t['ids'], `${p}.ids`).map((id, i) => r.integer(id, `${p}.ids[${i}]`)),
      tokens: r.array(t['tokens'], `${p}.tokens`).map((s, i) => r.string(s, `${p}.tokens[${i}]`)),
    }];
  }));
  return { single: pieces('single'), pair: pieces('pair'), special_tokens };
}

function readPostProcessor(r: FieldReader, value: unknown, path: string): PostProcessor {
  const o = r.object(value, path);
  const type = r.type(o, path);
  switch (type) {
    case 'ByteLevel': return byteLevelProcessor(byteLevelOptions(r, o, path));
    case 'RobertaProcessing':
      return robertaProcessing({
        sep: readTokenAndId(r, o['sep'], `${path}.sep`), cls: readTokenAndId(r, o['cls'], `${path}.cls`),
        trimOffsets: r.boolean(o['trim_offsets'], `${path}.trim_offsets`, true),
        addPrefixSpace: r.boolean(o['add_prefix_space'], `${path}.add_prefix_space`, true),
      });
    case 'BertProcessing': return bertProcessing(readTokenAndId(r, o['sep'], `${path}.sep`), readTokenAndId(r, o['cls'], `${path}.cls`));
    case 'TemplateProcessing': {
      const options = readTemplate(r, o, path);
      try {
        return templateProcessing(options);
      } catch (error) {
        throw error instanceof ConfigError ? r.fail(path, error.message) : error;
      }
    }
    case 'Sequence': {
      const processors = r.array(o['processors'], `${path}.processors`).map((p, i) => readPostProcessor(r, p, `${path}.processors[${i}]`));
      try {
        return sequenceProcessor(processors);
      } catch (error) {
        throw error instanceof ConfigError ? r.fail(path, error.message) : error;
      }
    }
    default: throw r.unsupported(path, type);
  }
}

function readDecoder(r: FieldReader, value: unknown, path: string): Decoder {
  const o = r.object(value, path);
  const type = r.type(o, path);
  switch (type) {
    case 'ByteLevel': return byteLevelDecoder(byteLevelOptions(r, o, path));
    case 'BPEDecoder': return bpeDecoder(r.nullableString(o['suffix'], `${path}.suffix`) ?? '</w>');
    case 'Fuse': return fuseDecoder();
    case 'Metaspace': case 'ByteFallback': case 'Replace': case 'Strip': return readSentencePieceDecoder(r, { ...o, type }, path);
    case 'WordPiece': return wordPieceDecoder(r.nullableString(o['prefix'], `${path}.prefix`) ?? '##', r.boolean(o['cleanup'], `${path}.cleanup`, true));
    case 'Sequence':
      return sequenceDecoder(r.array(o['decoders'], `${path}.decoders`).map((d, i) => readDecoder(r, d, `${path}.decoders[${i}]`)));
    default: throw r.unsupported(path, type);
  }
}

/**
 * Reads BPE merges in either form Hugging Face writes: `["a", "b"]` pairs or `"a b"` strings.
 * @param entries - the merges
 * @param source - the file they come from, for error messages
 * @param field - their path in the file, for error messages
 * @throws ConfigError naming the source and the merge when one is malformed
 * @example
 * ```ts
 * readMerges(['a b', ['ab', 'c']], 'merges.txt'); // [['a', 'b'], ['ab', 'c']]
 * ```
 */
export function readMerges(entries: readonly unknown[], source: string, field = 'merges'): [string, string][] {
  return entries.map((entry, i) => {
    const parts = typeof entry === 'string' ? entry.split(' ') : entry;
    if (!Array.isArray(parts) || parts.length !== 2 || parts.some((p) => typeof p !== 'string')) {
      throw new ConfigError(`${source}: ${field}[${i}] must be two tokens ("a b" or ["a", "b"]), got ${JSON.stringify(entry)}`);
    }
    return [parts[0] as string, parts[1] as string];
  });
}

function readVocab(r: FieldReader, o: JSONObject, path: string): Map<string, number> {
  const vocabObject = r.object(o['vocab'], `${path}.vocab`);
  return new Map(Object.entries(vocabObject).map(([token, id]) => [token, r.integer(id, `${path}.vocab[${JSON.stringify(token)}]`)] as const));
}

function readWordPiece(r: FieldReader, o: JSONObject, path: string): WordPiece {
  return new WordPiece({
    vocab: readVocab(r, o, path), unkToken: r.nullableString(o['unk_token'], `${path}.unk_token`) ?? '[UNK]',
    continuingSubwordPrefix: r.nullableString(o['continuing_subword_prefix'], `${path}.continuing_subword_prefix`) ?? '##',
    maxInputCharsPerWord: r.integer(o['max_input_chars_per_word'] ?? 100, `${path}.max_input_chars_per_word`),
  });
}

function readModel(r: FieldReader, value: unknown, path: string, source: string): Model {
  const o = r.object(value, path);
  const type = o['type'] === undefined && o['merges'] !== undefined ? 'BPE' : r.type(o, path);
  if (type === 'WordPiece') return readWordPiece(r, o, path);
  if (type === 'Unigram') return readUnigram(r, { ...o, type }, path);
  if (type !== 'BPE') throw r.unsupported(path, type);
  const dropout = o['dropout'] ?? null;
  if (dropout !== null && !(typeof dropout === 'number' && dropout >= 0 && dropout <= 1)) throw r.fail(`${path}.dropout`, `must be null or a probability in [0, 1], got ${JSON.stringify(dropout)}`);
  const vocab = readVocab(r, o, path);
  const merges = readMerges(r.array(o['merges'], `${path}.merges`), source, `${path}.merges`);
  try {
    return new BPE({
      vocab, merges,
      unkToken: r.nullableString(o['unk_token'], `${path}.unk_token`),
      continuingSubwordPrefix: r.nullableString(o['continuing_subword_prefix'], `${path}.continuing_subword_prefix`),
      endOfWordSuffix: r.nullableString(o['end_of_word_suffix'], `${path}.end_of_word_suffix`),
      fuseUnk: r.boolean(o['fuse_unk'], `${path}.fuse_unk`, false),
      byteFallback: r.boolean(o['byte_fallback'], `${path}.byte_fallback`, false),
      ignoreMerges: r.boolean(o['ignore_merges'], `${path}.ignore_merges`, false),
      dropout,
    });
  } catch (error) {
    throw error instanceof ConfigError ? r.fail(path, error.message) : error;
  }
}

function readAddedToken(r: FieldReader, value: unknown, path: string): AddedToken {
  const o = r.object(value, path);
  const special = r.boolean(o['special'], `${path}.special`, false);
  return {
    id: r.integer(o['id'], `${path}.id`), content: r.string(o['content'], `${path}.content`), special,
    normalized: r.boolean(o['normalized'], `${path}.normalized`, !special), lstrip: r.boolean(o['lstrip'], `${path}.lstrip`, false),
    rstrip: r.boolean(o['rstrip'], `${path}.rstrip`, false), singleWord: r.boolean(o['single_word'], `${path}.single_word`, false),
  };
}

const SIDES: Record<string, 'left' | 'right'> = { Left: 'left', Right: 'right' };
const STRATEGIES: Record<string, TruncationOptions['strategy']> = { LongestFirst: 'longest_first', OnlyFirst: 'only_first', OnlySecond: 'only_second' };

function readSide(r: FieldReader, value: unknown, path: string): 'left' | 'right' {
  const side = SIDES[value === undefined ? 'Right' : r.string(value, path)];
  if (side === undefined) throw r.fail(path, `must be "Left" or "Right", got ${JSON.stringify(value)}`);
  return side;
}

function readTruncation(r: FieldReader, value: unknown, path: string): TruncationOptions {
  const o = r.object(value, path);
  const strategy = STRATEGIES[r.string(o['strategy'], `${path}.strategy`)];
  if (strategy === undefined) throw r.fail(`${path}.strategy`, `must be LongestFirst, OnlyFirst or OnlySecond, got ${JSON.stringify(o['strategy'])}`);
  const stride = r.integer(o['stride'] ?? 0, `${path}.stride`);
  return { maxLength: r.integer(o['max_length'], `${path}.max_length`), strategy, direction: readSide(r, o['direction'], `${path}.direction`), stride };
}

function readPadding(r: FieldReader, value: unknown, path: string): PaddingOptions {
  const o = r.object(value, path);
  const s = o['strategy'];
  const length = s === 'BatchLongest' ? 'longest' : r.integer(r.object(s, `${path}.strategy`)['Fixed'], `${path}.strategy.Fixed`);
  const multiple = o['pad_to_multiple_of'];
  return {
    length, direction: readSide(r, o['direction'], `${path}.direction`),
    padToMultipleOf: multiple === null || multiple === undefined ? null : r.integer(multiple, `${path}.pad_to_multiple_of`),
    padId: r.integer(o['pad_id'] ?? 0, `${path}.pad_id`), padTypeId: r.integer(o['pad_type_id'] ?? 0, `${path}.pad_type_id`),
    padToken: r.string(o['pad_token'] ?? '[PAD]', `${path}.pad_token`),
  };
}

/**
 * Builds a {@link Tokenizer} from a parsed Hugging Face `tokenizer.json`. A component type not
 * implemented yet raises a ConfigError naming it; nothing is silently ignored.
 * @param json - the parsed document
 * @param source - the file name (or another label) used in error messages
 * @throws ConfigError naming `source` and the offending field
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const tokenizer = tokenizerFromJSON(JSON.parse(await readFile('tokenizer.json', 'utf8')), 'tokenizer.json');
 * ```
 */
export function tokenizerFromJSON(json: unknown, source = 'tokenizer.json'): Tokenizer {
  const r = new FieldReader(source);
  const o = r.object(json, '(root)');
  if (o['version'] !== '1.0') throw r.fail('version', `must be "1.0", got ${JSON.stringify(o['version'])}`);
  const normalizer = o['normalizer'] == null ? null : readNormalizer(r, o['normalizer'], 'normalizer');
  return new Tokenizer({
    model: readModel(r, o['model'], 'model', source),
    normalizer,
    preTokenizer: o['pre_tokenizer'] == null ? null : readPreTokenizer(r, o['pre_tokenizer'], 'pre_tokenizer'),
    postProcessor: o['post_processor'] == null ? null : readPostProcessor(r, o['post_processor'], 'post_processor'),
    decoder: o['decoder'] == null ? null : readDecoder(r, o['decoder'], 'decoder'),
    addedTokens: r.array(o['added_tokens'] ?? [], 'added_tokens').map((t, i) => readAddedToken(r, t, `added_tokens[${i}]`)),
    truncation: o['truncation'] == null ? null : readTruncation(r, o['truncation'], 'truncation'),
    padding: o['padding'] == null ? null : readPadding(r, o['padding'], 'padding'),
  });
}
