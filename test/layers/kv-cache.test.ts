import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { appendKVCache, disposeKVCache, kvCacheLength } from '../../src/layers/kv-cache.js';
import { expectClose } from '../helpers/fixtures.js';

describe('KV cache helpers', () => {
  it('appends along the position axis and reports the length', () => {
    const k1 = tf.ones([1, 2, 3, 4]);
    const k2 = tf.zeros([1, 2, 1, 4]);
    const first = appendKVCache(undefined, k1, k1);
    expect(first.key).toBe(k1);
    expect(kvCacheLength(undefined)).toBe(0);
    const next = appendKVCache(first, k2, k2);
    expect(kvCacheLength(next)).toBe(4);
    expectClose(tf.slice(next.value, [0, 0, 3, 0], [1, 2, 1, 4]), new Array(8).fill(0), 0);
    disposeKVCache(first);
    disposeKVCache(next);
    k2.dispose();
    expect(k1.isDisposed && next.key.isDisposed).toBe(true);
  });

  it('keeps tensors shared with the cache that stays alive', () => {
    const key = tf.ones([1, 1, 2, 2]);
    const value = tf.ones([1, 1, 2, 2]);
    const cache = { key, value };
    disposeKVCache(cache, cache);
    expect(key.isDisposed || value.isDisposed).toBe(false);
    disposeKVCache(cache);
    expect(key.isDisposed && value.isDisposed).toBe(true);
  });
});
