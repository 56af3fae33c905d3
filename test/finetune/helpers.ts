import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import type { CausalLMBatch } from '../../src/data/causal-lm-batch.js';

/** The hf-tiny GPT-2 checkpoint (vocab 320, 2 layers, D 64). */
export const HF_TINY_GPT2 = fileURLToPath(new URL('../../../shared/fixtures/hf-tiny/gpt2/', import.meta.url));

/**
 * A tiny next-token task: rows of an arithmetic sequence `start, start + step, ...` mod `vocab`,
 * labels shifted by one (the last label repeats the pattern).
 */
export function sequenceBatch(vocab: number, batchSize = 2, seqLength = 8, step = 3): CausalLMBatch {
  const inputIds = new Int32Array(batchSize * seqLength);
  const labels = new Int32Array(batchSize * seqLength);
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < seqLength; t++) {
      inputIds[b * seqLength + t] = (b * 7 + t * step) % vocab;
      labels[b * seqLength + t] = (b * 7 + (t + 1) * step) % vocab;
    }
  }
  return { batchSize, seqLength, inputIds, labels };
}

/** Copies of every parameter's values, by name. */
export function snapshot(params: Array<[string, tf.Variable]>): Map<string, Float32Array> {
  return new Map(params.map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
}

/** Whether two arrays hold the same bits. */
export function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.length === ub.length && ua.every((x, i) => x === ub[i]);
}

/** Largest absolute difference of two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}
