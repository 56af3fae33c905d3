import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { Callback, LogEntry, TrainerControl, TrainerState, WeightSnapshot } from './callback.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Metric to watch, from evaluation or training log entries (default `eval_loss`). */
  readonly monitor?: string;
  /** `min` (default): lower is better; `max`: higher is better. */
  readonly mode?: 'min' | 'max';
  /** Reports (evaluations, or logs for a training metric) without improvement tolerated before stopping (default 3). */
  readonly patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  readonly minDelta?: number;
  /** A value the metric must beat to count as improving at all (default none). */
  readonly baseline?: number;
  /** At the end of training, put back the weights of the best evaluation (default false). */
  readonly restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored metric (any logged one: `eval_loss`, `loss`, `eval_bleu`...)
 * stops improving, with Keras' semantics:
 * a value improves when it beats the best so far (or the baseline) by more than `minDelta`;
 * after `patience` evaluations without improvement, training stops and the reason is recorded.
 * With `restoreBestWeights`, the weights of the best evaluation are copied off the device when it
 * happens and written back when training ends (unless the last evaluation was the best).
 *
 * @example
 * ```ts
 * declare const options: TrainerOptions<CausalLMBatch>;
 * const stopper = new EarlyStopping({ monitor: 'eval_loss', patience: 2, restoreBestWeights: true });
 * await new Trainer({ ...options, callbacks: [stopper] }).train();
 * stopper.bestStep; // step of the best evaluation
 * ```
 */
export class EarlyStopping implements Callback {
  private readonly monitor: string;
  private readonly mode: 'min' | 'max';
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly baseline: number | undefined;
  private readonly restoreBest: boolean;
  private wait = 0;
  private best: number | undefined;
  private bestWeights: WeightSnapshot | undefined;
  private lastImprovedAt = -1;
  private lastEvaluatedAt = -1;
  /** Step of the best evaluation so far, or -1. */
  bestStep = -1;
  /** Step at which this callback stopped training, or -1. */
  stoppedStep = -1;

  /** @throws RangeArgumentError for a negative patience or minDelta */
  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'eval_loss';
    this.mode = options.mode ?? 'min';
    this.patience = options.patience ?? 3;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.baseline = options.baseline;
    this.restoreBest = options.restoreBestWeights ?? false;
    assert(Number.isInteger(this.patience) && this.patience >= 0, RangeArgumentError,
      () => `patience (${options.patience}) must be a non-negative integer`);
    assert(Number.isFinite(this.minDelta), RangeArgumentError, () => `minDelta (${options.minDelta}) must be finite`);
  }

  /** The best value of the monitored metric so far. */
  get bestValue(): number | undefined {
    return this.best;
  }

  /** Watches training logs too, for a monitored training metric such as `loss`. */
  onLog(entry: LogEntry, state: TrainerState, control: TrainerControl): Promise<void> {
    return this.onEvaluate(entry, state, control);
  }

  /** Watches each evaluation; requests a stop when patience runs out. */
  async onEvaluate(entry: LogEntry, _state: TrainerState, control: TrainerControl): Promise<void> {
    const value = entry.metrics[this.monitor];
    if (value === undefined) return;
    this.lastEvaluatedAt = entry.step;
    const reference = this.best ?? this.baseline;
    const improved = reference === undefined
      || (this.mode === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestStep = entry.step;
      this.lastImprovedAt = entry.step;
      this.wait = 0;
      if (this.restoreBest) this.bestWeights = await control.snapshotWeights();
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedStep = entry.step;
      const best = this.best === undefined ? `baseline ${this.baseline}` : `best ${this.best} at step ${this.bestStep}`;
      control.requestStop(`early stopping: ${this.monitor} did not improve by more than ${this.minDelta} for ${this.wait} evaluation(s) (${best})`);
    }
  }

  /** Restores the best weights when asked to and they are not the current ones. */
  onTrainEnd(_state: TrainerState, control: TrainerControl): void {
    if (this.bestWeights && this.lastImprovedAt !== this.lastEvaluatedAt) control.restoreWeights(this.bestWeights);
    this.bestWeights = undefined;
  }
}
