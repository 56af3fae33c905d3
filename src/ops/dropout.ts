import * as tf from '@tensorflow/tfjs-core';
import { RangeArgumentError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1). */
  readonly rate: number;
  /** Seed of this call's mask; pass a fresh one per call (e.g. `rng.nextSeed()`). */
  readonly seed: number;
  /** Dropout is applied only while training. */
  readonly training: boolean;
}

/**
 * Checks that a dropout rate lies in [0, 1).
 *
 * @param rate - the rate to check
 * @param name - the argument's name, for the message
 * @throws RangeArgumentError naming the rate otherwise
 * @example
 * ```ts
 * assertDropoutRate(0.1); // ok
 * ```
 */
export function assertDropoutRate(rate: number, name = 'dropout rate'): void {
  assert(Number.isFinite(rate) && rate >= 0 && rate < 1, RangeArgumentError,
    () => `${name} (${rate}) must be in [0, 1)`);
}

/**
 * Inverted dropout: while training, zeroes each element with probability `rate` and scales the
 * rest by `1 / (1 - rate)`, so inference needs no rescaling. Returns `x` itself when not training
 * or when `rate` is 0.
 * Paper: https://jmlr.org/papers/v15/srivastava14a.html
 *
 * @param x - float32 tensor of any shape
 * @returns a tensor of the same shape
 * @throws RangeArgumentError when `rate` is outside [0, 1)
 * @example
 * ```ts
 * const y = dropout(tf.ones([4]), { rate: 0.5, seed: 1, training: true }); // entries 0 or 2
 * ```
 */
export function dropout(x: tf.Tensor, options: DropoutOptions): tf.Tensor {
  assertDropoutRate(options.rate);
  if (!options.training || options.rate === 0) return x;
  return tf.tidy(() => tf.dropout(x, options.rate, undefined, options.seed));
}
