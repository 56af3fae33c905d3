import { open } from 'node:fs/promises';
import { assert } from '../../utils/assert.js';
import { writeFileAtomicWith } from '../../utils/atomic-write.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { TokenCacheError } from './pack-errors.js';

/** ASCII `WFTOKENS`: identifies a token cache file. */
const MAGIC = 'WFTOKENS';
const VERSION = 1;
/** Fixed header: magic, version, bytes per token, vocab size, reserved, documents (u64), tokens (u64). */
const HEADER_BYTES = 40;
/** Tokens buffered before each write. */
const CHUNK_TOKENS = 1 << 20;

/**
 * A token cache read back by {@link readTokenCache}: all tokens in one typed-array view over the
 * file's bytes, and the document boundaries.
 * @example
 * ```ts
 * const cache: TokenCache = await readTokenCache('train.tokens');
 * const first = cache.document(0);
 * ```
 */
export interface TokenCache {
  /** The file read. */
  readonly path: string;
  /** The vocabulary size the cache was written for; every token is below it. */
  readonly vocabSize: number;
  /** Storage type: uint16 when the vocabulary has fewer than 65,536 ids, else uint32. */
  readonly dtype: 'uint16' | 'uint32';
  /** Documents in the cache. */
  readonly documentCount: number;
  /** Every document's tokens, concatenated (a view, not a copy). */
  readonly tokens: Uint16Array | Uint32Array;
  /** Document `i` spans `tokens[offsets[i] .. offsets[i + 1])`; `documentCount + 1` entries. */
  readonly offsets: Float64Array;
  /** The tokens of document `index` (a view). */
  document(index: number): Uint16Array | Uint32Array;
}

/**
 * What {@link writeTokenCache} wrote.
 * @example
 * ```ts
 * declare const docs: Int32Array[];
 * const { documents, tokens, bytes }: TokenCacheSummary = await writeTokenCache('train.tokens', docs, { vocabSize: 512 });
 * ```
 */
export interface TokenCacheSummary {
  /** Documents written. */
  readonly documents: number;
  /** Tokens written. */
  readonly tokens: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
}

/** Index of the first id that is not an integer in `[0, vocabSize)`, or -1. */
function firstOutside(ids: ArrayLike<number>, vocabSize: number): number {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!(id >= 0 && id < vocabSize && Math.floor(id) === id)) return i;
  }
  return -1;
}

