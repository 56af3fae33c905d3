import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { AdamW } from './adamw.js';
import { clipGradNorm } from './clip-grad-norm.js';

/** What the training loop needs of a model: its named parameters and a loss. */
export interface TrainableModel<Batch> {
  /** Parameters by name; those with `trainable === false` are not updated. */
  namedParameters(): Array<[string, tf.Variable]>;
  /** Mean loss of one batch as a scalar the caller disposes. */
  computeLoss(batch: Batch, training: boolean): tf.Scalar;
}

/** One progress report of {@link trainLoop}, emitted every `logEvery` optimizer steps. */
export interface TrainLog {
  /** Optimizer steps done so far. */
  readonly step: number;
  /** Mean training loss over the steps since the previous report. */
  readonly loss: number;
  /** Learning rate of the latest step. */
  readonly learningRate: number;
  /** Global gradient norm of the latest step, before clipping. */
  readonly gradNorm: number;
  /** Training throughput since the previous report. */
  readonly tokensPerSecond: number;
  /** Wall time per optimizer step since the previous report, in milliseconds. */
  readonly msPerStep: number;
}

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions<Batch> {
  /** Updates the parameters; it must have been built over the model's named parameters. */
  readonly optimizer: AdamW;
  /** Number of optimizer steps to run. */
  readonly steps: number;
  /** Supplies micro-batch `micro` of optimizer step `step` (both from 0). */
  readonly nextBatch: (step: number, micro: number) => Batch | Promise<Batch>;
  /** Tokens in a batch, for tokens/s (default: not counted, reported as 0). */
  readonly tokensInBatch?: (batch: Batch) => number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  readonly maxGradNorm?: number;
  /** Micro-batches whose gradients are averaged per optimizer step (default 1). */
  readonly gradientAccumulationSteps?: number;
  /** Report every this many optimizer steps (default 10); the loss is read back only then. */
  readonly logEvery?: number;
  /** Receives each report. */
  readonly onLog?: (log: TrainLog) => void | Promise<void>;
}

/**
 * A minimal training loop: for each step, averages the gradients of `gradientAccumulationSteps`
 * micro-batches, optionally clips their global norm, and applies the optimizer. Device values are
 * read only at report intervals. The full Trainer (callbacks, checkpoints, evaluation) builds on
 * this.
 *
 * @returns every report emitted
 * @example
 * ```ts
 * const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-4 });
 * await trainLoop(model, { optimizer, steps: 100, nextBatch: () => sampleWindows(tokens, { batchSize: 8, seqLength: 64, rng }) });
 * ```
 */
export async function trainLoop<Batch>(model: TrainableModel<Batch>, options: TrainLoopOptions<Batch>): Promise<TrainLog[]> {
  const { optimizer, steps } = options;
  const accumulation = options.gradientAccumulationSteps ?? 1;
  const logEvery = options.logEvery ?? 10;
  assert(Number.isInteger(steps) && steps >= 0, RangeArgumentError, () => `steps (${steps}) must be a non-negative integer`);
  assert(Number.isInteger(accumulation) && accumulation >= 1, RangeArgumentError,
    () => `gradientAccumulationSteps (${accumulation}) must be a positive integer`);
  assert(Number.isInteger(logEvery) && logEvery >= 1, RangeArgumentError, () => `logEvery (${logEvery}) must be a positive integer`);
  assert(options.maxGradNorm === undefined || (options.maxGradNorm > 0 && Number.isFinite(options.maxGradNorm)), RangeArgumentError,
    () => `maxGradNorm (${options.maxGradNorm}) must be a positive finite number`);

  const trainable = model.namedParameters().filter(([, v]) => v.trainable);
  const nameOf = new Map(trainable.map(([name, v]) => [v.name, name]));
  const variables = trainable.map(([, v]) => v);
  const logs: TrainLog[] = [];
  let lossSum = tf.scalar(0);
  let lastNorm = tf.scalar(0);
  let tokens = 0;
  let stepsSinceLog = 0;
  let since = performance.now();

  for (let step = 0; step < steps; step++) {
    let summed: Record<string, tf.Tensor> | null = null;
    for (let micro = 0; micro < accumulation; micro++) {
      const batch = await options.nextBatch(step, micro);
      tokens += options.tokensInBatch?.(batch) ?? 0;
      const { value, grads } = tf.variableGrads(() => tf.div(model.computeLoss(batch, true), accumulation) as tf.Scalar, variables);
      const named = Object.fromEntries(Object.entries(grads).map(([id, g]) => [nameOf.get(id) as string, g]));
      const previousLoss = lossSum;
      lossSum = tf.add(lossSum, value);
      previousLoss.dispose();
      value.dispose();
      if (summed === null) summed = named;
      else {
        const accumulated: Record<string, tf.Tensor> = summed;
        summed = tf.tidy(() => Object.fromEntries(Object.entries(named).map(([k, g]) => [k, tf.add(accumulated[k] as tf.Tensor, g)])));
        tf.dispose([Object.values(accumulated), Object.values(named)]);
      }
    }
    const grads = summed as Record<string, tf.Tensor>;
    const clipped = clipGradNorm(grads, options.maxGradNorm ?? Number.POSITIVE_INFINITY);
    lastNorm.dispose();
    lastNorm = clipped.norm;
    optimizer.applyGradients(clipped.grads);
    tf.dispose([Object.values(grads), Object.values(clipped.grads)]);
    stepsSinceLog++;

    if (stepsSinceLog === logEvery || step === steps - 1) {
      const [loss, gradNorm] = await Promise.all([lossSum.data(), lastNorm.data()]);
      const elapsed = performance.now() - since;
      const log: TrainLog = {
        step: step + 1,
        loss: (loss[0] as number) / stepsSinceLog,
        learningRate: optimizer.currentLearningRate(),
        gradNorm: gradNorm[0] as number,
        tokensPerSecond: tokens / (elapsed / 1000),
        msPerStep: elapsed / stepsSinceLog,
      };
      logs.push(log);
      await options.onLog?.(log);
      lossSum.dispose();
      lossSum = tf.scalar(0);
      tokens = 0;
      stepsSinceLog = 0;
      since = performance.now();
    }
  }
  lossSum.dispose();
  lastNorm.dispose();
  return logs;
}
