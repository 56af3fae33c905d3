import { ConfigError } from '../../utils/errors.js';
import { PairQueue } from './pair-queue.js';

/**
 * Progress of a training run, passed to {@link BpeTrainerOptions.onProgress}.
 * @example
 * ```ts
 * const p: BpeTrainingProgress = { stage: 'merges', done: 500, total: 30000 };
 * ```
 */
export interface BpeTrainingProgress {
  /** `'words'`: counting words of the input (total unknown, null); `'merges'`: learning merges (done/total vocabulary entries). */
  readonly stage: 'words' | 'merges';
  /** Sequences read so far, or vocabulary entries so far. */
  readonly done: number;
  /** The target vocabulary size while merging; null while counting words. */
  readonly total: number | null;
}

/**
 * Settings of BPE training, as in Hugging Face's `BpeTrainer` (Sennrich et al. 2016,
 * https://arxiv.org/abs/1508.07909).
 * @example
 * ```ts
 * const o: BpeTrainerOptions = { vocabSize: 8000, minFrequency: 2, specialTokens: ['<|endoftext|>'] };
 * ```
 */
export interface BpeTrainerOptions {
  /** Vocabulary size to reach, special tokens and alphabet included (default 30,000). */
  readonly vocabSize?: number;
  /** A pair seen fewer times than this is never merged (default 0). */
  readonly minFrequency?: number;
  /** Tokens placed first in the vocabulary, in order (default none). */
  readonly specialTokens?: readonly string[];
  /** Characters always in the alphabet, even when unseen (default none; byte-level: the 256 byte characters). */
  readonly initialAlphabet?: readonly string[];
  /** Keep only this many most frequent characters in the alphabet (default no limit). */
  readonly limitAlphabet?: number | null;
  /** Prefix of every symbol that does not start a word (e.g. `'##'`). */
  readonly continuingSubwordPrefix?: string | null;
  /** Suffix of the symbol that ends a word (e.g. `'</w>'`). */
  readonly endOfWordSuffix?: string | null;
  /** Token length limit in characters: as in Hugging Face, a pair is only queued while the merged symbol stays shorter than this (default no limit). */
  readonly maxTokenLength?: number | null;
  /** Called while training (Hugging Face's `show_progress`, as a callback). */
  readonly onProgress?: ((progress: BpeTrainingProgress) => void) | null;
}

/**
 * A trained BPE vocabulary: token to id, and the merges in the order they were learned.
 * @example
 * ```ts
 * const { vocab, merges } = learnBpe(new Map([['low', 5], ['lower', 2]]), { vocabSize: 10 });
 * ```
 */
export interface LearnedBpe {
  /** Token to id: special tokens, then the alphabet by code point, then affixed characters and merges. */
  readonly vocab: Map<string, number>;
  /** Merge rules, first learned first. */
  readonly merges: [string, string][];
}

const PROGRESS_EVERY = 200;

