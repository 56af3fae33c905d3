/**
 * The probability that LSH banding makes two documents of Jaccard similarity `similarity` a
 * candidate pair: `1 - (1 - s^rows)^bands` (Leskovec, Rajaraman & Ullman, "Mining of Massive
 * Datasets", ch. 3.4). Use it to choose bands and rows: the S-curve rises steeply around
 * {@link lshThreshold}.
 * @param similarity - Jaccard similarity in [0, 1]
 * @param bands - number of bands
 * @param rows - signature rows per band
 * @example
 * ```ts
 * lshCandidateProbability(0.8, 16, 8); // 0.947
 * lshCandidateProbability(0.5, 16, 8); // 0.061
 * ```
 */
export function lshCandidateProbability(similarity: number, bands: number, rows: number): number {
  return 1 - (1 - similarity ** rows) ** bands;
}

/**
 * The similarity where the LSH S-curve is steepest, about `(1 / bands)^(1 / rows)`: pairs much
 * above it almost always become candidates, pairs much below it rarely do.
 * @param bands - number of bands
 * @param rows - signature rows per band
 * @example
 * ```ts
 * lshThreshold(16, 8); // 0.707
 * ```
 */
export function lshThreshold(bands: number, rows: number): number {
  return (1 / bands) ** (1 / rows);
}
