import { countNgrams } from './ngrams.js';
import { removeWhitespace, splitWhitespace } from './tokenizers/split-whitespace.js';

/** ASCII punctuation (Python's `string.punctuation`), which chrF++ splits off words. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * chrF++'s word tokenisation, as sacrebleu's `_remove_punctuation` (from Popović's chrF++.py):
 * split on whitespace, then split one ASCII punctuation character off the end of a word, or
 * else off its start (`(hi)` gives `(hi` and `)`); one-character words stay whole.
 *
 * @param segment - one segment
 * @returns its words
 * @example
 * ```ts
 * splitPunctuation('Hello, (world)!'); // ['Hello', ',', '(world)', '!']
 * ```
 */
export function splitPunctuation(segment: string): string[] {
  const words: string[] = [];
  for (const word of splitWhitespace(segment)) {
    const chars = Array.from(word);
    if (chars.length === 1) words.push(word);
    else if (PUNCTUATION.has(chars[chars.length - 1] as string)) {
      words.push(chars.slice(0, -1).join(''), chars[chars.length - 1] as string);
    } else if (PUNCTUATION.has(chars[0] as string)) {
      words.push(chars[0] as string, chars.slice(1).join(''));
    } else words.push(word);
  }
  return words;
}

/**
 * The n-gram counts chrF compares: character n-grams of orders 1..`charOrder` (over code points;
 * whitespace removed unless `whitespace`), then word n-grams of orders 1..`wordOrder` (chrF++,
 * words from {@link splitPunctuation}).
 *
 * @param segment - one (already lowercased, if wanted) segment
 * @param charOrder - highest character order
 * @param wordOrder - highest word order (0 for plain chrF)
 * @param whitespace - keep whitespace inside character n-grams
 * @returns `charOrder + wordOrder` count maps
 * @example
 * ```ts
 * chrfNgrams('a b', 2, 0, false); // [Map { a => 1, b => 1 }, Map { ab => 1 }]
 * ```
 */
export function chrfNgrams(
  segment: string,
  charOrder: number,
  wordOrder: number,
  whitespace: boolean,
): Map<string, number>[] {
  const chars = Array.from(whitespace ? segment : removeWhitespace(segment));
  const maps: Map<string, number>[] = [];
  for (let n = 1; n <= charOrder; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const key = chars.slice(i, i + n).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    maps.push(counts);
  }
  const words = wordOrder > 0 ? splitPunctuation(segment) : [];
  for (let n = 1; n <= wordOrder; n++) maps.push(countNgrams(words, n));
  return maps;
}

/**
 * chrF match statistics of a hypothesis against one reference: per order the triplet
 * [hypothesis n-grams, reference n-grams, matched n-grams], flattened. As in sacrebleu, the
 * hypothesis count is 0 for an order where the reference has no n-grams.
 *
 * @param hyp - hypothesis count maps from {@link chrfNgrams}
 * @param ref - reference count maps, same orders
 * @returns `3 * orders` numbers
 * @example
 * ```ts
 * chrfMatchStats(chrfNgrams('aa', 1, 0, false), chrfNgrams('ab', 1, 0, false)); // [2, 2, 1]
 * ```
 */
export function chrfMatchStats(
  hyp: readonly Map<string, number>[],
  ref: readonly Map<string, number>[],
): number[] {
  const stats: number[] = [];
  hyp.forEach((hypCounts, i) => {
    const refCounts = ref[i] as Map<string, number>;
    let hypTotal = 0;
    let matched = 0;
    for (const [ngram, count] of hypCounts) {
      hypTotal += count;
      matched += Math.min(count, refCounts.get(ngram) ?? 0);
    }
    let refTotal = 0;
    for (const count of refCounts.values()) refTotal += count;
    stats.push(refCounts.size > 0 ? hypTotal : 0, refTotal, matched);
  });
  return stats;
}

/**
 * chrF from match statistics, as sacrebleu 2.x's `CHRF._compute_f_score` (Popović 2015,
 * https://aclanthology.org/W15-3049/). By default (sacrebleu's `eps_smoothing=False`),
 * precision and recall are averaged over the orders where both hypothesis and reference have
 * n-grams, then combined into one F-beta. With `epsSmoothing` (chrF++.py, NLTK, Moses), an
 * F-beta is computed per order, with 1e-16 standing in for undefined precisions, recalls and
 * F-scores, and averaged over all orders.
 *
 * @param stats - flattened [hyp, ref, match] triplets, one per order
 * @param beta - recall weight (2 in chrF2)
 * @param epsSmoothing - per-order averaging with epsilon smoothing
 * @returns the score, 0-100
 * @example
 * ```ts
 * chrfFromStats([2, 2, 1, 1, 1, 0], 3, false); // 25 ("aa" against "ab")
 * ```
 */
export function chrfFromStats(stats: readonly number[], beta: number, epsSmoothing: boolean): number {
  const eps = 1e-16;
  const factor = beta ** 2;
  const orders = stats.length / 3;
  let fSum = 0;
  let precSum = 0;
  let recSum = 0;
  let effectiveOrder = 0;
  for (let i = 0; i < orders; i++) {
    const [nHyp, nRef, nMatch] = stats.slice(3 * i, 3 * i + 3) as [number, number, number];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    fSum += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      precSum += prec;
      recSum += rec;
      effectiveOrder++;
    }
  }
  if (epsSmoothing) return (100 * fSum) / orders;
  const avgPrec = effectiveOrder === 0 ? 0 : precSum / effectiveOrder;
  const avgRec = effectiveOrder === 0 ? 0 : recSum / effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  return (100 * (((1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec)));
}