function checkCount(name: string, value: number | null | undefined, min: number): void {
  if (value !== null && value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new ConfigError(`BPE trainer ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Checks trainer settings, failing with the offending value.
 * @throws ConfigError when a size is not a suitable integer, an alphabet entry is not one character or a special token is empty
 * @example
 * ```ts
 * validateBpeTrainerOptions({ vocabSize: 0 }); // throws ConfigError: BPE trainer vocabSize must be an integer >= 1, got 0
 * ```
 */
export function validateBpeTrainerOptions(options: BpeTrainerOptions): void {
  checkCount('vocabSize', options.vocabSize, 1);
  checkCount('minFrequency', options.minFrequency, 0);
  checkCount('limitAlphabet', options.limitAlphabet, 0);
  checkCount('maxTokenLength', options.maxTokenLength, 1);
  for (const char of options.initialAlphabet ?? []) {
    if ([...char].length !== 1) throw new ConfigError(`BPE trainer initialAlphabet entries must be single characters, got ${JSON.stringify(char)}`);
  }
  for (const token of options.specialTokens ?? []) {
    if (typeof token !== 'string' || token.length === 0) throw new ConfigError(`BPE trainer specialTokens must be non-empty strings, got ${JSON.stringify(token)}`);
  }
}

/** The alphabet kept for training: seen characters by frequency, limited, then ordered by code point. */
function computeAlphabet(wordCounts: ReadonlyMap<string, number>, options: BpeTrainerOptions): string[] {
  const frequency = new Map<string, number>();
  for (const [word, count] of wordCounts) {
    for (const char of word) frequency.set(char, (frequency.get(char) ?? 0) + count);
  }
  for (const char of options.initialAlphabet ?? []) frequency.set(char, Infinity);
  let kept = [...frequency];
  const limit = options.limitAlphabet ?? null;
  if (limit !== null && kept.length > limit) kept = kept.sort((a, b) => a[1] - b[1]).slice(kept.length - limit);
  return kept.map(([char]) => char).sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/**
 * Learns BPE merges from word counts exactly as Hugging Face's `BpeTrainer` does (Sennrich et al.
 * 2016, https://arxiv.org/abs/1508.07909): the most frequent adjacent pair is merged next, ties
 * going to the pair with the smaller ids; pair counts live in a priority queue and are updated
 * incrementally from the words each merge touches, never recounted.
 * @param wordCounts - word (already pre-tokenized, e.g. byte-level characters) to occurrences
 * @throws ConfigError when an option is invalid (see {@link validateBpeTrainerOptions})
 * @example
 * ```ts
 * learnBpe(new Map([['are', 2], ['is', 2], ['red', 1]]), { minFrequency: 2 }).merges; // [['r', 'e'], ['a', 're'], ['i', 's']]
 * ```
 */
export function learnBpe(wordCounts: ReadonlyMap<string, number>, options: BpeTrainerOptions = {}): LearnedBpe {
  validateBpeTrainerOptions(options);
  const vocabSize = options.vocabSize ?? 30_000;
  const minFrequency = options.minFrequency ?? 0;
  const maxLength = options.maxTokenLength ?? Infinity;
  const prefix = options.continuingSubwordPrefix ?? null;
  const suffix = options.endOfWordSuffix ?? null;
  const progress = options.onProgress ?? null;
  const idToToken: string[] = [];
  const tokenToId = new Map<string, number>();
  const intern = (token: string): number => {
    let id = tokenToId.get(token);
    if (id === undefined) tokenToId.set(token, (id = idToToken.push(token) - 1));
    return id;
  };
  for (const token of options.specialTokens ?? []) intern(token);
  for (const char of computeAlphabet(wordCounts, options)) intern(char);

  // Words as symbol ids (and symbol lengths in characters, for maxTokenLength).
  const words: Int32Array[] = [];
  const lengths: Int32Array[] = [];
  const sizes: number[] = [];
  const counts: number[] = [];
  for (const [word, count] of wordCounts) {
    const chars = [...word];
    const ids: number[] = [];
    chars.forEach((char, i) => {
      if (!tokenToId.has(char)) return;
      let symbol = i > 0 && prefix !== null ? prefix + char : char;
      if (i === chars.length - 1 && suffix !== null) symbol += suffix;
      ids.push(intern(symbol));
    });
    words.push(Int32Array.from(ids));
    lengths.push(new Int32Array(ids.length).fill(1));
    sizes.push(ids.length);
    counts.push(count);
  }

  const queue = new PairQueue(Math.max(vocabSize, idToToken.length) + 1);
  const pairCounts = new Map<number, number>();
  let positions = new Map<number, number[]>();
  /** Adds `delta` occurrences of pair `key` in word `w`; new occurrences remember the word. */
  const change = (key: number, delta: number, w: number): void => {
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta * counts[w]!);
    if (delta <= 0) return;
    const where = positions.get(key);
    if (where === undefined) positions.set(key, [w]);
    else if (where[where.length - 1] !== w) where.push(w);
  };
  const flushPositions = (): void => {
    for (const [key, where] of positions) {
      const count = pairCounts.get(key)!;
      if (count > 0) queue.push({ count, key, where });
    }
    positions = new Map();
  };
  for (let w = 0; w < words.length; w++) {
    const ids = words[w]!;
    for (let i = 0; i + 1 < ids.length; i++) change(queue.key(ids[i]!, ids[i + 1]!), 1, w);
  }
  flushPositions();

  const merges: [string, string][] = [];
  while (idToToken.length < vocabSize && queue.size > 0) {
    const top = queue.pop();
    const current = pairCounts.get(top.key)!;
    if (top.count !== current) {
      queue.push({ ...top, count: current });
      continue;
    }
    if (top.count < 1 || minFrequency > top.count) break;
    const [a, b] = queue.pairOf(top.key);
    let right = idToToken[b]!;
    if (prefix !== null && right.startsWith(prefix)) right = right.slice(prefix.length);
    const merged = intern(idToToken[a]! + right);
    merges.push([idToToken[a]!, idToToken[b]!]);
    for (const w of top.where) mergeWord(w, a, b, merged);
    flushPositions();
    if (progress !== null && merges.length % PROGRESS_EVERY === 0) progress({ stage: 'merges', done: idToToken.length, total: vocabSize });
  }
  progress?.({ stage: 'merges', done: idToToken.length, total: vocabSize });
  return { vocab: tokenToId, merges };

  /** Replaces every `a b` in word `w` by `merged`, reporting the pair changes (as Hugging Face's `Word::merge`). */
  function mergeWord(w: number, a: number, b: number, merged: number): void {
    const ids = words[w]!;
    const lens = lengths[w]!;
    const n = sizes[w]!;
    let out = 0;
    for (let r = 0; r < n; ) {
      if (ids[r] !== a || r + 1 >= n || ids[r + 1] !== b) {
        ids[out] = ids[r]!, lens[out++] = lens[r++]!;
        continue;
      }
      const length = lens[r]! + lens[r + 1]!;
      if (out > 0) {
        change(queue.key(ids[out - 1]!, a), -1, w);
        if (lens[out - 1]! + length < maxLength) change(queue.key(ids[out - 1]!, merged), 1, w);
      }
      ids[out] = merged, lens[out++] = length;
      r += 2;
      if (r < n) {
        change(queue.key(b, ids[r]!), -1, w);
        if (lens[r]! + length < maxLength) change(queue.key(merged, ids[r]!), 1, w);
      }
    }
    sizes[w] = out;
  }
}
