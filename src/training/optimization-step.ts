import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError } from '../utils/errors.js';
import { clipGradNorm } from './clip-grad-norm.js';
import type { Optimizer } from './optimizer.js';

/** What a training loop needs of a model: its named parameters and a loss. */
export interface TrainableModel<Batch> {
  /** Parameters by name; those with `trainable === false` are not updated. */
  namedParameters(): Array<[string, tf.Variable]>;
  /** Mean loss of one batch as a scalar the caller disposes. */
  computeLoss(batch: Batch, training: boolean): tf.Scalar;
  /** Generator states (dropout...) to checkpoint, JSON-serialisable; `Module` provides it. */
  getRandomState?(): Record<string, unknown>;
  /** Restores {@link TrainableModel.getRandomState}'s result. */
  setRandomState?(state: Record<string, unknown>): void;
  /** Files to store in every checkpoint (e.g. the model's `config.json`), by file name. */
  checkpointFiles?(): Record<string, string>;
}

/** Result of {@link optimizationStep}: device scalars the caller disposes (read them at log time). */
export interface OptimizationStepResult {
  /** Mean loss over the micro-batches. */
  readonly loss: tf.Scalar;
  /** Global gradient norm before clipping. */
  readonly gradNorm: tf.Scalar;
}

/** Options of {@link optimizationStep}. */
export interface OptimizationStepOptions {
  /** Clip the global gradient norm to this value (default: no clipping). */
  readonly maxGradNorm?: number;
  /**
   * Check every gradient for NaN/Inf before updating and throw a {@link NonFiniteError} naming the
   * first parameter whose gradient is not finite, leaving the weights and the optimizer untouched.
   * Costs one device read per update (default false).
   */
  readonly checkFinite?: boolean;
}

/**
 * One optimizer update: averages the gradients of `microBatches` batches (each loss scaled by
 * 1/microBatches, so equal-sized micro-batches give exactly the gradient of their union), clips
 * their global norm when `maxGradNorm` is set, and applies the optimizer. Nothing is read back from
 * the device (unless `checkFinite` asks) and nothing leaks.
 * @param model - the model whose trainable parameters are updated
 * @param nextBatch - supplies micro-batch `micro` (from 0)
 * @param options - clipping and the finite-gradient check
 * @throws NonFiniteError with `checkFinite`, naming the parameter whose gradient is NaN or infinite
 * @example
 * ```ts
 * declare const model: GPTCausalLM, optimizer: AdamW, batches: CausalLMBatch[];
 * const { loss, gradNorm } = await optimizationStep(model, optimizer, (m) => batches[m]!, 2, { maxGradNorm: 1 });
 * tf.dispose([loss, gradNorm]);
 * ```
 */
export async function optimizationStep<Batch>(
  model: TrainableModel<Batch>,
  optimizer: Optimizer,
  nextBatch: (micro: number) => Batch | Promise<Batch>,
  microBatches: number,
  options: OptimizationStepOptions = {},
): Promise<OptimizationStepResult> {
  const trainable = model.namedParameters().filter(([, v]) => v.trainable);
  const nameOf = new Map(trainable.map(([name, v]) => [v.name, name]));
  const variables = trainable.map(([, v]) => v);
  let loss: tf.Scalar = tf.scalar(0);
  let summed: Record<string, tf.Tensor> | null = null;
  try {
    for (let micro = 0; micro < microBatches; micro++) {
      const batch = await nextBatch(micro);
      const { value, grads } = tf.variableGrads(() => tf.div(model.computeLoss(batch, true), microBatches) as tf.Scalar, variables);
      const named = Object.fromEntries(Object.entries(grads).map(([id, g]) => [nameOf.get(id) as string, g]));
      const previousLoss = loss;
      loss = tf.add(loss, value);
      tf.dispose([previousLoss, value]);
      if (summed === null) summed = named;
      else {
        const accumulated: Record<string, tf.Tensor> = summed;
        summed = tf.tidy(() => Object.fromEntries(Object.entries(named).map(([k, g]) => [k, tf.add(accumulated[k] as tf.Tensor, g)])));
        tf.dispose([Object.values(accumulated), Object.values(named)]);
      }
    }
    if (options.checkFinite && summed) await assertFiniteGradients(summed);
    const clipped = clipGradNorm(summed ?? {}, options.maxGradNorm ?? Number.POSITIVE_INFINITY);
    try {
      optimizer.applyGradients(clipped.grads);
    } catch (error) {
      clipped.norm.dispose();
      throw error;
    } finally {
      tf.dispose(Object.values(clipped.grads));
    }
    return { loss, gradNorm: clipped.norm };
  } catch (error) {
    loss.dispose();
    throw error;
  } finally {
    if (summed) tf.dispose(Object.values(summed));
  }
}

/** Throws a {@link NonFiniteError} naming the first parameter whose gradient holds NaN or ±Inf. */
async function assertFiniteGradients(grads: Record<string, tf.Tensor>): Promise<void> {
  const names = Object.keys(grads);
  if (names.length === 0) return;
  const finite = tf.tidy(() => tf.stack(names.map((name) => tf.all(tf.isFinite(grads[name] as tf.Tensor)))));
  const flags = await finite.data();
  finite.dispose();
  const bad = flags.findIndex((flag) => flag === 0);
  if (bad >= 0) throw new NonFiniteError(`the gradient of ${names[bad]} holds NaN or infinite values; the update was not applied`);
}
