import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';

/**
 * Checks a sampling temperature.
 * @param temperature - the value to check
 * @throws RangeArgumentError naming it unless it is finite and > 0
 * @example
 * ```ts
 * assertTemperature(0.7); // passes
 * ```
 */
export function assertTemperature(temperature: number): void {
  assert(temperature > 0 && Number.isFinite(temperature), RangeArgumentError,
    () => `temperature (${temperature}) must be finite and > 0`);
}

/**
 * Divides logits by a temperature: below 1 sharpens the distribution towards the most likely
 * token (greedy in the limit), above 1 flattens it towards uniform.
 *
 * @param logits - `[B, V]` next-token logits
 * @param temperature - finite, > 0
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError when `temperature` is not finite and > 0
 * @throws ShapeError when `logits` is not `[B, V]`
 * @example
 * ```ts
 * applyTemperature(tf.tensor2d([[1, 2]]), 0.5); // [[2, 4]]
 * ```
 */
export function applyTemperature(logits: tf.Tensor, temperature: number): tf.Tensor2D {
  assertTemperature(temperature);
  assertLogits(logits, 'applyTemperature');
  return tf.tidy(() => tf.div(logits, temperature));
}
