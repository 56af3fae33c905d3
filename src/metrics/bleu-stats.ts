import { countNgrams } from './ngrams.js';

/** BLEU's sufficient statistics for one segment or, summed, for a corpus. */
export interface BleuStats {
  /** Hypothesis length in tokens. */
  readonly sysLen: number;
  /** Length of the closest reference (summed over a corpus). */
  readonly refLen: number;
  /** Per order 1..maxOrder, hypothesis n-grams matched in the references (clipped). */
  readonly counts: readonly number[];
  /** Per order 1..maxOrder, hypothesis n-grams. */
  readonly totals: readonly number[];
}

/**
 * The reference length BLEU's brevity penalty uses for one segment: the one closest to the
 * hypothesis length, the shorter on a tie (as sacrebleu and NLTK).
 *
 * @param hypLen - hypothesis length
 * @param refLens - reference lengths (non-empty)
 * @returns the closest reference length
 * @example
 * ```ts
 * closestRefLength(5, [3, 7, 6]); // 6
 * closestRefLength(5, [6, 4]); // 4
 * ```
 */
export function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let best = refLens[0] as number;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    const bestDiff = Math.abs(hypLen - best);
    if (diff < bestDiff || (diff === bestDiff && len < best)) best = len;
  }
  return best;
}

/**
 * Per order, the largest count of each n-gram over a set of references: the clipping ceilings
 * of BLEU's modified precision (Papineni et al. 2002, https://aclanthology.org/P02-1040/).
 *
 * @param references - tokenised references
 * @param maxOrder - highest order
 * @returns `maxOrder` maps, index n-1 for order n
 * @example
 * ```ts
 * referenceNgramMaxima([['a', 'a'], ['a', 'b']], 1)[0]; // Map { a => 2, b => 1 }
 * ```
 */
export function referenceNgramMaxima(
  references: readonly (readonly string[])[],
  maxOrder: number,
): Map<string, number>[] {
  return Array.from({ length: maxOrder }, (_, i) => {
    const maxima = new Map<string, number>();
    for (const ref of references) {
      for (const [ngram, count] of countNgrams(ref, i + 1)) {
        if (count > (maxima.get(ngram) ?? 0)) maxima.set(ngram, count);
      }
    }
    return maxima;
  });
}

/**
 * BLEU statistics of one hypothesis: its length, the closest reference length, and per order
 * the clipped matches and totals of its n-grams.
 *
 * @param hypothesis - tokenised hypothesis
 * @param refLens - reference lengths
 * @param refMaxCount - clipping ceiling of an n-gram of a given order (0 if absent)
 * @param maxOrder - highest order
 * @returns the segment's statistics
 * @example
 * ```ts
 * const maxima = referenceNgramMaxima([['the', 'cat']], 4);
 * bleuSegmentStats(['the', 'dog'], [2], (g, n) => maxima[n - 1]?.get(g) ?? 0, 4);
 * // { sysLen: 2, refLen: 2, counts: [1, 0, 0, 0], totals: [2, 1, 0, 0] }
 * ```
 */
export function bleuSegmentStats(
  hypothesis: readonly string[],
  refLens: readonly number[],
  refMaxCount: (ngram: string, order: number) => number,
  maxOrder: number,
): BleuStats {
  const counts: number[] = [];
  const totals: number[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    let matched = 0;
    let total = 0;
    for (const [ngram, count] of countNgrams(hypothesis, n)) {
      total += count;
      matched += Math.min(count, refMaxCount(ngram, n));
    }
    counts.push(matched);
    totals.push(total);
  }
  return { sysLen: hypothesis.length, refLen: closestRefLength(hypothesis.length, refLens), counts, totals };
}

/**
 * Sums segment statistics into corpus statistics (all segments must share `maxOrder`).
 *
 * @param stats - per-segment statistics
 * @param maxOrder - their order
 * @returns the element-wise sum (all zeros for no segments)
 * @example
 * ```ts
 * const a = { sysLen: 3, refLen: 4, counts: [2, 1], totals: [3, 2] };
 * sumBleuStats([a, a], 2); // { sysLen: 6, refLen: 8, counts: [4, 2], totals: [6, 4] }
 * ```
 */
export function sumBleuStats(stats: readonly BleuStats[], maxOrder: number): BleuStats {
  const counts = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  for (const s of stats) {
    sysLen += s.sysLen;
    refLen += s.refLen;
    for (let i = 0; i < maxOrder; i++) {
      counts[i] = (counts[i] as number) + (s.counts[i] as number);
      totals[i] = (totals[i] as number) + (s.totals[i] as number);
    }
  }
  return { sysLen, refLen, counts, totals };
}
