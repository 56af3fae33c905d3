import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError } from '../utils/errors.js';
import { bleuPreprocessor, bleuSignature } from './bleu.js';
import { checkStringList, nrefsLabel } from './bleu-inputs.js';
import { SENTENCE_BLEU_DEFAULTS, resolveBleuOptions, type BleuOptions } from './bleu-options.js';
import { bleuFromStats } from './bleu-score.js';
import { bleuSegmentStats } from './bleu-stats.js';
import { countNgrams } from './ngrams.js';

/** Self-BLEU of a set of texts. */
export interface SelfBleuResult {
  /** Mean of `scores`, 0-100: higher means less diverse. */
  readonly score: number;
  /** Per text, its sentence BLEU against all the other texts. */
  readonly scores: readonly number[];
  /** Signature of the sentence BLEU used (`nrefs` is the number of other texts, or `var`). */
  readonly signature: string;
}

/** For one n-gram: its largest count over the texts, how many texts reach it, and the runner-up. */
interface TopCounts {
  max: number;
  atMax: number;
  second: number;
}

/** Records `count` in an n-gram's top-two counts. */
function addCount(top: TopCounts, count: number): void {
  if (count > top.max) [top.second, top.max, top.atMax] = [top.max, count, 1];
  else if (count === top.max) top.atMax++;
  else if (count > top.second) top.second = count;
}

/**
 * Self-BLEU, a diversity measure for generated text (Zhu et al. 2018, Texygen,
 * https://arxiv.org/abs/1802.01886): each text is scored with sentence BLEU as the hypothesis
 * against ALL the other texts as its references, and the scores are averaged. Exactly:
 * `mean_i sentenceBleu(texts[i], texts without i, options).score`, where, as in sacrebleu, empty
 * texts are dropped from the references (but still scored, as 0); the sentence-BLEU defaults apply
 * (13a, exp smoothing, maxOrder 4, effective order). The result equals that definition but is
 * computed in one pass (each text's n-grams are counted once, and the clipping ceiling against
 * "all texts but i" comes from the top two counts of every n-gram).
 *
 * Texygen itself uses NLTK's `sentence_bleu` on `word_tokenize`d text, 3-grams by default,
 * `SmoothingFunction().method1` and a 0-1 scale; on pre-tokenised texts of at least `maxOrder`
 * tokens, `{ tokenize: 'none', maxOrder: 3, smooth: 'floor', smoothValue: 0.1,
 * effectiveOrder: false }` gives the same numbers times 100.
 *
 * @param texts - at least two texts (e.g. model samples)
 * @param options - sentence BLEU options (see {@link BleuOptions})
 * @returns the mean score, the per-text scores and the signature
 * @throws ConfigError for non-string texts or bad options
 * @throws RangeArgumentError for fewer than two texts
 * @throws ShapeError when a text has no non-empty other text
 * @example
 * ```ts
 * selfBleu(['the cat sat on the mat', 'the cat sat on a mat', 'a dog ran']).score;
 * ```
 */
export function selfBleu(texts: readonly string[], options?: BleuOptions): SelfBleuResult {
  checkStringList(texts, 'selfBleu: texts');
  assert(texts.length >= 2, RangeArgumentError,
    () => `selfBleu: needs at least 2 texts to compare, got ${texts.length}`);
  const resolved = resolveBleuOptions(options, SENTENCE_BLEU_DEFAULTS, 'selfBleu');
  const { maxOrder } = resolved;
  const preprocess = bleuPreprocessor(resolved);
  const tokens = texts.map(preprocess);
  const isReference = texts.map((t) => t !== '');
  const referenceCount = isReference.filter(Boolean).length;

  const counts = tokens.map((t) => Array.from({ length: maxOrder }, (_, i) => countNgrams(t, i + 1)));
  const tops = Array.from({ length: maxOrder }, () => new Map<string, TopCounts>());
  counts.forEach((perOrder, j) => {
    if (!isReference[j]) return;
    perOrder.forEach((ngrams, i) => {
      const top = tops[i] as Map<string, TopCounts>;
      for (const [ngram, count] of ngrams) {
        const entry = top.get(ngram) ?? { max: 0, atMax: 0, second: 0 };
        addCount(entry, count);
        top.set(ngram, entry);
      }
    });
  });

  const nrefs = new Set<number>();
  const scores = tokens.map((hyp, i) => {
    const refLens = tokens.filter((_, j) => j !== i && isReference[j]).map((t) => t.length);
    assert(refLens.length > 0, ShapeError, () =>
      `selfBleu: texts[${i}] has no non-empty other text to compare with (texts: ${texts.length}, `
      + `non-empty: ${referenceCount})`);
    nrefs.add(refLens.length);
    const ceiling = (ngram: string, n: number): number => {
      const top = tops[n - 1]?.get(ngram);
      if (top === undefined) return 0;
      const own = isReference[i] ? (counts[i]?.[n - 1]?.get(ngram) ?? 0) : 0;
      return own === top.max && top.atMax === 1 ? top.second : top.max;
    };
    return bleuFromStats(bleuSegmentStats(hyp, refLens, ceiling, maxOrder), resolved).score;
  });
  return {
    score: scores.reduce((sum, s) => sum + s, 0) / scores.length,
    scores,
    signature: bleuSignature(nrefsLabel(nrefs), resolved),
  };
}
