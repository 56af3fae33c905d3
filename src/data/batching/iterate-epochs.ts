import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import type { BatchSource } from '../batch-source.js';

/**
 * A batch and where it came from.
 * @example
 * ```ts
 * declare const source: BatchSource<CausalLMBatch>, trainStep: (batch: CausalLMBatch) => void;
 * for await (const { epoch, batch } of iterateEpochs(source, 3)) trainStep(batch);
 * ```
 */
export interface EpochBatch<Batch> {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** The batch. */
  readonly batch: Batch;
}

/**
 * Reads a {@link BatchSource} for `epochs` epochs: `startEpoch(e)`, then `next()` until null. An
 * endless source would never end an epoch, so `maxBatchesPerEpoch` caps each one.
 * @param source - the batches
 * @param epochs - how many epochs
 * @param maxBatchesPerEpoch - cap per epoch (default: until the source returns null)
 * @throws RangeArgumentError on a negative or fractional count
 * @example
 * ```ts
 * declare const blocks: TokenBlocks<Uint16Array>, options: ExampleBatchSourceOptions<Uint16Array, CausalLMBatch>;
 * declare const trainStep: (epoch: number, batch: CausalLMBatch) => void;
 * for await (const { epoch, batch } of iterateEpochs(exampleBatchSource(blocks, options), 2)) trainStep(epoch, batch);
 * ```
 */
export async function* iterateEpochs<Batch>(source: BatchSource<Batch>, epochs: number, maxBatchesPerEpoch = Infinity): AsyncGenerator<EpochBatch<Batch>> {
  assert(Number.isInteger(epochs) && epochs >= 0, RangeArgumentError, () => `epochs (${epochs}) must be a non-negative integer`);
  assert(maxBatchesPerEpoch > 0, RangeArgumentError, () => `maxBatchesPerEpoch (${maxBatchesPerEpoch}) must be positive`);
  for (let epoch = 0; epoch < epochs; epoch++) {
    source.startEpoch?.(epoch);
    for (let count = 0; count < maxBatchesPerEpoch; count++) {
      const batch = await source.next();
      if (batch === null) break;
      yield { epoch, batch };
    }
  }
}
