import { ConfigError, RangeArgumentError, ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';

/**
 * Fraction of positions where the prediction equals the label (`===`): classification accuracy,
 * or token accuracy over flattened ids.
 *
 * @param predictions - predicted labels (an array or a typed array)
 * @param labels - true labels, same length
 * @returns accuracy in [0, 1]
 * @throws ConfigError when an argument is not array-like; ShapeError when the lengths differ;
 *   RangeArgumentError when both are empty
 * @example
 * ```ts
 * accuracy(['pos', 'neg', 'pos'], ['pos', 'pos', 'pos']); // 0.666...
 * accuracy(new Int32Array([1, 2, 3]), [1, 2, 4]);         // 0.666...
 * ```
 */
export function accuracy<T extends string | number | boolean | bigint>(
  predictions: ArrayLike<T>,
  labels: ArrayLike<T>,
): number {
  for (const [name, value] of [['predictions', predictions], ['labels', labels]] as const) {
    assert(value !== null && typeof value === 'object' && typeof value.length === 'number', ConfigError,
      () => `accuracy: ${name} must be an array, got ${typeof value} (${String(value)})`);
  }
  assert(predictions.length === labels.length, ShapeError,
    () => `accuracy: predictions (${predictions.length}) and labels (${labels.length}) must have the same length`);
  assert(predictions.length > 0, RangeArgumentError, () => 'accuracy needs at least one prediction, got 0');
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / predictions.length;
}
