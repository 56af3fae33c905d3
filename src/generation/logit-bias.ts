import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, VocabularyError } from '../utils/errors.js';
import { assertLogits } from './assert-logits.js';

/** Token id → value added to its logit (OpenAI's `logit_bias`). */
export type LogitBiasMap = Readonly<Record<number, number>>;

/**
 * Checks a logit bias map.
 * @param bias - the value to check
 * @throws VocabularyError for a key that is not a token id; RangeArgumentError for a non-finite value
 * @example
 * ```ts
 * assertLogitBias({ 50256: -100 }); // passes
 * ```
 */
export function assertLogitBias(bias: LogitBiasMap): void {
  for (const [key, value] of Object.entries(bias)) {
    assert(/^\d+$/.test(key), VocabularyError, () => `logitBias key ${JSON.stringify(key)} is not a token id`);
    assert(Number.isFinite(value), RangeArgumentError, () => `logitBias[${key}] (${value}) must be finite`);
  }
}

/**
 * Adds a fixed bias to the logits of chosen tokens in every row, with OpenAI's `logit_bias`
 * semantics (https://platform.openai.com/docs/api-reference/chat/create#chat-create-logit_bias):
 * about -100 bans a token, +100 forces it, small values nudge.
 *
 * @param logits - `[B, V]` next-token logits
 * @param bias - token id → value to add
 * @returns new `[B, V]` logits (the caller disposes them)
 * @throws VocabularyError for a key outside the vocabulary; RangeArgumentError for a non-finite value
 * @example
 * ```ts
 * logitBias(tf.tensor2d([[1, 1, 1]]), { 0: -100, 2: 0.5 }); // [[-99, 1, 1.5]]
 * ```
 */
export function logitBias(logits: tf.Tensor, bias: LogitBiasMap): tf.Tensor2D {
  assertLogitBias(bias);
  assertLogits(logits, 'logitBias');
  const vocab = logits.shape[1];
  const dense = new Float32Array(vocab);
  for (const [key, value] of Object.entries(bias)) {
    const id = Number(key);
    assert(id < vocab, VocabularyError, () => `logitBias key ${id} is outside the vocabulary [0, ${vocab})`);
    dense[id] = value;
  }
  return tf.tidy(() => tf.add(logits, tf.tensor2d(dense, [1, vocab])));
}
