import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../layers/module.js';
import { assertPositiveInteger } from '../layers/validate.js';
import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError } from '../utils/errors.js';

/**
 * Options of {@link DomainEmbedding}.
 *
 * @example
 * ```ts
 * const options: DomainEmbeddingOptions = { initStd: 0.02, seed: 1 };
 * ```
 */
export interface DomainEmbeddingOptions {
  /** Standard deviation of a normal init; 0 (the default) starts every row at zero, so the model is unchanged until trained. */
  readonly initStd?: number;
  /** Seed of the normal init (default 0). */
  readonly seed?: number;
}

/**
 * One learned vector per domain or style label (news, poetry, code...), added to every token's
 * input embedding so one model can be conditioned on several domains (as BERT's segment
 * embeddings, or CTRL's control codes learned as vectors). Train it alone with the model frozen,
 * or together with the model.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * const domains = new DomainEmbedding(3, model.config.hiddenSize);
 * const offset = domains.forward([0, 2]); // [2, 1, D]: add it to a batch of two rows
 * offset.dispose();
 * ```
 */
export class DomainEmbedding extends Module {
  /** `[numDomains, dim]`. */
  readonly weight: tf.Variable;

  /**
   * @param numDomains - number of domain labels (ids `0 .. numDomains - 1`)
   * @param dim - the model's hidden size
   * @throws ConfigError for sizes that are not positive integers; RangeArgumentError for a negative initStd
   */
  constructor(readonly numDomains: number, readonly dim: number, options: DomainEmbeddingOptions = {}) {
    super();
    assertPositiveInteger('numDomains', numDomains);
    assertPositiveInteger('dim', dim);
    const std = options.initStd ?? 0;
    assert(Number.isFinite(std) && std >= 0, RangeArgumentError, () => `initStd (${std}) must be finite and >= 0`);
    this.weight = std === 0
      ? this.createParameter(() => tf.zeros([numDomains, dim]))
      : this.createNormalParameter([numDomains, dim], std, options.seed ?? 0);
  }

  /**
   * The vectors of a batch's domain labels, shaped to broadcast over time.
   * @param domainIds - one label per row, in `[0, numDomains)`
   * @returns `[B, 1, dim]`; the caller disposes it
   * @throws RangeArgumentError for a label outside `[0, numDomains)`; ShapeError for no labels
   */
  forward(domainIds: ArrayLike<number>): tf.Tensor3D {
    const ids = Array.from(domainIds);
    assert(ids.length > 0, ShapeError, () => 'domainIds must hold one label per batch row, got none');
    ids.forEach((id, row) => assert(Number.isInteger(id) && id >= 0 && id < this.numDomains, RangeArgumentError,
      () => `domainIds[${row}] is ${id}, outside [0, ${this.numDomains})`));
    return tf.tidy(() => tf.expandDims(tf.gather(this.weight, tf.tensor1d(ids, 'int32')), 1) as tf.Tensor3D); // [B, D] -> [B, 1, D]
  }
}
