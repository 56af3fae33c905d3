import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { ShapeError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { assertPositiveInteger } from './validate.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Standard deviation of the normal init (default 0.02, GPT-2/BERT). */
  readonly initStd?: number;
  /** Seed of the init. */
  readonly seed: number;
}

/**
 * Lookup table of learned vectors, one row per token id. {@link Embedding.attend} reuses the table
 * as the output projection (weight tying, https://arxiv.org/abs/1608.05859), as GPT-2 does.
 * Ids must lie in `[0, numEmbeddings)`; validate ids held in JS before uploading them.
 *
 * @example
 * ```ts
 * const wte = new Embedding(100, 16, { seed: 1 });
 * const h = wte.forward(tf.tensor2d([[1, 2, 3]], undefined, 'int32')); // [1, 3, 16]
 * const logits = wte.attend(h); // [1, 3, 100]
 * wte.dispose();
 * ```
 */
export class Embedding extends Module {
  /** `[numEmbeddings, dim]`, initialised normal(0, initStd); replaced by {@link Embedding.setWeight}. */
  weight: tf.Variable;

  /**
   * @param numEmbeddings - number of rows (vocabulary size)
   * @param dim - size of each vector
   */
  constructor(public numEmbeddings: number, readonly dim: number, options: EmbeddingOptions) {
    super();
    assertPositiveInteger('numEmbeddings', numEmbeddings);
    assertPositiveInteger('dim', dim);
    const std = options.initStd ?? 0.02;
    this.weight = this.createNormalParameter([numEmbeddings, dim], std, options.seed);
  }

  /**
   * Replaces the table by a copy of `weight` (any number of rows, e.g. a vocabulary grown or cut),
   * keeping the parameter's trainable flag; the old variable is disposed.
   * @param weight - `[rows, dim]`; the caller keeps ownership
   * @throws ShapeError when `weight` is not `[rows >= 1, dim]`
   * @example
   * ```ts
   * declare const wte: Embedding, extraRows: tf.Tensor2D;
   * wte.setWeight(tf.concat([wte.weight, extraRows])); // [V + n, dim]
   * ```
   */
  setWeight(weight: tf.Tensor): void {
    assert(weight.rank === 2 && weight.shape[1] === this.dim && (weight.shape[0] as number) > 0, ShapeError,
      () => `Embedding.setWeight expects [rows, ${this.dim}], got [${weight.shape}]`);
    const trainable = this.weight.trainable;
    this.weight.dispose();
    this.weight = this.createParameter(() => tf.cast(weight, 'float32'), trainable);
    this.numEmbeddings = weight.shape[0] as number;
  }

  /**
   * @param ids - int32 ids of any shape `[...]`
   * @returns `[..., dim]`
   */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]); // [...] -> [N]
      const rows = tf.gather(this.weight, flat); // [N, dim]
      return tf.reshape(rows, [...ids.shape, this.dim]); // [N, dim] -> [..., dim]
    });
  }

  /**
   * Scores every row against `x`: `x @ weight^T`, the tied language-model head.
   *
   * @param x - `[..., dim]`
   * @returns `[..., numEmbeddings]`
   * @throws ShapeError when the last axis is not `dim`
   */
  attend(x: tf.Tensor): tf.Tensor {
    assert(x.shape[x.rank - 1] === this.dim, ShapeError,
      () => `Embedding.attend expects [..., ${this.dim}], got [${x.shape}]`);
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.dim]); // [..., dim] -> [N, dim]
      const scores = tf.matMul(flat, this.weight, false, true); // [N, numEmbeddings]
      return tf.reshape(scores, [...x.shape.slice(0, -1), this.numEmbeddings]); // [N, V] -> [..., V]
    });
  }
}
