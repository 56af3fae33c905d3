import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import { addMarginals, bestPaths, findPieces, latticeModel, latticeNodes, type LatticeModel, type LatticeNodes } from './unigram-lattice.js';
import { seedUnigramPieces } from './unigram-seeds.js';

/**
 * Settings of Unigram training, as in Hugging Face's `UnigramTrainer` (Kudo 2018,
 * https://arxiv.org/abs/1804.10959).
 * @example
 * ```ts
 * const o: UnigramTrainerOptions = { vocabSize: 8000, unkToken: '<unk>', specialTokens: ['<unk>', '<s>', '</s>'] };
 * ```
 */
export interface UnigramTrainerOptions {
  /** Pieces to keep, special tokens not counted (default 8,000, as Hugging Face). */
  readonly vocabSize?: number;
  /** Tokens placed first in the vocabulary, in order, scored 0 (default none). */
  readonly specialTokens?: readonly string[];
  /** Characters always in the vocabulary, even when unseen (default none). */
  readonly initialAlphabet?: readonly string[];
  /** The unknown piece: its position among `specialTokens`, or prepended as id 0 (default none: unknown text is an error). */
  readonly unkToken?: string | null;
  /** Share of the pieces kept by each pruning step (default 0.75). */
  readonly shrinkingFactor?: number;
  /** EM iterations between pruning steps (default 2). */
  readonly nSubIterations?: number;
  /** Longest piece in code points (default 16). */
  readonly maxPieceLength?: number;
  /** Most seed pieces, characters included (default 1,000,000). */
  readonly seedSize?: number;
}

/**
 * A trained Unigram vocabulary, as {@link Unigram} takes it.
 * @example
 * ```ts
 * const { vocab, unkId } = learnUnigram(new Map([['▁the', 12], ['▁are', 11]]), { unkToken: '<unk>' });
 * ```
 */
export interface LearnedUnigram {
  /** `[piece, log probability]` per id: special tokens (score 0), then the pieces by decreasing score. */
  readonly vocab: [string, number][];
  /** Id of `unkToken`, or null when none was given. */
  readonly unkId: number | null;
}

/** Hugging Face's digamma approximation (asymptotic series after shifting the argument above 7). */
function digamma(x: number): number {
  let result = 0;
  for (; x < 7; x++) result -= 1 / x;
  x -= 0.5;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  return result + Math.log(x) + xx2 / 24 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
}

function checkInteger(name: string, value: number | undefined, min: number): void {
  assert(value === undefined || (Number.isInteger(value) && value >= min), ConfigError, () => `Unigram trainer ${name} must be an integer >= ${min}, got ${describeJSON(value)}`);
}

/**
 * Checks Unigram trainer settings, failing with the offending value.
 * @throws ConfigError when a size is not a suitable integer, `shrinkingFactor` is not in (0, 1), an alphabet entry is not one character or a token is empty
 * @example
 * ```ts
 * validateUnigramTrainerOptions({ shrinkingFactor: 1.5 }); // throws ConfigError naming 1.5
 * ```
 */
export function validateUnigramTrainerOptions(options: UnigramTrainerOptions): void {
  checkInteger('vocabSize', options.vocabSize, 1);
  checkInteger('nSubIterations', options.nSubIterations, 1);
  checkInteger('maxPieceLength', options.maxPieceLength, 1);
  checkInteger('seedSize', options.seedSize, 1);
  const factor = options.shrinkingFactor;
  assert(factor === undefined || (typeof factor === 'number' && factor > 0 && factor < 1), ConfigError, () => `Unigram trainer shrinkingFactor must be in (0, 1), got ${describeJSON(factor)}`);
  for (const char of options.initialAlphabet ?? []) {
    assert(typeof char === 'string' && [...char].length === 1, ConfigError, () => `Unigram trainer initialAlphabet entries must be single characters, got ${describeJSON(char)}`);
  }
  for (const token of [...(options.specialTokens ?? []), ...(options.unkToken == null ? [] : [options.unkToken])]) {
    assert(typeof token === 'string' && token.length > 0, ConfigError, () => `Unigram trainer special and unk tokens must be non-empty strings, got ${describeJSON(token)}`);
  }
}

/** The pieces of one training state: seed ids (0: the unknown piece) and their log probabilities. */
interface Pieces {
  readonly seeds: number[];
  readonly scores: number[];
}

