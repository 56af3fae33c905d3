import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A tensor as the fixture scripts write it. */
export interface EncodedTensor {
  readonly shape: number[];
  readonly data: number[];
}

/**
 * Reads a JSON fixture from `test/fixtures/`.
 *
 * @example
 * ```ts
 * const fx = readFixture<Record<string, any>>('layers.json');
 * ```
 */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/**
 * Decodes a fixture tensor.
 *
 * @example
 * ```ts
 * const x = decode({ shape: [2], data: [1, 2] });
 * ```
 */
export function decode(t: EncodedTensor, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(t.data, t.shape, dtype);
}

/** Decodes a record of fixture tensors (e.g. a state dict). */
export function decodeAll(ts: Record<string, EncodedTensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(ts).map(([k, v]) => [k, decode(v)]));
}

/**
 * Expects `actual` to have `expected`'s shape and values within `tol` (absolute).
 *
 * @example
 * ```ts
 * expectClose(tf.tensor1d([1]), { shape: [1], data: [1] });
 * ```
 */
export function expectClose(actual: tf.Tensor, expected: EncodedTensor | number[] | tf.Tensor, tol = 1e-5): void {
  let shape: number[] | undefined;
  let data: ArrayLike<number>;
  if (expected instanceof tf.Tensor) {
    shape = expected.shape;
    data = expected.dataSync();
  } else if (Array.isArray(expected)) {
    data = expected;
  } else {
    shape = expected.shape;
    data = expected.data;
  }
  if (shape !== undefined) expect(actual.shape).toEqual(shape);
  const got = actual.dataSync();
  expect(got.length).toBe(data.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (data[i] as number)));
  expect(worst).toBeLessThanOrEqual(tol);
}
