import * as tf from '@tensorflow/tfjs-core';
import type { Callback, LogEntry, Metrics, TrainerControl, TrainerState, WeightSnapshot } from '../callbacks/callback.js';
import type { BatchSource } from '../data/batch-source.js';
import { loadNamedParameters } from '../layers/module.js';
import { assert } from '../utils/assert.js';
import { ConfigError, NonFiniteError, RangeArgumentError } from '../utils/errors.js';
import { listCheckpoints, pruneCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { optimizationStep, type TrainableModel } from './optimization-step.js';
import type { Optimizer } from './optimizer.js';

/** When and what to evaluate. */
export interface EvaluationOptions<Batch> {
  /** A fresh pass over the evaluation batches, called once per evaluation. */
  readonly batches: () => Iterable<Batch> | AsyncIterable<Batch>;
  /** Evaluate every this many optimizer steps (default: only at epoch ends and at the end). */
  readonly every?: number;
  /**
   * More metrics to report with `eval_loss`, e.g. BLEU of generated text through
   * {@link evaluateGeneration}; names are prefixed with `eval_`.
   */
  readonly metrics?: () => Promise<Metrics> | Metrics;
}

/** Where and how often to checkpoint. */
export interface CheckpointOptions {
  /** Folder holding `checkpoint-<step>` folders. */
  readonly dir: string;
  /** Save every this many steps (default: only at the end). */
  readonly every?: number;
  /** How many recent checkpoints to keep besides the best (default 2). */
  readonly keepLast?: number;
  /** Metric that defines the best checkpoint, kept from pruning (default `eval_loss`). */
  readonly metric?: string;
  /** Whether lower (`min`, default) or higher (`max`) metric values are better. */
  readonly mode?: 'min' | 'max';
  /** Extra files stored in every checkpoint, e.g. `{ 'tokenizer.json': JSON.stringify(tokenizer) }`. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions<Batch> {
  /** What to train. */
  readonly model: TrainableModel<Batch>;
  /** How to update it; built over `model.namedParameters()`. */
  readonly optimizer: Optimizer;
  /** Training batches, read in epochs. */
  readonly train: BatchSource<Batch>;
  /** Stop after this many optimizer updates (required unless `maxEpochs` is set). */
  readonly maxSteps?: number;
  /** Stop after this many passes over `train` (required unless `maxSteps` is set). */
  readonly maxEpochs?: number;
  /** Micro-batches averaged per update (default 1). */
  readonly gradientAccumulationSteps?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  readonly maxGradNorm?: number;
  /** Report training metrics every this many updates (default 10); device values are read only then. */
  readonly logEvery?: number;
  /**
   * Check every update's gradients for NaN/Inf before applying them (one device read per update):
   * the run stops at the first bad update, naming the parameter, with the weights of the previous
   * step intact. Without it a non-finite loss is noticed at the next logging interval (default false).
   */
  readonly detectAnomaly?: boolean;
  /** Tokens in a batch, for tokens/s and token-weighted evaluation loss. */
  readonly tokensInBatch?: (batch: Batch) => number;
  /** Evaluation schedule and data. */
  readonly evaluation?: EvaluationOptions<Batch>;
  /** Checkpointing; required to resume. */
  readonly checkpoint?: CheckpointOptions;
  /** Hooks, called in order. */
  readonly callbacks?: readonly Callback[];
}

interface MutableState {
  /** Set when a non-finite loss ended the run: nothing is evaluated or saved after it. */
  diverged?: boolean;
  /** Step of the last checkpoint written by this run. */
  lastCheckpointStep?: number;
  step: number;
  epoch: number;
  maxSteps: number;
  logHistory: LogEntry[];
  best?: { name: string; value: number; step: number; path?: string };
  stopReason?: string;
}

/**
 * A model-agnostic training loop with evaluation, callbacks, NaN/Inf detection, checkpoints and
 * exact resumption. It trains anything with named parameters and a loss ({@link TrainableModel}).
 * Device values (losses, gradient norms) are read only at logging intervals; a non-finite loss
 * stops training and names the first step that produced it.
 *
 * Resuming from a checkpoint restores the weights, the optimizer, the data position (when the
 * source implements `getState`/`setState`), the step, epoch, log history and best metric, so `k`
 * steps, a stop and `N - k` more give the same weights as `N` straight (bitwise on the cpu backend).
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, optimizer: AdamW, tokens: Int32Array, validBatches: CausalLMBatch[];
 * const trainer = new Trainer({
 *   model, optimizer, train: randomWindowSource(tokens, { batchSize: 8, seqLength: 64, seed: 0 }),
 *   maxSteps: 1000, maxGradNorm: 1, evaluation: { batches: () => validBatches, every: 200 },
 *   checkpoint: { dir: 'runs/gpt', every: 200 }, callbacks: [new EarlyStopping({ patience: 3 })],
 * });
 * await trainer.train();             // or trainer.train('latest') to resume from the newest checkpoint
 * ```
 */
export class Trainer<Batch> {
  private readonly options: TrainerOptions<Batch>;
  private readonly callbacks: readonly Callback[];
  private readonly logEvery: number;
  private readonly accumulation: number;
  private readonly run: MutableState;
  private readonly control: TrainerControl;

  /** @throws ConfigError or RangeArgumentError naming the bad option */
  constructor(options: TrainerOptions<Batch>) {
    const { maxSteps, maxEpochs } = options;
    assert(maxSteps !== undefined || maxEpochs !== undefined, ConfigError, () => 'Trainer needs maxSteps or maxEpochs');
    for (const [name, value, min] of [
      ['maxSteps', maxSteps, 0], ['maxEpochs', maxEpochs, 0], ['gradientAccumulationSteps', options.gradientAccumulationSteps, 1],
      ['logEvery', options.logEvery, 1], ['evaluation.every', options.evaluation?.every, 1], ['checkpoint.every', options.checkpoint?.every, 1],
      ['checkpoint.keepLast', options.checkpoint?.keepLast, 1],
    ] as const) {
      assert(value === undefined || (Number.isInteger(value) && value >= min), RangeArgumentError,
        () => `${name} (${value}) must be an integer >= ${min}`);
    }
    assert(options.maxGradNorm === undefined || (options.maxGradNorm > 0 && Number.isFinite(options.maxGradNorm)), RangeArgumentError,
      () => `maxGradNorm (${options.maxGradNorm}) must be a positive finite number`);
    this.options = options;
    this.callbacks = options.callbacks ?? [];
    this.logEvery = options.logEvery ?? 10;
    this.accumulation = options.gradientAccumulationSteps ?? 1;
    this.run = { step: 0, epoch: 0, maxSteps: maxSteps ?? Number.POSITIVE_INFINITY, logHistory: [] };
    this.control = {
      requestStop: (reason) => { this.run.stopReason ??= reason; },
      snapshotWeights: () => this.snapshotWeights(),
      restoreWeights: (snapshot) => this.restoreWeights(snapshot),
    };
  }

  /** The run's state, read-only. */
  get state(): TrainerState {
    return this.run;
  }

  /**
   * Trains until `maxSteps`/`maxEpochs`, a callback's stop request or a non-finite loss.
   * @param resumeFrom - a checkpoint folder, or `'latest'` for the newest under `checkpoint.dir`
   * @returns the final state (its `stopReason` says why it ended)
   */
  async train(resumeFrom?: string): Promise<TrainerState> {
    const { train, maxEpochs } = this.options;
    // A resumed run continues the epoch it stopped in; a finished epoch's restored source returns null at once.
    let epochOpen = false;
    if (resumeFrom !== undefined) {
      await this.resume(resumeFrom);
      epochOpen = true;
    }
    await this.emit('onTrainBegin');
    const losses: Array<[number, tf.Scalar]> = [];
    let gradNorm: tf.Scalar | null = null;
    let tokens = 0;
    let since = performance.now();
    try {
      while (this.run.step < this.run.maxSteps && this.run.stopReason === undefined) {
        if (!epochOpen) {
          if (maxEpochs !== undefined && this.run.epoch >= maxEpochs) break;
          train.startEpoch?.(this.run.epoch);
          epochOpen = true;
          await this.emit('onEpochBegin');
        }
        const batches: Batch[] = [];
        while (batches.length < this.accumulation) {
          const batch = await train.next();
          if (batch === null) { epochOpen = false; break; }
          batches.push(batch);
        }
        if (batches.length > 0) {
          for (const b of batches) tokens += this.options.tokensInBatch?.(b) ?? 0;
          let result;
          try {
            result = await optimizationStep(this.options.model, this.options.optimizer, (m) => batches[m] as Batch, batches.length,
              { maxGradNorm: this.options.maxGradNorm, checkFinite: this.options.detectAnomaly });
          } catch (error) {
            if (!(error instanceof NonFiniteError)) throw error;
            this.run.diverged = true;
            this.run.stopReason = `${error.message} (step ${this.run.step + 1})`;
            break;
          }
          this.run.step++;
          losses.push([this.run.step, result.loss]);
          gradNorm?.dispose();
          gradNorm = result.gradNorm;
          await this.emit('onStepEnd');
          const last = this.run.step >= this.run.maxSteps;
          if (this.run.step % this.logEvery === 0 || last || !epochOpen) {
            await this.logTraining(losses, gradNorm, tokens, performance.now() - since);
            tokens = 0;
            since = performance.now();
          }
          if (this.run.stopReason !== undefined) break;
          const every = this.options.evaluation?.every;
          if ((every !== undefined && this.run.step % every === 0) || (!epochOpen && this.options.evaluation)) await this.evaluateAndRecord();
          const saveEvery = this.options.checkpoint?.every;
          if (saveEvery !== undefined && this.run.step % saveEvery === 0) await this.saveCheckpoint();
        }
        if (!epochOpen) {
          await this.emit('onEpochEnd');
          this.run.epoch++;
        }
      }
      if (!this.run.diverged) {
        if (this.options.evaluation && this.run.logHistory.at(-1)?.metrics.eval_loss === undefined) await this.evaluateAndRecord();
        await this.saveCheckpoint();
      }
      this.run.stopReason ??= this.run.step >= this.run.maxSteps ? `reached maxSteps (${this.run.maxSteps})` : `reached maxEpochs (${maxEpochs})`;
      await this.emit('onTrainEnd');
      return this.run;
    } finally {
      tf.dispose(losses.map(([, l]) => l));
      gradNorm?.dispose();
    }
  }

  /**
   * Mean loss over the evaluation batches (token-weighted when `tokensInBatch` is given), plus the
   * `evaluation.metrics` values.
   * @returns `eval_loss`, `eval_perplexity` and `eval_<name>` for each extra metric
   */
  async evaluate(): Promise<Metrics> {
    const evaluation = this.options.evaluation;
    assert(evaluation !== undefined, ConfigError, () => 'Trainer.evaluate needs the evaluation option');
    let total = tf.scalar(0);
    let weight = 0;
    for await (const batch of evaluation.batches()) {
      const w = this.options.tokensInBatch?.(batch) ?? 1;
      const next = tf.tidy(() => tf.add(total, tf.mul(this.options.model.computeLoss(batch, false), w)));
      total.dispose();
      total = next as tf.Scalar;
      weight += w;
    }
    const sum = (await total.data())[0] as number;
    total.dispose();
    assert(weight > 0, ConfigError, () => 'evaluation.batches() yielded no batch');
    const loss = sum / weight;
    const extra = Object.entries((await evaluation.metrics?.()) ?? {}).map(([name, value]) => [`eval_${name}`, value]);
    return { eval_loss: loss, eval_perplexity: Math.exp(loss), ...Object.fromEntries(extra) };
  }

  private async logTraining(losses: Array<[number, tf.Scalar]>, gradNorm: tf.Scalar, tokens: number, elapsedMs: number): Promise<void> {
    const values = await Promise.all(losses.map(async ([step, l]) => [step, (await l.data())[0] as number] as const));
    tf.dispose(losses.map(([, l]) => l));
    losses.length = 0;
    const bad = values.find(([, v]) => !Number.isFinite(v));
    if (bad) {
      this.run.diverged = true;
      this.run.stopReason = `non-finite loss (${bad[1]}) at step ${bad[0]}`;
      return;
    }
    const metrics: Metrics = {
      loss: values.reduce((s, [, v]) => s + v, 0) / values.length,
      learning_rate: this.options.optimizer.currentLearningRate(),
      grad_norm: (await gradNorm.data())[0] as number,
      tokens_per_second: tokens / (elapsedMs / 1000),
      ms_per_step: elapsedMs / values.length,
    };
    const entry: LogEntry = { step: this.run.step, epoch: this.run.epoch, metrics };
    this.run.logHistory.push(entry);
    await this.emit('onLog', entry);
  }

  private async evaluateAndRecord(): Promise<void> {
    const metrics = await this.evaluate();
    const entry: LogEntry = { step: this.run.step, epoch: this.run.epoch, metrics };
    this.run.logHistory.push(entry);
    const name = this.options.checkpoint?.metric ?? 'eval_loss';
    const value = metrics[name];
    await this.emit('onEvaluate', entry);
    if (value === undefined) return;
    const better = (this.options.checkpoint?.mode ?? 'min') === 'min' ? value < (this.run.best?.value ?? Infinity) : value > (this.run.best?.value ?? -Infinity);
    if (better) {
      this.run.best = { name, value, step: this.run.step };
      await this.saveCheckpoint(); // a checkpoint at every new best, kept from pruning
    }
  }

  /** Writes a checkpoint of the current step (once per step), then prunes old ones. */
  private async saveCheckpoint(): Promise<void> {
    const options = this.options.checkpoint;
    if (!options || this.run.lastCheckpointStep === this.run.step) return;
    const { model, optimizer, train } = this.options;
    const { best, logHistory } = this.run;
    const path = await writeCheckpoint(options.dir, model.namedParameters(), await optimizer.getState(), {
      step: this.run.step,
      epoch: this.run.epoch,
      trainer: { logHistory, best, data: train.getState?.(), random: model.getRandomState?.(), options: this.settings() },
    }, { ...model.checkpointFiles?.(), ...options.files });
    this.run.lastCheckpointStep = this.run.step;
    if (best && best.step === this.run.step) best.path = path;
    await pruneCheckpoints(options.dir, options.keepLast ?? 2, new Set(best?.path ? [best.path] : []));
    await this.emit('onCheckpointSaved', path);
  }

  /** The JSON-able training settings, recorded in each checkpoint's state for reference. */
  private settings(): Record<string, unknown> {
    const { maxSteps, maxEpochs, gradientAccumulationSteps, maxGradNorm, logEvery, evaluation, checkpoint } = this.options;
    return {
      maxSteps, maxEpochs, gradientAccumulationSteps, maxGradNorm, logEvery,
      evaluationEvery: evaluation?.every, checkpointEvery: checkpoint?.every, keepLast: checkpoint?.keepLast, metric: checkpoint?.metric,
    };
  }

  /** Loads a checkpoint into the model, optimizer, data source and state. */
  private async resume(from: string): Promise<void> {
    const dir = this.options.checkpoint?.dir;
    const path = from === 'latest' ? (dir ? (await listCheckpoints(dir)).at(-1)?.path : undefined) : from;
    assert(path !== undefined, ConfigError, () => `no checkpoint to resume from in ${dir ?? '(no checkpoint.dir)'}`);
    const checkpoint = await readCheckpoint(path);
    try {
      loadNamedParameters(this.options.model.namedParameters(), checkpoint.weights, `the model (from checkpoint ${path})`);
      this.options.optimizer.setState(checkpoint.optimizer);
    } finally {
      tf.dispose(Object.values(checkpoint.weights));
    }
    const saved = checkpoint.state.trainer as { logHistory?: LogEntry[]; best?: MutableState['best']; data?: unknown; random?: Record<string, unknown> };
    if (saved.random !== undefined) this.options.model.setRandomState?.(saved.random);
    if (saved.data !== undefined) {
      assert(this.options.train.setState !== undefined, ConfigError, () => `checkpoint ${path} holds a data position but the train source has no setState`);
      this.options.train.setState(saved.data);
    }
    this.run.step = checkpoint.state.step;
    this.run.epoch = checkpoint.state.epoch;
    this.run.logHistory = saved.logHistory ?? [];
    if (saved.best) this.run.best = saved.best;
    this.run.lastCheckpointStep = this.run.step;
  }

  private async snapshotWeights(): Promise<WeightSnapshot> {
    const entries = await Promise.all(this.options.model.namedParameters().map(async ([name, v]) =>
      [name, { shape: [...v.shape], data: Float32Array.from(await v.data() as Float32Array) }] as const));
    return new Map(entries);
  }

  private restoreWeights(snapshot: WeightSnapshot): void {
    tf.tidy(() => {
      for (const [name, v] of this.options.model.namedParameters()) {
        const saved = snapshot.get(name);
        assert(saved !== undefined, ConfigError, () => `weight snapshot lacks ${name}`);
        v.assign(tf.tensor(saved.data, [...saved.shape], v.dtype));
      }
    });
  }

  private async emit(event: 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onStepEnd'): Promise<void>;
  private async emit(event: 'onLog' | 'onEvaluate', entry: LogEntry): Promise<void>;
  private async emit(event: 'onCheckpointSaved', path: string): Promise<void>;
  private async emit(event: keyof Callback, arg?: LogEntry | string): Promise<void> {
    for (const callback of this.callbacks) {
      const hook = callback[event] as ((...args: unknown[]) => void | Promise<void>) | undefined;
      if (!hook) continue;
      await (arg === undefined ? hook.call(callback, this.run, this.control) : hook.call(callback, arg, this.run, this.control));
    }
  }
}
