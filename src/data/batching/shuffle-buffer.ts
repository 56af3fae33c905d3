import { assert } from '../../utils/assert.js';
import { RangeArgumentError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';

/**
 * Options of {@link shuffleBuffer}.
 * @example
 * ```ts
 * const options: ShuffleBufferOptions = { bufferSize: 10_000, seed: 0 };
 * ```
 */
export interface ShuffleBufferOptions {
  /** Items held at once; larger mixes better (1 = no shuffling), memory grows with it. */
  readonly bufferSize: number;
  /** Seed of the draws. */
  readonly seed: number;
}

/**
 * Approximately shuffles a stream too large to hold in memory, as `tf.data`'s `shuffle`: the first
 * `bufferSize` items fill a buffer; then each incoming item takes the place of a uniformly drawn
 * buffered item, which is emitted; at the end the rest of the buffer is emitted in random order.
 * Every item comes out exactly once; the order depends only on the seed and the input order.
 * @param source - the items
 * @throws RangeArgumentError on a bufferSize that is not a positive integer
 * @example
 * ```ts
 * const shuffled: string[] = [];
 * for await (const doc of shuffleBuffer(readTextFiles('corpus.txt', { split: 'line' }), { bufferSize: 10_000, seed: 0 })) shuffled.push(doc);
 * ```
 */
export async function* shuffleBuffer<T>(source: AsyncIterable<T> | Iterable<T>, options: ShuffleBufferOptions): AsyncGenerator<T> {
  const { bufferSize, seed } = options;
  assert(Number.isInteger(bufferSize) && bufferSize > 0, RangeArgumentError, () => `bufferSize (${bufferSize}) must be a positive integer`);
  const rng = new Rng(seed);
  const buffer: T[] = [];
  for await (const item of source) {
    if (buffer.length < bufferSize) {
      buffer.push(item);
      continue;
    }
    const j = rng.nextInt(bufferSize);
    const out = buffer[j] as T;
    buffer[j] = item;
    yield out;
  }
  yield* rng.shuffle(buffer);
}
