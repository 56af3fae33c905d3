import { ConfigError } from '../utils/errors.js';
import { byteFallbackDecoder } from './byte-fallback-decoder.js';
import type { ComponentJSON, Decoder, Normalizer, PreTokenizer } from './components.js';
import { metaspaceDecoder, metaspacePreTokenizer, type MetaspaceOptions, type PrependScheme } from './metaspace.js';
import { precompiledNormalizer } from './precompiled.js';
import { prependNormalizer } from './prepend-normalizer.js';
import { replaceDecoder, replaceNormalizer, type ReplacePattern } from './replace.js';
import { stripDecoder, stripNormalizer } from './strip.js';
import type { FieldReader } from './tokenizer-from-json.js';
import { Unigram } from './unigram.js';

const SCHEMES: readonly PrependScheme[] = ['always', 'first', 'never'];

/**
 * Reads a `{"String": ...}` or `{"Regex": ...}` pattern of `tokenizer.json`.
 * @throws ConfigError naming the field when it is neither
 * @example
 * ```ts
 * import { FieldReader } from './tokenizer-from-json.js';
 * readPattern(new FieldReader('tokenizer.json'), { Regex: '\\s+' }, 'pre_tokenizer.pattern'); // { regex: '\\s+' }
 * ```
 */
export function readPattern(r: FieldReader, value: unknown, path: string): ReplacePattern {
  const o = r.object(value, path);
  if (o['String'] !== undefined) return { string: r.string(o['String'], `${path}.String`) };
  if (o['Regex'] !== undefined) return { regex: r.string(o['Regex'], `${path}.Regex`) };
  throw r.fail(path, `must be {"String": ...} or {"Regex": ...}, got ${JSON.stringify(o).slice(0, 60)}`);
}

/** Builds a component, turning a ConfigError (a bad regex, a bad charsmap) into one naming the field. */
function built<T>(r: FieldReader, path: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SyntaxError) throw r.fail(path, error.message);
    throw error;
  }
}

function readMetaspace(r: FieldReader, o: ComponentJSON, path: string): MetaspaceOptions {
  const legacy = o['add_prefix_space'];
  const scheme = o['prepend_scheme'] ?? (legacy === undefined ? 'always' : r.boolean(legacy, `${path}.add_prefix_space`, true) ? 'always' : 'never');
  if (!SCHEMES.includes(scheme as PrependScheme)) throw r.fail(`${path}.prepend_scheme`, `must be "always", "first" or "never", got ${JSON.stringify(scheme)}`);
  const replacement = r.string(o['replacement'] ?? '▁', `${path}.replacement`);
  if ([...replacement].length !== 1) throw r.fail(`${path}.replacement`, `must be one character, got ${JSON.stringify(replacement)}`);
  return { replacement, prependScheme: scheme as PrependScheme, split: r.boolean(o['split'], `${path}.split`, true) };
}

/**
 * Reads the `tokenizer.json` normalizers SentencePiece pipelines use: `Precompiled`, `Replace`,
 * `Prepend` and `Strip`. (https://huggingface.co/docs/tokenizers/api/normalizers)
 * @param r - the reader of the file, which names it in errors
 * @param o - the normalizer's object
 * @param path - its path in the file
 * @throws ConfigError naming the file and field when a setting is malformed
 * @example
 * ```ts
 * import { FieldReader } from './tokenizer-from-json.js';
 * const reader = new FieldReader('tokenizer.json');
 * readSentencePieceNormalizer(reader, { type: 'Prepend', prepend: '▁' }, 'normalizer');
 * ```
 */
export function readSentencePieceNormalizer(r: FieldReader, o: ComponentJSON, path: string): Normalizer {
  switch (o.type) {
    case 'Precompiled': {
      const charsmap = Buffer.from(r.string(o['precompiled_charsmap'], `${path}.precompiled_charsmap`), 'base64');
      return built(r, `${path}.precompiled_charsmap`, () => precompiledNormalizer(charsmap));
    }
    case 'Replace':
      return built(r, `${path}.pattern`, () => replaceNormalizer(readPattern(r, o['pattern'], `${path}.pattern`), r.string(o['content'], `${path}.content`)));
    case 'Prepend': return prependNormalizer(r.string(o['prepend'], `${path}.prepend`));
    case 'Strip': return stripNormalizer(r.boolean(o['strip_left'], `${path}.strip_left`, true), r.boolean(o['strip_right'], `${path}.strip_right`, true));
    default: throw r.unsupported(path, o.type);
  }
}