/** A growable list of document end offsets. */
class OffsetList {
  values = new Float64Array(1024);
  length = 1;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

/**
 * Writes tokenised documents to a compact binary cache for fast reloading: a 40-byte header
 * (`WFTOKENS`, version, bytes per token, vocabulary size, document and token counts), the tokens
 * as little-endian uint16 (vocabulary < 65,536) or uint32, then the document offsets as uint64.
 * The documents stream through a fixed buffer (memory holds the offsets, 8 bytes per document),
 * into a temporary file renamed over `path` at the end, so a crash never leaves a partial cache.
 * @param path - the cache file to create or replace
 * @param documents - token ids per document
 * @param options - `vocabSize`: every id must be below it; it picks the storage type
 * @throws RangeArgumentError naming the document and position of an id outside the vocabulary
 * @example
 * ```ts
 * declare const lines: string[], tokenizer: Tokenizer;
 * await writeTokenCache('train.tokens', tokenizeDocuments(lines, tokenizer, { eosId: 0 }), { vocabSize: tokenizer.vocabSize });
 * ```
 */
export async function writeTokenCache(path: string, documents: AsyncIterable<ArrayLike<number>> | Iterable<ArrayLike<number>>,
  options: { readonly vocabSize: number }): Promise<TokenCacheSummary> {
  const { vocabSize } = options;
  assert(Number.isInteger(vocabSize) && vocabSize > 0 && vocabSize <= 2 ** 32, RangeArgumentError,
    () => `vocabSize (${vocabSize}) must be an integer in [1, 2^32]`);
  const bytesPerToken = vocabSize <= 65536 ? 2 : 4;
  const chunk = bytesPerToken === 2 ? new Uint16Array(CHUNK_TOKENS) : new Uint32Array(CHUNK_TOKENS);
  const offsets = new OffsetList();
  let tokens = 0;
  let bytes = 0;
  await writeFileAtomicWith(path, async (handle) => {
    let position = HEADER_BYTES;
    let filled = 0;
    const flush = async (): Promise<void> => {
      await handle.write(new Uint8Array(chunk.buffer, 0, filled * bytesPerToken), 0, filled * bytesPerToken, position);
      position += filled * bytesPerToken;
      filled = 0;
    };
    for await (const document of documents) {
      const bad = firstOutside(document, vocabSize);
      if (bad >= 0) {
        throw new RangeArgumentError(`document ${offsets.length - 1} token ${bad} = ${document[bad]} is outside the vocabulary [0, ${vocabSize})`);
      }
      const rows = ArrayBuffer.isView(document) && !(document instanceof DataView) ? document as unknown as Int32Array : Int32Array.from(document);
      for (let copied = 0; copied < rows.length;) {
        const count = Math.min(rows.length - copied, CHUNK_TOKENS - filled);
        chunk.set(rows.subarray(copied, copied + count), filled);
        filled += count;
        copied += count;
        if (filled === CHUNK_TOKENS) await flush();
      }
      tokens += document.length;
      offsets.push(tokens);
    }
    await flush();
    position = Math.ceil(position / 8) * 8;
    const table = new DataView(new ArrayBuffer(offsets.length * 8));
    for (let i = 0; i < offsets.length; i++) table.setBigUint64(i * 8, BigInt(offsets.values[i]!), true);
    await handle.write(new Uint8Array(table.buffer), 0, table.byteLength, position);
    bytes = position + table.byteLength;
    const header = new DataView(new ArrayBuffer(HEADER_BYTES));
    for (let i = 0; i < MAGIC.length; i++) header.setUint8(i, MAGIC.charCodeAt(i));
    header.setUint32(8, VERSION, true);
    header.setUint32(12, bytesPerToken, true);
    header.setUint32(16, vocabSize === 2 ** 32 ? 0 : vocabSize, true);
    header.setBigUint64(24, BigInt(offsets.length - 1), true);
    header.setBigUint64(32, BigInt(tokens), true);
    await handle.write(new Uint8Array(header.buffer), 0, HEADER_BYTES, 0);
  });
  return { documents: offsets.length - 1, tokens, bytes };
}

/** The whole file in one fresh (aligned) buffer, read in pieces: no 2 GiB `readFile` limit. */
async function readWholeFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new TokenCacheError(`${path}: cannot be read (${(error as Error).message})`);
  }
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    for (let done = 0; done < size;) {
      const { bytesRead } = await handle.read(bytes, done, Math.min(size - done, 1 << 30), done);
      if (bytesRead === 0) throw new TokenCacheError(`${path}: shrank to ${done} bytes while being read (expected ${size})`);
      done += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Reads the header fields, checking each against the file's size. */
function readHeader(path: string, view: DataView): { bytesPerToken: 2 | 4; vocabSize: number; documents: number; tokens: number; offsetsAt: number } {
  const fail = (what: string): never => {
    throw new TokenCacheError(`${path}: ${what}`);
  };
  if (view.byteLength < HEADER_BYTES) fail(`truncated: ${view.byteLength} bytes, the header alone needs ${HEADER_BYTES}`);
  const magic = String.fromCharCode(...Array.from({ length: 8 }, (_, i) => view.getUint8(i)));
  if (magic !== MAGIC) fail(`not a wordforge token cache (starts with ${JSON.stringify(magic)}, expected "${MAGIC}")`);
  const version = view.getUint32(8, true);
  if (version !== VERSION) fail(`token cache version ${version} is not supported (this library reads version ${VERSION})`);
  const bytesPerToken = view.getUint32(12, true);
  if (bytesPerToken !== 2 && bytesPerToken !== 4) fail(`corrupted header: ${bytesPerToken} bytes per token (expected 2 or 4)`);
  const vocabSize = view.getUint32(16, true) || 2 ** 32;
  const documents = Number(view.getBigUint64(24, true));
  const tokens = Number(view.getBigUint64(32, true));
  const offsetsAt = Math.ceil((HEADER_BYTES + tokens * bytesPerToken) / 8) * 8;
  const expected = offsetsAt + (documents + 1) * 8;
  if (expected !== view.byteLength) {
    fail(`truncated or corrupted: ${view.byteLength} bytes, but the header (${documents} documents, ${tokens} tokens of ${bytesPerToken} bytes) implies ${expected}`);
  }
  return { bytesPerToken: bytesPerToken as 2 | 4, vocabSize, documents, tokens, offsetsAt };
}

/**
 * Reads a cache written by {@link writeTokenCache} into one buffer the size of the file (any size
 * the machine's memory allows), the tokens exposed as a single Uint16Array/Uint32Array view over
 * it (no per-token copy). Every structural field is
 * checked (magic, version, sizes, offsets, ids below the vocabulary size), so a truncated or
 * corrupted file fails here rather than mid-training.
 * @param path - the cache file
 * @throws TokenCacheError naming the file and what is wrong (missing, truncated, corrupted)
 * @example
 * ```ts
 * const cache = await readTokenCache('train.tokens');
 * const blocks = tokenBlocks(cache.tokens, { blockSize: 129, stride: 128 }); // 128 inputs + the shifted label
 * ```
 */
export async function readTokenCache(path: string): Promise<TokenCache> {
  const bytes = await readWholeFile(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { bytesPerToken, vocabSize, documents, tokens: tokenCount, offsetsAt } = readHeader(path, view);
  const offsets = new Float64Array(documents + 1);
  for (let i = 0; i <= documents; i++) {
    offsets[i] = Number(view.getBigUint64(offsetsAt + i * 8, true));
    const previous = i === 0 ? 0 : offsets[i - 1]!;
    if (offsets[i]! < previous || (i === 0 && offsets[0] !== 0) || offsets[i]! > tokenCount) {
      throw new TokenCacheError(`${path}: corrupted offsets: offset ${i} = ${offsets[i]} (previous ${previous}, ${tokenCount} tokens)`);
    }
  }
  if (offsets[documents] !== tokenCount) {
    throw new TokenCacheError(`${path}: corrupted offsets: the last offset is ${offsets[documents]}, expected ${tokenCount} tokens`);
  }
  const start = bytes.byteOffset + HEADER_BYTES;
  const tokens = bytesPerToken === 2 ? new Uint16Array(bytes.buffer, start, tokenCount) : new Uint32Array(bytes.buffer, start, tokenCount);
  let bad = -1;
  if (vocabSize < 2 ** (8 * bytesPerToken)) for (let i = 0; i < tokens.length && bad < 0; i++) if (tokens[i]! >= vocabSize) bad = i;
  if (bad >= 0) throw new TokenCacheError(`${path}: corrupted tokens: token ${bad} = ${tokens[bad]} is outside the vocabulary [0, ${vocabSize})`);
  return {
    path,
    vocabSize,
    dtype: bytesPerToken === 2 ? 'uint16' : 'uint32',
    documentCount: documents,
    tokens,
    offsets,
    document(index: number) {
      assert(Number.isInteger(index) && index >= 0 && index < documents, RangeArgumentError,
        () => `document index ${index} is outside [0, ${documents})`);
      return tokens.subarray(offsets[index]!, offsets[index + 1]!);
    },
  };
}
