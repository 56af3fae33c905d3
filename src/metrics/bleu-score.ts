import type { BleuStats } from './bleu-stats.js';
import type { ResolvedBleuOptions } from './bleu-options.js';

/** A BLEU score with its parts, as sacrebleu's `BLEUScore`. */
export interface BleuScore {
  /** BLEU, 0-100. */
  readonly score: number;
  /** Per order, the (smoothed) n-gram precision, 0-100. */
  readonly precisions: readonly number[];
  /** Brevity penalty, 0-1. */
  readonly bp: number;
  /** `sysLen / refLen` (0 when `refLen` is 0). */
  readonly ratio: number;
  /** Hypothesis tokens. */
  readonly sysLen: number;
  /** Closest-reference tokens. */
  readonly refLen: number;
  /** Per order, matched n-grams (with `add-k`, k is included from order 2 on, as in sacrebleu). */
  readonly counts: readonly number[];
  /** Per order, hypothesis n-grams (with `add-k`, k is included from order 2 on). */
  readonly totals: readonly number[];
}

/** sacrebleu's floored logarithm: log 0 is -9999999999, so a zero precision zeroes BLEU. */
function flooredLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * BLEU from its sufficient statistics, exactly as sacrebleu's `BLEU.compute_bleu`
 * (Papineni et al. 2002, https://aclanthology.org/P02-1040/; Post 2018,
 * https://aclanthology.org/W18-6319/): brevity penalty `exp(1 - refLen / sysLen)` when the
 * hypotheses are shorter (0 when empty), score 0 when nothing matches, smoothing as described on
 * `BleuSmoothing`, and the geometric mean taken over all `maxOrder` orders, or with
 * `effectiveOrder` only up to the last order that has hypothesis n-grams. Precision is computed
 * only up to the first order without hypothesis n-grams; later ones stay 0.
 *
 * @param stats - corpus or segment statistics with `maxOrder` entries per order
 * @param options - smoothing and order settings
 * @returns the score and its parts
 * @example
 * ```ts
 * bleuFromStats({ sysLen: 11, refLen: 11, counts: [9, 7, 5, 3], totals: [10, 8, 6, 4] },
 *   { smooth: 'exp', smoothValue: 0, maxOrder: 4, effectiveOrder: false }).score; // 83.759...
 * ```
 */
export function bleuFromStats(
  stats: BleuStats,
  options: Pick<ResolvedBleuOptions, 'smooth' | 'smoothValue' | 'maxOrder' | 'effectiveOrder'>,
): BleuScore {
  const { smooth, smoothValue, maxOrder, effectiveOrder } = options;
  const { sysLen, refLen } = stats;
  const counts = stats.counts.slice(0, maxOrder);
  const totals = stats.totals.slice(0, maxOrder);
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const ratio = refLen ? sysLen / refLen : 0;
  const precisions = new Array<number>(maxOrder).fill(0);
  const parts = { precisions, bp, ratio, sysLen, refLen, counts, totals };
  if (counts.every((c) => c === 0)) return { score: 0, ...parts };

  let halvings = 1;
  let order = maxOrder;
  for (let i = 0; i < maxOrder; i++) {
    if (smooth === 'add-k' && i > 0) {
      counts[i] = (counts[i] as number) + smoothValue;
      totals[i] = (totals[i] as number) + smoothValue;
    }
    const count = counts[i] as number;
    const total = totals[i] as number;
    if (total === 0) break;
    if (effectiveOrder) order = i + 1;
    if (count > 0) precisions[i] = (100 * count) / total;
    else if (smooth === 'exp') {
      halvings *= 2;
      precisions[i] = 100 / (halvings * total);
    } else if (smooth === 'floor') precisions[i] = (100 * smoothValue) / total;
  }
  const logSum = precisions.slice(0, order).reduce((sum, p) => sum + flooredLog(p), 0);
  return { score: bp * Math.exp(logSum / order), ...parts };
}
