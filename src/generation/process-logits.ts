import * as tf from '@tensorflow/tfjs-core';
import { applyTemperature } from './apply-temperature.js';
import { topK } from './top-k.js';
import { topP } from './top-p.js';

/** The logits processors {@link processLogits} applies, each optional. */
export interface LogitsProcessing {
  /** Divide logits by this (default 1: unchanged). */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  readonly topK?: number;
  /** Keep only the nucleus of probability mass p (default: all). */
  readonly topP?: number;
}

/**
 * Applies temperature, then top-k, then top-p — the order Hugging Face's `generate` uses — to a
 * batch of next-token logits before sampling.
 *
 * @param logits - `[B, V]` next-token logits; not disposed
 * @param processing - which processors to apply
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError or ShapeError from the processors, naming the bad value
 * @example
 * ```ts
 * const processed = processLogits(logits, { temperature: 0.8, topK: 40, topP: 0.95 });
 * const tokens = await sample(processed, new Rng(0));
 * processed.dispose();
 * ```
 */
export function processLogits(logits: tf.Tensor, processing: LogitsProcessing): tf.Tensor2D {
  return tf.tidy(() => {
    let out = applyTemperature(logits, processing.temperature ?? 1);
    if (processing.topK !== undefined) out = topK(out, processing.topK);
    if (processing.topP !== undefined) out = topP(out, processing.topP);
    return out;
  });
}
