/** A finished beam: its tokens (eos excluded), length-normalised score and insertion order. */
export interface BeamHypothesis {
  /** Generated tokens, eos excluded. */
  readonly tokens: number[];
  /** Summed log-probabilities over length ** lengthPenalty. */
  readonly score: number;
  /** How many hypotheses were added before it (breaks ties). */
  readonly order: number;
}

/**
 * The best `numBeams` finished hypotheses of one prompt in beam search, with Hugging Face's
 * `BeamHypotheses` rules: a hypothesis scores `sumLogProbs / length ** lengthPenalty` (length =
 * generated tokens, eos included), and {@link BeamHypotheses.isDone} implements `earlyStopping`
 * `true` (stop once `numBeams` are finished), `false` (stop when the best open beam, normalised at
 * the current length, cannot beat the worst kept one) and `'never'` (stop only when no open beam
 * can: with `lengthPenalty > 0` its best score is reached at `maxNewTokens`).
 *
 * @example
 * ```ts
 * const hyps = new BeamHypotheses(2, 1, false, 10);
 * hyps.add([4, 2], -1.5, 3);
 * hyps.isDone(-0.2, 3); // false: fewer than 2 hypotheses
 * ```
 */
export class BeamHypotheses {
  /** Kept hypotheses, in insertion order. */
  readonly beams: BeamHypothesis[] = [];
  private worst = 1e9;
  private added = 0;

  /**
   * @param numBeams - how many hypotheses to keep
   * @param lengthPenalty - exponent of the length normalisation
   * @param earlyStopping - the stopping rule
   * @param maxNewTokens - the longest possible generation (for `'never'`)
   */
  constructor(
    readonly numBeams: number, readonly lengthPenalty: number,
    readonly earlyStopping: boolean | 'never', readonly maxNewTokens: number,
  ) {}

  /** Offers a finished hypothesis of `length` generated tokens whose log-probabilities sum to `sumLogProbs`. */
  add(tokens: number[], sumLogProbs: number, length: number): void {
    const score = sumLogProbs / length ** this.lengthPenalty;
    if (this.beams.length >= this.numBeams && score <= this.worst) return;
    this.beams.push({ tokens, score, order: this.added++ });
    if (this.beams.length > this.numBeams) {
      const ranked = this.beams.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      this.beams.splice((ranked[0] as readonly [number, number])[1], 1);
      this.worst = (ranked[1] as readonly [number, number])[0];
    } else {
      this.worst = Math.min(score, this.worst);
    }
  }

  /** Whether no open beam whose log-probabilities sum to `bestSumLogProbs` after `length` tokens can still enter. */
  isDone(bestSumLogProbs: number, length: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    const best = this.earlyStopping === 'never' && this.lengthPenalty > 0
      ? bestSumLogProbs / this.maxNewTokens ** this.lengthPenalty
      : bestSumLogProbs / length ** this.lengthPenalty;
    return this.worst >= best;
  }

  /** The `n` best hypotheses, best first (on equal scores, the later added first, as Hugging Face's pop). */
  best(n: number): BeamHypothesis[] {
    return [...this.beams].sort((a, b) => b.score - a.score || b.order - a.order).slice(0, n);
  }
}
