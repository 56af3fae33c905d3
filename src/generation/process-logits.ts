import * as tf from '@tensorflow/tfjs-core';
import { applyTemperature } from './apply-temperature.js';
import { minP } from './min-p.js';
import { topK } from './top-k.js';
import { topP } from './top-p.js';
import { typicalP } from './typical-p.js';

/** The sampling warpers {@link processLogits} applies, each optional. */
export interface LogitsProcessing {
  /** Divide logits by this (default 1: unchanged). */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  readonly topK?: number;
  /** Keep only the nucleus of probability mass p (default: all). */
  readonly topP?: number;
  /** Keep only tokens at least this fraction as likely as the most likely one (default: all). */
  readonly minP?: number;
  /** Keep only the locally typical tokens holding this mass (default: all). */
  readonly typicalP?: number;
}

/**
 * Applies the sampling warpers in the order of Hugging Face's `generate`: temperature, top-k,
 * top-p, min-p, typical-p. They shape the distribution a token is sampled from; greedy decoding
 * and beam search do not use them.
 *
 * @param logits - `[B, V]` next-token logits; not disposed
 * @param processing - which warpers to apply
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws RangeArgumentError or ShapeError from the warpers, naming the bad value
 * @example
 * ```ts
 * declare const logits: tf.Tensor2D; // [B, V] from a model step
 * const processed = processLogits(logits, { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 });
 * const tokens = await sample(processed, new Rng(0));
 * processed.dispose();
 * ```
 */
export function processLogits(logits: tf.Tensor, processing: LogitsProcessing): tf.Tensor2D {
  return tf.tidy(() => {
    let out = applyTemperature(logits, processing.temperature ?? 1);
    if (processing.topK !== undefined) out = topK(out, processing.topK);
    if (processing.topP !== undefined) out = topP(out, processing.topP);
    if (processing.minP !== undefined) out = minP(out, processing.minP);
    if (processing.typicalP !== undefined) out = typicalP(out, processing.typicalP);
    return out;
  });
}
