/**
 * Where a trainer gets its batches. A source is read in epochs: `next()` returns batches until
 * it returns `null` (end of epoch); an endless source (random windows) never returns null. A source
 * that can report and restore its position (`getState`/`setState`) makes training resumable
 * exactly where it stopped.
 *
 * @typeParam Batch - what the model's loss takes
 * @example
 * ```ts
 * declare const tokens: Uint16Array;
 * const source = randomWindowSource(tokens, { batchSize: 8, seqLength: 64, seed: 0 });
 * const batch = source.next();
 * ```
 */
export interface BatchSource<Batch> {
  /** The next batch of the current epoch, or null when the epoch is over. */
  next(): Batch | null | Promise<Batch | null>;
  /** Prepares epoch `epoch` (from 0), e.g. reshuffles; called before its first `next()`. */
  startEpoch?(epoch: number): void;
  /** The position in the data as JSON-serialisable state, for checkpoints. */
  getState?(): unknown;
  /** Restores a position returned by `getState`. */
  setState?(state: unknown): void;
}
