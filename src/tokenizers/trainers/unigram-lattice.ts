/**
 * The candidate pieces of one text during Unigram training, as flat `[begin, end, pieceId]`
 * triples (positions in code points) in the order Hugging Face's trie yields them: begin
 * ascending, shorter pieces first.
 * @param chars - the text's code points, one string each
 * @param ids - piece to id
 * @param maxLength - longest piece in code points (no longer match is tried)
 * @example
 * ```ts
 * findPieces([...'abc'], new Map([['a', 1], ['ab', 2], ['c', 3]]), 2); // Int32Array [0, 1, 1, 0, 2, 2, 2, 3, 3]
 * ```
 */
export function findPieces(chars: readonly string[], ids: ReadonlyMap<string, number>, maxLength: number): Int32Array {
  const found: number[] = [];
  for (let begin = 0; begin < chars.length; begin++) {
    let piece = '';
    for (let end = begin; end < chars.length && end - begin < maxLength; ) {
      piece += chars[end++]!;
      const id = ids.get(piece);
      if (id !== undefined) found.push(begin, end, id);
    }
  }
  return Int32Array.from(found);
}

/**
 * The nodes of a segmentation lattice (Kudo 2018, https://arxiv.org/abs/1804.10959), begin
 * ascending: node `k` spans code points `begin[k]..end[k]` and is piece `id[k]` with `score[k]`.
 * @example
 * ```ts
 * const nodes = latticeNodes(findPieces([...'ab'], new Map([['a', 1], ['b', 2]]), 1), 2, latticeModel(Int32Array.from([0, 1, 2]), [NaN, -1, -2]));
 * nodes.id; // Int32Array [0, 1]  (pieces by current index)
 * ```
 */
export interface LatticeNodes {
  /** Number of code points of the text. */
  readonly length: number;
  /** First code point of each node. */
  readonly begin: Int32Array;
  /** Code point after each node. */
  readonly end: Int32Array;
  /** Current piece index of each node (0: the unknown piece). */
  readonly id: Int32Array;
  /** Log probability of each node's piece. */
  readonly score: Float64Array;
}

/** Hugging Face's and SentencePiece's penalty of the unknown piece below the lowest score. */
const UNK_PENALTY = 10;

/**
 * The pieces alive at one step of Unigram training, as the lattice sees them.
 * @example
 * ```ts
 * const model = latticeModel(Int32Array.from([0, 1, -1]), [NaN, -1.5]); // seed 2 was removed
 * model.unkScore; // -11.5
 * ```
 */
export interface LatticeModel {
  /** Seed id to current piece index, -1 for a removed piece. */
  readonly current: Int32Array;
  /** Log probability by current index (index 0, the unknown piece, is NaN and ignored). */
  readonly scores: ArrayLike<number>;
  /** Score of the unknown piece: the lowest score minus 10, as Hugging Face's `populate_nodes`. */
  readonly unkScore: number;
}

/**
 * A {@link LatticeModel} from the seed-to-index map and the scores (NaN scores are ignored for the minimum, as Hugging Face).
 * @example
 * ```ts
 * latticeModel(Int32Array.from([0, 1]), [NaN, -2]).unkScore; // -12
 * ```
 */
export function latticeModel(current: Int32Array, scores: ArrayLike<number>): LatticeModel {
  let minScore = Infinity;
  for (let i = 0; i < scores.length; i++) if (scores[i]! < minScore) minScore = scores[i]!;
  return { current, scores, unkScore: minScore - UNK_PENALTY };
}

/**
 * Builds the lattice of a text from its seed matches ({@link findPieces}) and the pieces alive now:
 * matches of removed pieces are skipped, and a character that no alive single-character piece covers
 * gets the unknown piece (index 0), as Hugging Face's `populate_nodes`.
 * @param matches - `[begin, end, seedId]` triples of the text
 * @param length - code points of the text
 * @example
 * ```ts
 * latticeNodes(findPieces([...'ax'], new Map([['a', 1]]), 1), 2, latticeModel(Int32Array.from([0, 1]), [NaN, -1])).id; // [1, 0]
 * ```
 */
export function latticeNodes(matches: Int32Array, length: number, model: LatticeModel): LatticeNodes {
  const { current, scores, unkScore } = model;
  const capacity = matches.length / 3 + length;
  const begin = new Int32Array(capacity);
  const end = new Int32Array(capacity);
  const id = new Int32Array(capacity);
  const score = new Float64Array(capacity);
  let count = 0;
  let m = 0;
  for (let pos = 0; pos < length; pos++) {
    let single = false;
    for (; m < matches.length && matches[m]! === pos; m += 3) {
      const index = current[matches[m + 2]!]!;
      if (index < 0) continue;
      begin[count] = pos, end[count] = matches[m + 1]!, id[count] = index, score[count++] = scores[index]!;
      if (matches[m + 1]! === pos + 1) single = true;
    }
    if (!single) begin[count] = pos, end[count] = pos + 1, id[count] = 0, score[count++] = unkScore;
  }
  return { length, begin: begin.subarray(0, count), end: end.subarray(0, count), id: id.subarray(0, count), score: score.subarray(0, count) };
}