/**
 * Reads the `Metaspace` pre-tokenizer, in its `prepend_scheme` or older `add_prefix_space` form.
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Metaspace)
 * @param r - the reader of the file
 * @param o - the pre-tokenizer's object
 * @param path - its path in the file
 * @throws ConfigError naming the file and field when a setting is malformed
 * @example
 * ```ts
 * import { FieldReader } from './tokenizer-from-json.js';
 * const reader = new FieldReader('tokenizer.json');
 * readMetaspacePreTokenizer(reader, { type: 'Metaspace', replacement: '▁', add_prefix_space: true }, 'pre_tokenizer');
 * ```
 */
export function readMetaspacePreTokenizer(r: FieldReader, o: ComponentJSON, path: string): PreTokenizer {
  return metaspacePreTokenizer(readMetaspace(r, o, path));
}

/**
 * Reads the `tokenizer.json` decoders SentencePiece pipelines use: `Metaspace`, `ByteFallback`,
 * `Replace` and `Strip`. (https://huggingface.co/docs/tokenizers/api/decoders)
 * @param r - the reader of the file
 * @param o - the decoder's object
 * @param path - its path in the file
 * @throws ConfigError naming the file and field when a setting is malformed
 * @example
 * ```ts
 * import { FieldReader } from './tokenizer-from-json.js';
 * const reader = new FieldReader('tokenizer.json');
 * readSentencePieceDecoder(reader, { type: 'ByteFallback' }, 'decoder');
 * ```
 */
export function readSentencePieceDecoder(r: FieldReader, o: ComponentJSON, path: string): Decoder {
  switch (o.type) {
    case 'Metaspace': return metaspaceDecoder(readMetaspace(r, o, path));
    case 'ByteFallback': return byteFallbackDecoder();
    case 'Replace':
      return built(r, `${path}.pattern`, () => replaceDecoder(readPattern(r, o['pattern'], `${path}.pattern`), r.string(o['content'], `${path}.content`)));
    case 'Strip': return stripDecoder(r.string(o['content'], `${path}.content`), r.integer(o['start'], `${path}.start`), r.integer(o['stop'], `${path}.stop`));
    default: throw r.unsupported(path, o.type);
  }
}

/**
 * Reads a `Unigram` model: `vocab` as `[piece, score]` pairs, `unk_id`, `byte_fallback`.
 * (https://huggingface.co/docs/tokenizers/api/models#tokenizers.models.Unigram)
 * @param r - the reader of the file
 * @param o - the model's object
 * @param path - its path in the file
 * @throws ConfigError naming the file and field when the vocabulary or unk_id is malformed
 * @example
 * ```ts
 * import { FieldReader } from './tokenizer-from-json.js';
 * const reader = new FieldReader('tokenizer.json');
 * readUnigram(reader, { type: 'Unigram', unk_id: 0, vocab: [['<unk>', 0], ['a', -1]] }, 'model');
 * ```
 */
export function readUnigram(r: FieldReader, o: ComponentJSON, path: string): Unigram {
  const vocab = r.array(o['vocab'], `${path}.vocab`).map((entry, i): [string, number] => {
    const pair = r.array(entry, `${path}.vocab[${i}]`);
    const score = pair[1];
    if (pair.length !== 2 || typeof score !== 'number' || !Number.isFinite(score)) throw r.fail(`${path}.vocab[${i}]`, `must be [piece, finite score], got ${JSON.stringify(entry)}`);
    return [r.string(pair[0], `${path}.vocab[${i}][0]`), score];
  });
  const unkId = o['unk_id'] == null ? null : r.integer(o['unk_id'], `${path}.unk_id`);
  return built(r, path, () => new Unigram({ vocab, unkId, byteFallback: r.boolean(o['byte_fallback'], `${path}.byte_fallback`, false) }));
}
