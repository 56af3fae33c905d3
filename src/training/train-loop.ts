import * as tf from '@tensorflow/tfjs-core';
import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import { optimizationStep, type TrainableModel } from './optimization-step.js';
import type { Optimizer } from './optimizer.js';

/** One progress report of {@link trainLoop}, emitted every `logEvery` optimizer steps. */
export interface TrainLog {
  /** Optimizer steps done so far. */
  readonly step: number;
  /** Mean training loss over the steps since the previous report. */
  readonly loss: number;
  /** Learning rate the next step will use. */
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
  readonly optimizer: Optimizer;
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
 * A minimal training loop: `steps` calls of {@link optimizationStep} (gradient accumulation,
 * optional global-norm clipping), reading device values only at report intervals. For
 * evaluation, callbacks, checkpoints and resumption use {@link Trainer}.
 *
 * @returns every report emitted
 * @example
 * ```ts
 * declare const model: GPTCausalLM, tokens: Int32Array;
 * const rng = new Rng(0);
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

  const logs: TrainLog[] = [];
  let losses: tf.Scalar[] = [];
  let lastNorm: tf.Scalar | null = null;
  let tokens = 0;
  let since = performance.now();
  try {
    for (let step = 0; step < steps; step++) {
      const { loss, gradNorm } = await optimizationStep(model, optimizer, async (micro) => {
        const batch = await options.nextBatch(step, micro);
        tokens += options.tokensInBatch?.(batch) ?? 0;
        return batch;
      }, accumulation, { maxGradNorm: options.maxGradNorm });
      losses.push(loss);
      lastNorm?.dispose();
      lastNorm = gradNorm;
      if (losses.length === logEvery || step === steps - 1) {
        const values = await Promise.all(losses.map((l) => l.data()));
        const elapsed = performance.now() - since;
        const log: TrainLog = {
          step: step + 1,
          loss: values.reduce((sum, v) => sum + (v[0] as number), 0) / values.length,
          learningRate: optimizer.currentLearningRate(),
          gradNorm: (await gradNorm.data())[0] as number,
          tokensPerSecond: tokens / (elapsed / 1000),
          msPerStep: elapsed / values.length,
        };
        tf.dispose(losses);
        losses = [];
        logs.push(log);
        await options.onLog?.(log);
        tokens = 0;
        since = performance.now();
      }
    }
  } finally {
    tf.dispose(losses);
    lastNorm?.dispose();
  }
  return logs;
}