/** Hugging Face's `log_sum_exp`: the larger term alone when the other is 50 nats below it. */
function logSumExp(x: number, y: number): number {
  const [low, high] = x > y ? [y, x] : [x, y];
  return high > low + 50 ? high : high + Math.log(Math.exp(low - high) + 1);
}

/**
 * Forward-backward over the lattice: adds `freq` times each node's posterior probability to
 * `expected[id]` (the E step of Unigram EM) and returns `freq` times the log partition function.
 * Sums run in the order of Hugging Face's `populate_marginal`.
 * @example
 * ```ts
 * const expected = new Float64Array(3);
 * addMarginals(latticeNodes(findPieces([...'ab'], new Map([['a', 1], ['b', 2], ['ab', 3]]), 2), 2, latticeModel(Int32Array.from([0, 1, 2, 3]), [NaN, -1, -1, -1])), 2, expected);
 * ```
 */
export function addMarginals(nodes: LatticeNodes, freq: number, expected: Float64Array): number {
  const { length, begin, end, id, score } = nodes;
  const alpha = new Float64Array(length + 1);
  const seenAlpha = new Uint8Array(length + 1);
  for (let k = 0; k < begin.length; k++) {
    const e = end[k]!;
    const value = score[k]! + alpha[begin[k]!]!;
    alpha[e] = seenAlpha[e] ? logSumExp(alpha[e]!, value) : value;
    seenAlpha[e] = 1;
  }
  const beta = new Float64Array(length + 1);
  for (let groupEnd = begin.length; groupEnd > 0; ) {
    const pos = begin[groupEnd - 1]!;
    let groupStart = groupEnd - 1;
    while (groupStart > 0 && begin[groupStart - 1] === pos) groupStart--;
    let sum = 0;
    for (let k = groupStart; k < groupEnd; k++) {
      const value = score[k]! + beta[end[k]!]!;
      sum = k === groupStart ? value : logSumExp(sum, value);
    }
    beta[pos] = sum;
    groupEnd = groupStart;
  }
  const z = alpha[length]!;
  for (let k = 0; k < begin.length; k++) expected[id[k]!]! += freq * Math.exp(alpha[begin[k]!]! + score[k]! + beta[end[k]!]! - z);
  return freq * z;
}

/**
 * The `n` (1 or 2) best segmentations of the lattice as node index lists, best first; ties go to
 * the path met first (pieces that begin earlier), as Hugging Face's Viterbi.
 * @example
 * ```ts
 * const nodes = latticeNodes(findPieces([...'ab'], new Map([['a', 1], ['b', 2], ['ab', 3]]), 2), 2, latticeModel(Int32Array.from([0, 1, 2, 3]), [NaN, -1, -1, -1.5]));
 * bestPaths(nodes, 2).map((p) => [...p].map((k) => nodes.id[k])); // [[3], [1, 2]]
 * ```
 */
export function bestPaths(nodes: LatticeNodes, n: 1 | 2): number[][] {
  const { length, begin, end, score } = nodes;
  // Per position, up to n ranked partial paths: total score, last node, rank of the path it extends.
  const total = new Float64Array((length + 1) * n);
  const last = new Int32Array((length + 1) * n).fill(-1);
  const prevRank = new Int32Array((length + 1) * n);
  const count = new Uint8Array(length + 1);
  count[0] = 1;
  for (let k = 0; k < begin.length; k++) {
    const b = begin[k]!;
    const e = end[k]!;
    for (let r = 0; r < count[b]!; r++) {
      const value = total[b * n + r]! + score[k]!;
      let at = count[e]!;
      while (at > 0 && value > total[e * n + at - 1]!) at--;
      if (at >= n) continue;
      for (let j = Math.min(count[e]!, n - 1); j > at; j--) {
        total[e * n + j] = total[e * n + j - 1]!, last[e * n + j] = last[e * n + j - 1]!, prevRank[e * n + j] = prevRank[e * n + j - 1]!;
      }
      total[e * n + at] = value, last[e * n + at] = k, prevRank[e * n + at] = r;
      count[e] = Math.min(count[e]! + 1, n);
    }
  }
  const paths: number[][] = [];
  for (let r = 0; r < count[length]!; r++) {
    const path: number[] = [];
    for (let pos = length, rank = r; pos > 0; ) {
      const k = last[pos * n + rank]!;
      path.push(k);
      rank = prevRank[pos * n + rank]!;
      pos = begin[k]!;
    }
    paths.push(path.reverse());
  }
  return paths;
}