/**
 * Learns a Unigram vocabulary from word counts as Hugging Face's `UnigramTrainer` does (Kudo 2018,
 * https://arxiv.org/abs/1804.10959): seed pieces from frequent substrings ({@link seedUnigramPieces}),
 * then rounds of `nSubIterations` EM steps (expected piece counts by forward-backward, re-estimated
 * with the digamma-based Bayesian update and pieces under 0.5 expected occurrences dropped), each
 * followed by pruning to `shrinkingFactor` of the pieces those whose removal loses least likelihood,
 * until at most 1.1 x `vocabSize` remain; finally every character is kept and the best pieces fill
 * `vocabSize`. Hugging Face's pruning quirks are kept (a piece's loss uses the total piece count for
 * its redistribution term), so results match up to floating-point summation order.
 * @param wordCounts - word (already pre-tokenized, e.g. `▁the`) to occurrences
 * @throws ConfigError when an option is invalid (see {@link validateUnigramTrainerOptions})
 * @example
 * ```ts
 * const { vocab } = learnUnigram(new Map([['▁the', 12], ['▁are', 11]]), { vocabSize: 20 });
 * vocab[0]; // ['e', -2.4...] (pieces by decreasing score)
 * ```
 */
export function learnUnigram(wordCounts: ReadonlyMap<string, number>, options: UnigramTrainerOptions = {}): LearnedUnigram {
  validateUnigramTrainerOptions(options);
  const vocabSize = options.vocabSize ?? 8000;
  const shrinkingFactor = options.shrinkingFactor ?? 0.75;
  const maxPieceLength = options.maxPieceLength ?? 16;
  const words = [...wordCounts].filter(([word]) => word.length > 0).map(([word, count]) => ({ chars: [...word], count }));
  const seeds = seedUnigramPieces(wordCounts, maxPieceLength, options.seedSize ?? 1_000_000);
  const seedPieces = ['<UNK>', ...seeds.map(([piece]) => piece)];
  const seedIds = new Map(seedPieces.map((piece, id) => [piece, id]));
  seedIds.delete('<UNK>');
  let longest = 1;
  for (const [piece] of seeds) longest = Math.max(longest, [...piece].length);
  const wordMatches = words.map(({ chars }) => findPieces(chars, seedIds, longest));
  const pieceMatches = new Map<number, Int32Array>();

  let pieces: Pieces = { seeds: seedPieces.map((_, id) => id), scores: [NaN, ...seeds.map(([, score]) => score)] };
  const desiredSize = Math.floor((vocabSize * 11) / 10);
  for (;;) {
    for (let i = 0; i < (options.nSubIterations ?? 2); i++) pieces = emStep(pieces);
    if (pieces.seeds.length <= desiredSize) break;
    const before = pieces.seeds.length;
    pieces = prune(pieces, Math.max(desiredSize, Math.floor(before * shrinkingFactor)));
    // Pruning never drops a piece without alternatives (single characters): when only those are
    // left above the target, Hugging Face would loop forever; stop instead.
    if (pieces.seeds.length === before) break;
  }
  return finalize(pieces);

  /** The lattice view of `p`: seed id to index in `p` (-1: removed) and scores. */
  function modelOf(p: Pieces): LatticeModel {
    const current = new Int32Array(seedPieces.length).fill(-1);
    p.seeds.forEach((seed, index) => (current[seed] = index));
    return latticeModel(current, p.scores);
  }

  function wordLattices(model: LatticeModel): LatticeNodes[] {
    return words.map(({ chars }, w) => latticeNodes(wordMatches[w]!, chars.length, model));
  }

  /** One E step (expected counts) and M step (digamma re-estimation, rare pieces dropped). */
  function emStep(p: Pieces): Pieces {
    const expected = new Float64Array(p.seeds.length);
    wordLattices(modelOf(p)).forEach((nodes, w) => addMarginals(nodes, words[w]!.count, expected));
    const next: Pieces = { seeds: [0], scores: [NaN] };
    let sum = 0;
    for (let i = 1; i < p.seeds.length; i++) {
      if (expected[i]! < 0.5) continue;
      next.seeds.push(p.seeds[i]!), next.scores.push(expected[i]!);
      sum += expected[i]!;
    }
    const logSum = digamma(sum);
    return { seeds: next.seeds, scores: next.scores.map((f, i) => (i === 0 ? NaN : digamma(f) - logSum)) };
  }

  /** Keeps the `size` pieces whose removal costs most likelihood (Hugging Face's `prune_sentence_pieces`). */
  function prune(p: Pieces, size: number): Pieces {
    const model = modelOf(p);
    const n = p.seeds.length;
    const alwaysKeep = new Uint8Array(n).fill(1);
    const alternatives: number[][] = Array.from({ length: n }, () => []);
    alwaysKeep[0] = 0;
    for (let i = 1; i < n; i++) {
      const seed = p.seeds[i]!;
      const chars = [...seedPieces[seed]!];
      let matches = pieceMatches.get(seed);
      if (matches === undefined) pieceMatches.set(seed, (matches = findPieces(chars, seedIds, longest)));
      const nodes = latticeNodes(matches, chars.length, model);
      const best = bestPaths(nodes, 2);
      if (best.length === 1) alwaysKeep[i] = 1;
      else if (best[0]!.length >= 2) alwaysKeep[i] = 0;
      else if (best[0]!.length === 1) {
        alwaysKeep[i] = 1;
        for (const k of best[1]!) alternatives[i]!.push(nodes.id[k]!);
      }
    }
    let vsum = 0;
    const freq = new Float64Array(n);
    const inverted: number[][] = Array.from({ length: n }, () => []);
    wordLattices(model).forEach((nodes, w) => {
      const count = words[w]!.count;
      vsum += count;
      for (const k of bestPaths(nodes, 1)[0] ?? []) {
        const id = nodes.id[k]!;
        freq[id] = freq[id]! + count;
        inverted[id]!.push(w);
      }
    });
    let sum = 0;
    for (const f of freq) sum += f;
    const logSum = Math.log(sum);
    const kept: Pieces = { seeds: [p.seeds[0]!], scores: [p.scores[0]!] };
    const candidates: [number, number][] = [];
    for (let i = 1; i < n; i++) {
      if (freq[i] === 0 && !alwaysKeep[i]) continue;
      if (alternatives[i]!.length === 0) {
        kept.seeds.push(p.seeds[i]!), kept.scores.push(p.scores[i]!);
        continue;
      }
      let f = 0;
      for (const w of inverted[i]!) f += words[w]!.count;
      if (f === 0 || Number.isNaN(f)) continue;
      f /= vsum;
      const logProbPiece = Math.log(freq[i]!) - logSum;
      // As Hugging Face: the redistribution term counts all pieces, not this piece's alternatives.
      const logSumAlt = Math.log(sum + freq[i]! * (n - 1));
      let logProbAlt = 0;
      for (const a of alternatives[i]!) logProbAlt += Math.log(freq[a]! + freq[i]!) - logSumAlt;
      candidates.push([i, f * (logProbPiece - logProbAlt)]);
    }
    candidates.sort((a, b) => b[1] - a[1]);
    for (const [i] of candidates) {
      if (kept.seeds.length === size) break;
      kept.seeds.push(p.seeds[i]!), kept.scores.push(p.scores[i]!);
    }
    return kept;
  }

  /** Every character (and `initialAlphabet`), then the best pieces up to `vocabSize`, then the special tokens in front. */
  function finalize(p: Pieces): LearnedUnigram {
    let minScore = Infinity;
    for (const s of p.scores) if (s < minScore) minScore = s;
    const scoreOf = new Map(p.seeds.map((seed, i) => [seedPieces[seed]!, p.scores[i]!]));
    const required = new Set<string>();
    for (const { chars } of words) for (const c of chars) required.add(c);
    for (const c of options.initialAlphabet ?? []) required.add(c);
    const final: [string, number][] = [];
    const inserted = new Set(['<UNK>']);
    let penalty = 0;
    for (const c of [...required].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)) {
      inserted.add(c);
      const score = scoreOf.get(c);
      if (score !== undefined) final.push([c, score]);
      else final.push([c, minScore + penalty]), (penalty += 0.0001);
    }
    for (let i = 0; i < p.seeds.length; i++) {
      const piece = seedPieces[p.seeds[i]!]!;
      if (inserted.has(piece)) continue;
      inserted.add(piece);
      final.push([piece, Number.isNaN(p.scores[i]) ? 0 : p.scores[i]!]);
      if (final.length === vocabSize) break;
    }
    final.sort((a, b) => b[1] - a[1]);
    const specials = [...(options.specialTokens ?? [])];
    const unk = options.unkToken ?? null;
    let unkId: number | null = null;
    if (unk !== null) {
      unkId = specials.indexOf(unk);
      if (unkId < 0) specials.unshift(unk), (unkId = 0);
    }
    const specialSet = new Set(specials);
    return { vocab: [...specials.map((t): [string, number] => [t, 0]), ...final.filter(([piece]) => !specialSet.has(piece))], unkId };
  }
}
