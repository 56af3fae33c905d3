import { ConfigError, VocabularyError } from '../utils/errors.js';
import { Rng } from '../utils/rng.js';
import type { ComponentJSON, Model, ModelToken } from './components.js';

/**
 * Settings of a {@link Unigram} model, as in Hugging Face's `Unigram`.
 * @example
 * ```ts
 * const o: UnigramOptions = { vocab: [['<unk>', 0], ['a', -1], ['b', -2], ['ab', -1.5]], unkId: 0 };
 * ```
 */
export interface UnigramOptions {
  /** `[piece, log probability]` per id. */
  readonly vocab: readonly (readonly [string, number])[];
  /** Id of the unknown piece, which scores `min score - 10` on characters no piece covers (default none: unknown text is an error). */
  readonly unkId?: number | null;
  /** Encode unknown text as `<0xXX>` byte pieces when the vocabulary has them all. */
  readonly byteFallback?: boolean;
  /**
   * Ids that segmentation never produces from text (SentencePiece's CONTROL, UNKNOWN, UNUSED and
   * BYTE pieces); default none, as in Hugging Face, where every piece can match.
   */
  readonly unmatchable?: ReadonlySet<number>;
  /**
   * Ids scored as SentencePiece scores its USER_DEFINED pieces, `length * (highest matchable score) - 0.1`,
   * so they win wherever they match; default none.
   */
  readonly userDefined?: ReadonlySet<number>;
  /**
   * Subword regularisation (Kudo 2018, https://arxiv.org/abs/1804.10959), as SentencePiece's
   * sampling with `nbest_size = -1`: each word's segmentation is drawn from the whole lattice with
   * probability proportional to `exp(alpha * score)` (forward-filtering, backward-sampling), seeded.
   * Default null: the best segmentation. Not stored in `tokenizer.json` (Hugging Face has no field).
   */
  readonly sampling?: {
    /** Smoothing: 0 samples uniformly over segmentations, large values approach the best one. */
    readonly alpha: number;
    /** Seed of the draws (default 0). */
    readonly seed?: number;
  } | null;
}

/** Hugging Face's and SentencePiece's penalty of the unknown piece below the lowest score. */
const UNK_PENALTY = 10;
const encoder = new TextEncoder();

/** A node of the piece trie: children by UTF-16 unit, and the id of the piece ending here. */
interface TrieNode {
  children: Map<number, TrieNode>;
  id: number;
}

/**
 * The unigram language model tokenizer (Kudo 2018, https://arxiv.org/abs/1804.10959): a word is
 * split into the pieces whose summed log probabilities are highest (Viterbi), as Hugging Face's
 * `Unigram` and SentencePiece do; a character no piece covers becomes the unknown piece, runs of
 * them fused into one, or its UTF-8 bytes with `byteFallback`.
 * (https://huggingface.co/docs/tokenizers/api/models#tokenizers.models.Unigram)
 * @example
 * ```ts
 * const u = new Unigram({ vocab: [['<unk>', 0], ['a', -1], ['b', -2], ['ab', -1.5]], unkId: 0 });
 * u.tokenize('abx').map((t) => t.value); // ['ab', 'x']  (x is the unknown piece)
 * ```
 */
export class Unigram implements Model {
  /** Settings as given, with defaults filled in. */
  readonly options: Required<UnigramOptions>;
  private readonly ids = new Map<string, number>();
  private readonly root: TrieNode = { children: new Map(), id: -1 };
  private readonly unkScore: number;
  /** Score of each id in segmentation. */
  private readonly scores: Float64Array;
  /** Draws of the sampling, or null for the best segmentation. */
  private readonly rng: Rng | null;

  /**
   * @throws ConfigError when `unkId` is outside the vocabulary or a piece is empty or repeated
   */
  constructor(options: UnigramOptions) {
    this.options = { unkId: null, byteFallback: false, unmatchable: new Set(), userDefined: new Set(), sampling: null, ...options };
    const alpha = this.options.sampling?.alpha;
    if (alpha !== undefined && !(Number.isFinite(alpha) && alpha >= 0)) throw new ConfigError(`Unigram sampling alpha must be a finite number >= 0, got ${alpha}`);
    this.rng = this.options.sampling ? new Rng(this.options.sampling.seed ?? 0) : null;
    const { vocab, unkId, unmatchable, userDefined } = this.options;
    if (unkId !== null && (unkId < 0 || unkId >= vocab.length)) throw new ConfigError(`Unigram unk_id (${unkId}) must be below the vocabulary size (${vocab.length})`);
    let minScore = Infinity;
    let maxScore = -Infinity;
    vocab.forEach(([piece, score], id) => {
      if (piece.length === 0) throw new ConfigError(`Unigram piece ${id} is empty`);
      if (this.ids.has(piece)) throw new ConfigError(`Unigram piece ${JSON.stringify(piece)} appears twice (ids ${this.ids.get(piece)} and ${id})`);
      this.ids.set(piece, id);
      minScore = Math.min(minScore, score);
      if (unmatchable.has(id)) return;
      maxScore = Math.max(maxScore, score);
      let node = this.root;
      for (let i = 0; i < piece.length; i++) {
        const unit = piece.charCodeAt(i);
        let child = node.children.get(unit);
        if (child === undefined) node.children.set(unit, (child = { children: new Map(), id: -1 }));
        node = child;
      }
      node.id = id;
    });
    this.unkScore = minScore - UNK_PENALTY;
    this.scores = Float64Array.from(vocab, ([piece, score], id) => (userDefined.has(id) ? [...piece].length * maxScore - 0.1 : score));
  }

  /** True without sampling: the same word always gives the same tokens. */
  get deterministic(): boolean {
    return this.rng === null;
  }

