import { ConfigError, VocabularyError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';
import type { ComponentJSON, Model, ModelToken } from './components.js';
import { BinaryHeap } from './binary-heap.js';
import { SubstringCache } from './substring-cache.js';

/**
 * Settings of a {@link BPE} model, as in Hugging Face's `BPE`.
 * @example
 * ```ts
 * const o: BPEOptions = { vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']], unkToken: null };
 * ```
 */
export interface BPEOptions {
  /** Token string to id. */
  readonly vocab: ReadonlyMap<string, number>;
  /** Merge rules, highest priority first; each pair and its concatenation must be in `vocab`. */
  readonly merges: readonly (readonly [string, string])[];
  /** Token for characters outside the vocabulary; null drops them (as Hugging Face does). */
  readonly unkToken?: string | null;
  /** Prefix of every symbol that does not start a word (e.g. `'##'`). */
  readonly continuingSubwordPrefix?: string | null;
  /** Suffix of the symbol that ends a word (e.g. `'</w>'`). */
  readonly endOfWordSuffix?: string | null;
  /** Join consecutive unknown characters into one unknown token. */
  readonly fuseUnk?: boolean;
  /** Encode unknown characters as `<0xXX>` byte tokens when the vocabulary has them all. */
  readonly byteFallback?: boolean;
  /** Return a word that is itself in the vocabulary as one token, without merging. */
  readonly ignoreMerges?: boolean;
  /** How many words the per-word cache remembers (default 10,000, as Hugging Face). */
  readonly cacheCapacity?: number;
  /**
   * How many words the ids-only cache of {@link BPE.tokenizeIds} remembers (default 100,000: it
   * holds only id arrays, roughly 10 MB when full, and a corpus's distinct words overflow 10,000
   * quickly, which makes every miss a merge).
   */
  readonly idsCacheCapacity?: number;
  /**
   * BPE-dropout (Provilkov et al. 2020, https://arxiv.org/abs/1910.13267): each merge about to be
   * applied is skipped with this probability, as Hugging Face's `dropout` (default null: none;
   * 0 is plain BPE, 1 leaves the initial characters or bytes). Words are then not cached.
   */
  readonly dropout?: number | null;
  /** Seed of the dropout draws (default 0): the same seed and calls give the same tokens. */
  readonly seed?: number;
}

const POS_BASE = 2 ** 26;
/** {@link BPE}'s character table: not looked up yet. */
const CHAR_NOT_LOOKED_UP = -2;
/** {@link BPE}'s character table: the character alone is not in the vocabulary. */
const CHAR_NOT_IN_VOCAB = -1;
const DEFAULT_CACHE_CAPACITY = 10_000;
const DEFAULT_IDS_CACHE_CAPACITY = 100_000;
const encoder = new TextEncoder();

/** A symbol of a word being merged: a vocabulary id and the UTF-8 bytes it covers. */
interface WordSymbols {
  ids: number[];
  bytes: number[];
  dropped: boolean;
}

/**
 * Byte-pair encoding (Sennrich et al. 2016, https://arxiv.org/abs/1508.07909): a word starts as
 * characters and the highest-priority adjacent pair is merged until no merge applies, exactly as
 * Hugging Face's `BPE` (leftmost pair first among equal ranks; offsets counted over the symbols
 * kept). Results are cached per word. (https://huggingface.co/docs/tokenizers/api/models#tokenizers.models.BPE)
 * @example
 * ```ts
 * const bpe = new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']] });
 * bpe.tokenize('aab').map((t) => t.value); // ['a', 'ab']
 * ```
 */
export class BPE implements Model {
  /** Settings as given, with defaults filled in. */
  readonly options: Required<BPEOptions>;
  private readonly vocabR = new Map<number, string>();
  /** Merge rank of each pair, by left id then right id (small integer keys keep lookups fast). */
  private readonly pairRanks: Array<Map<number, number> | undefined> = [];
  /** Merge rank to the id of the merged symbol. */
  private readonly mergedIds: number[] = [];
  private readonly cache: SubstringCache<ModelToken[]>;
  /** Ids of words, for {@link BPE.tokenizeIds}. */
  private readonly idsCache: SubstringCache<readonly number[]>;
  /**
   * Vocabulary id of each UTF-16 unit used as a whole symbol, filled as words meet them (without
   * affixes only): {@link CHAR_NOT_LOOKED_UP} until looked up, {@link CHAR_NOT_IN_VOCAB} when absent.
   */
  private readonly charIds = new Int32Array(0x10000).fill(CHAR_NOT_LOOKED_UP);
  /** Draws of the dropout, or null without dropout. */
  private readonly rng: Rng | null;

  /**
   * @throws ConfigError when a merge names a token (or produces one) missing from the vocabulary
   */
  constructor(options: BPEOptions) {
    this.options = {
      unkToken: null, continuingSubwordPrefix: null, endOfWordSuffix: null, fuseUnk: false,
      byteFallback: false, ignoreMerges: false, cacheCapacity: DEFAULT_CACHE_CAPACITY, idsCacheCapacity: DEFAULT_IDS_CACHE_CAPACITY,
      dropout: null, seed: 0, ...options,
    };
    const { dropout } = this.options;
    if (dropout !== null && !(typeof dropout === 'number' && dropout >= 0 && dropout <= 1)) throw new ConfigError(`BPE dropout must be a probability in [0, 1], got ${dropout}`);
    this.rng = dropout !== null && dropout > 0 ? new Rng(this.options.seed) : null;
    this.cache = new SubstringCache(this.options.cacheCapacity);
    this.idsCache = new SubstringCache(this.options.idsCacheCapacity);
    for (const [token, id] of options.vocab) this.vocabR.set(id, token);
    const prefixLength = this.options.continuingSubwordPrefix?.length ?? 0;
    options.merges.forEach(([a, b], rank) => {
      const merged = a + b.slice(prefixLength);
      const ids = [a, b, merged].map((t) => options.vocab.get(t));
      const missing = [a, b, merged].filter((_, i) => ids[i] === undefined);
      if (missing.length > 0) {
        throw new ConfigError(`BPE merge ${rank} (${JSON.stringify(a)} ${JSON.stringify(b)}): ${missing.map((t) => JSON.stringify(t)).join(', ')} not in the vocabulary`);
      }
      (this.pairRanks[ids[0]!] ??= new Map()).set(ids[1]!, rank); // a repeated pair keeps its last rank, as HF's map
      this.mergedIds[rank] = ids[2]!;
    });
  }

  /** True without dropout: the same word always gives the same tokens. */
  get deterministic(): boolean {
    return this.rng === null;
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
   * @param remember - whether to look the word up in the cache and store it there (false when the caller caches words)
   * @example
   * ```ts
   * const bpe = new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']] });
   * bpe.tokenize('ab', false); // [{ id: 2, value: 'ab', start: 0, end: 2 }]
   * ```
   */
  tokenize(word: string, remember = true): ModelToken[] {
    if (word.length === 0) return [];
    const cached = remember ? this.cache.get(word) : undefined;
    if (cached !== undefined) return cached;
    const direct = this.options.ignoreMerges ? this.options.vocab.get(word) : undefined;
    const tokens = direct !== undefined ? [{ id: direct, value: word, start: 0, end: word.length }] : this.mergeWord(word);
    if (remember && this.rng === null) this.cache.set(word, tokens);
    return tokens;
  }

  /**
   * The ids of {@link BPE.tokenize}, faster: no offsets or token strings are built, and a larger
   * cache (`idsCacheCapacity`) remembers them.
   * @param remember - whether to look the word up in the cache and store it there (false when the caller caches words)
   * @example
   * ```ts
   * const bpe = new BPE({ vocab: new Map([['a', 0], ['b', 1], ['ab', 2]]), merges: [['a', 'b']] });
   * bpe.tokenizeIds('aab'); // [0, 2]
   * ```
   */
  tokenizeIds(word: string, remember = true): readonly number[] {
    if (word.length === 0) return [];
    const cached = remember ? this.idsCache.get(word) : undefined;
    if (cached !== undefined) return cached;
    const direct = this.options.ignoreMerges ? this.options.vocab.get(word) : undefined;
    const ids = direct !== undefined ? [direct] : this.merge(this.initialSymbols(word)).ids;
    if (remember && this.rng === null) this.idsCache.set(word, ids);
    return ids;
  }

  /** Merge rank of the pair (left, right), or undefined when they do not merge. */
  private rankOf(left: number, right: number): number | undefined {
    return this.pairRanks[left]?.get(right);
  }

  /**
   * Applies the merges to `symbols` (in place) and returns them: short words without dropout by
   * scanning for the best-ranked pair, others with a heap (the same choice: lowest rank, then leftmost).
   */
  private merge(symbols: WordSymbols): WordSymbols {
    return this.rng === null && symbols.ids.length <= SCAN_LIMIT ? this.mergeByScan(symbols) : this.mergeWithHeap(symbols);
  }

  /** Merges `symbols` in place by scanning for the lowest-ranked (then leftmost) pair each time. */
  private mergeByScan(symbols: WordSymbols): WordSymbols {
    const { ids, bytes } = symbols;
    for (;;) {
      let bestRank = Infinity;
      let bestPos = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.rankOf(ids[i]!, ids[i + 1]!);
        if (rank !== undefined && rank < bestRank) (bestRank = rank), (bestPos = i);
      }
      if (bestPos < 0) return symbols;
      // The pair becomes one symbol; the rest shifts left by one (splice would allocate each time).
      ids[bestPos] = this.mergedIds[bestRank]!;
      bytes[bestPos]! += bytes[bestPos + 1]!;
      for (let i = bestPos + 1; i + 1 < ids.length; i++) (ids[i] = ids[i + 1]!), (bytes[i] = bytes[i + 1]!);
      ids.length--, bytes.length--;
    }
  }

  /** The word's initial symbols: characters (with affixes), unknown tokens or byte fallbacks. */
  private initialSymbols(word: string): WordSymbols {
    const { vocab, continuingSubwordPrefix: prefix, endOfWordSuffix: suffix, unkToken, fuseUnk, byteFallback } = this.options;
    const out: WordSymbols = { ids: [], bytes: [], dropped: false };
    // Without affixes a symbol is its character, so ids of BMP characters (surrogates excepted) are remembered.
    const plainChars = prefix === null && suffix === null;
    /** The unknown token being built (id and bytes; id -1 when none), pushed once a known symbol follows. */
    let unkId = -1;
    let unkBytes = 0;
    for (let i = 0; i < word.length; ) {
      const unit = word.charCodeAt(i);
      const known = plainChars ? this.charIds[unit]! : CHAR_NOT_LOOKED_UP;
      if (known >= 0) {
        if (unkId >= 0) out.ids.push(unkId), out.bytes.push(unkBytes), (unkId = -1);
        out.ids.push(known), out.bytes.push(unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3);
        i++;
        continue;
      }
      const width = word.codePointAt(i)! > 0xffff ? 2 : 1;
      const char = word.slice(i, i + width);
      const byteLength = width === 2 ? 4 : char.charCodeAt(0) < 0x80 ? 1 : char.charCodeAt(0) < 0x800 ? 2 : 3;
      let symbol = i > 0 && prefix !== null ? prefix + char : char;
      i += width;
      if (i === word.length && suffix !== null) symbol += suffix;
      const id = vocab.get(symbol);
      if (plainChars && (unit < 0xd800 || unit > 0xdfff)) this.charIds[unit] = id ?? CHAR_NOT_IN_VOCAB;
      if (id !== undefined) {
        if (unkId >= 0) out.ids.push(unkId), out.bytes.push(unkBytes), (unkId = -1);
        out.ids.push(id), out.bytes.push(byteLength);
        continue;
      }
      if (byteFallback) {
        const byteIds = [...encoder.encode(symbol)].map((b) => vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (byteIds.every((b) => b !== undefined)) {
          for (const b of byteIds) out.ids.push(b), out.bytes.push(1);
          continue;
        }
      }
      if (unkToken === null) {
        out.dropped = true;
        continue;
      }
      if (unkId >= 0 && fuseUnk) unkBytes += byteLength;
      else {
        if (unkId >= 0) out.ids.push(unkId), out.bytes.push(unkBytes);
        const id = vocab.get(unkToken);
        if (id === undefined) throw new VocabularyError(`BPE unk_token ${JSON.stringify(unkToken)} is not in the vocabulary`);
        (unkId = id), (unkBytes = byteLength);
      }
    }
    if (unkId >= 0) out.ids.push(unkId), out.bytes.push(unkBytes);
    return out;
  }

  /** Applies the merges to `word` and returns its tokens. */
  private mergeWord(word: string): ModelToken[] {
    const { ids, bytes, dropped } = this.merge(this.initialSymbols(word));
    const tokens: ModelToken[] = [];
    const toUnit = dropped || /[^\x00-\x7f]/.test(word) ? byteUnits(word) : null;
    let offset = 0;
    for (let i = 0; i < ids.length; i++) {
      const start = offset;
      offset += bytes[i]!;
      const value = this.vocabR.get(ids[i]!)!;
      if (toUnit === null) tokens.push({ id: ids[i]!, value, start, end: offset });
      else tokens.push({ id: ids[i]!, value, start: unitStart(toUnit, start), end: unitEnd(toUnit, start, offset) });
    }
    return tokens;
  }

  /** Merges `symbols` with a heap of candidate pairs (with dropout when set) and returns the symbols kept. */
  private mergeWithHeap({ ids, bytes, dropped }: WordSymbols): WordSymbols {
    const n = ids.length;
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Array<boolean>(n).fill(true);
    const heap = new BinaryHeap<number>((a, b) => a < b);
    const pushPair = (pos: number): void => {
      const right = next[pos]!;
      if (right < 0) return;
      const rank = this.rankOf(ids[pos]!, ids[right]!);
      if (rank !== undefined) heap.push(rank * POS_BASE + pos);
    };
    for (let i = 0; i + 1 < n; i++) pushPair(i);
    const rng = this.rng;
    const dropout = this.options.dropout ?? 0;
    const skipped: number[] = [];
    while (heap.size > 0) {
      const top = heap.pop();
      // Dropout as Hugging Face's Word::merge_all: a skipped merge returns once another one is applied.
      if (rng !== null && rng.nextFloat() < dropout) {
        skipped.push(top);
        continue;
      }
      while (skipped.length > 0) heap.push(skipped.pop()!);
      const pos = top % POS_BASE;
      const rank = (top - pos) / POS_BASE;
      const right = next[pos]!;
      if (!alive[pos] || right < 0 || this.rankOf(ids[pos]!, ids[right]!) !== rank) continue;
      ids[pos] = this.mergedIds[rank]!;
      bytes[pos]! += bytes[right]!;
      alive[right] = false;
      next[pos] = next[right]!;
      if (next[pos]! >= 0) prev[next[pos]!] = pos;
      if (prev[pos]! >= 0) pushPair(prev[pos]!);
      pushPair(pos);
    }
    return { ids: ids.filter((_, i) => alive[i]), bytes: bytes.filter((_, i) => alive[i]), dropped };
  }

  /** The model as `tokenizer.json` stores it (vocabulary ordered by id). */
  toJSON(): ComponentJSON {
    const o = this.options;
    const vocab = Object.fromEntries([...o.vocab].sort((a, b) => a[1] - b[1]));
    return {
      type: 'BPE', dropout: o.dropout, unk_token: o.unkToken, continuing_subword_prefix: o.continuingSubwordPrefix,
      end_of_word_suffix: o.endOfWordSuffix, fuse_unk: o.fuseUnk, byte_fallback: o.byteFallback,
      ignore_merges: o.ignoreMerges, vocab, merges: o.merges.map(([a, b]) => [a, b]),
    };
  }
}

/** Words longer than this (in initial symbols) are merged with the heap rather than by scanning. */
const SCAN_LIMIT = 48;

/**
 * Where each UTF-8 byte of `word` falls: the UTF-16 start and end of the character holding it, so
 * a byte range can be turned into a UTF-16 range (see {@link unitStart} and {@link unitEnd}).
 */
interface ByteUnits {
  readonly charStart: number[];
  readonly charEnd: number[];
  readonly length: number;
}

function byteUnits(word: string): ByteUnits {
  const charStart: number[] = [];
  const charEnd: number[] = [];
  for (let i = 0; i < word.length; ) {
    const cp = word.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const byteLength = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp <= 0xffff ? 3 : 4;
    for (let b = 0; b < byteLength; b++) charStart.push(i), charEnd.push(i + width);
    i += width;
  }
  return { charStart, charEnd, length: word.length };
}

/** UTF-16 start of the byte range starting at byte `s`: where the character holding it starts. */
function unitStart(map: ByteUnits, s: number): number {
  return s < map.charStart.length ? map.charStart[s]! : map.length;
}

/** UTF-16 end of the byte range `[s, e)`: where the character holding its last byte ends. */
function unitEnd(map: ByteUnits, s: number, e: number): number {
  return e > s ? map.charEnd[Math.min(e, map.charEnd.length) - 1] ?? map.length : unitStart(map, s);
}