  /** Number of pieces. */
  get vocabSize(): number {
    return this.options.vocab.length;
  }

  /** Id of `token`, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Piece of `id`, or undefined. */
  idToToken(id: number): string | undefined {
    return this.options.vocab[id]?.[0];
  }

  /**
   * Tokens of one word, with offsets in UTF-16 units of the word. An unknown run keeps its own
   * text as value; with byte fallback each of its byte pieces spans the whole run (as Hugging Face).
   * @throws VocabularyError when the word needs the unknown piece and there is none
   */
  tokenize(word: string): ModelToken[] {
    const tokens: ModelToken[] = [];
    for (const [start, end, id] of this.rng === null ? this.segment(word) : this.sample(word, this.rng, this.options.sampling!.alpha)) {
      const text = word.slice(start, end);
      if (id >= 0) {
        tokens.push({ id, value: text, start, end });
        continue;
      }
      const bytes = this.options.byteFallback ? [...encoder.encode(text)].map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) : [];
      const byteIds = bytes.map((b) => this.ids.get(b));
      if (bytes.length > 0 && byteIds.every((b) => b !== undefined)) {
        bytes.forEach((value, i) => tokens.push({ id: byteIds[i]!, value, start, end }));
        continue;
      }
      if (this.options.unkId === null) throw new VocabularyError(`Unigram has no unk_id for ${JSON.stringify(text)}`);
      tokens.push({ id: this.options.unkId, value: text, start, end });
    }
    return tokens;
  }

  /**
   * The best segmentation as `[start, end, id]` spans, `id` -1 for a fused unknown run. Scores
   * accumulate forward over character positions; a later candidate wins only when strictly better.
   */
  private segment(word: string): [number, number, number][] {
    const n = word.length;
    const bestScore = new Float64Array(n + 1).fill(-Infinity);
    const bestStart = new Int32Array(n + 1).fill(-1);
    const bestId = new Int32Array(n + 1).fill(-1);
    bestScore[0] = 0;
    this.visitPieces(word, (start, end, id) => {
      const score = bestScore[start]! + (id < 0 ? this.unkScore : this.scores[id]!);
      if (bestStart[end]! < 0 || score > bestScore[end]!) (bestScore[end] = score), (bestStart[end] = start), (bestId[end] = id);
    });
    const spans: [number, number, number][] = [];
    for (let end = n; end > 0; ) {
      const start = bestStart[end]!;
      const id = bestId[end]!;
      const last = spans[spans.length - 1];
      if (id < 0 && last !== undefined && last[2] < 0) last[0] = start;
      else spans.push([start, end, id]);
      end = start;
    }
    return spans.reverse();
  }

  /**
   * Calls `visit` for every lattice node of `word`, start by start, shorter pieces first: each
   * vocabulary piece found in the trie, then (id -1) the unknown character where no piece covers it.
   */
  private visitPieces(word: string, visit: (start: number, end: number, id: number) => void): void {
    const n = word.length;
    for (let start = 0; start < n; ) {
      const width = word.codePointAt(start)! > 0xffff ? 2 : 1;
      let coveredChar = false;
      let node: TrieNode | undefined = this.root;
      for (let end = start; end < n && node !== undefined; ) {
        node = node.children.get(word.charCodeAt(end++));
        if (node === undefined || node.id < 0) continue;
        if (end === start + width) coveredChar = true;
        visit(start, end, node.id);
      }
      if (!coveredChar) visit(start, start + width, -1);
      start += width;
    }
  }

  /**
   * A segmentation drawn with probability proportional to `exp(alpha * score)`: forward sums over
   * the lattice, then pieces drawn from the end backwards. Unknown characters form one run, as in
   * {@link Unigram.segment}.
   */
  private sample(word: string, rng: Rng, alpha: number): [number, number, number][] {
    const n = word.length;
    const begins: number[][] = Array.from({ length: n + 1 }, () => []);
    const ids: number[][] = Array.from({ length: n + 1 }, () => []);
    this.visitPieces(word, (start, end, id) => void (begins[end]!.push(start), ids[end]!.push(id)));
    const scoreOf = (id: number): number => alpha * (id < 0 ? this.unkScore : this.scores[id]!);
    // forward[e]: log of the summed weights of all segmentations of word[0, e).
    const forward = new Float64Array(n + 1).fill(-Infinity);
    forward[0] = 0;
    for (let end = 1; end <= n; end++) {
      for (let k = 0; k < begins[end]!.length; k++) forward[end] = logAdd(forward[end]!, forward[begins[end]![k]!]! + scoreOf(ids[end]![k]!));
    }
    const spans: [number, number, number][] = [];
    for (let end = n; end > 0; ) {
      const draw = Math.log(rng.nextFloat()) + forward[end]!;
      let k = 0;
      for (let acc = -Infinity; k < begins[end]!.length - 1; k++) {
        acc = logAdd(acc, forward[begins[end]![k]!]! + scoreOf(ids[end]![k]!));
        if (acc > draw) break;
      }
      const start = begins[end]![k]!;
      const id = ids[end]![k]!;
      const last = spans[spans.length - 1];
      if (id < 0 && last !== undefined && last[2] < 0) last[0] = start;
      else spans.push([start, end, id]);
      end = start;
    }
    return spans.reverse();
  }

  /** The model as `tokenizer.json` stores it. */
  toJSON(): ComponentJSON {
    const o = this.options;
    return { type: 'Unigram', unk_id: o.unkId, vocab: o.vocab.map(([p, s]) => [p, s]), byte_fallback: o.byteFallback };
  }
}

/** `log(exp(a) + exp(b))`, exact for infinite arguments. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
}
