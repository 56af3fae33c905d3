/** Metric values by name (`loss`, `learning_rate`, `eval_loss`, ...). */
export type Metrics = Readonly<Record<string, number>>;

/** One row of the training log: metrics reported at a step. */
export interface LogEntry {
  /** Optimizer updates done when the metrics were taken. */
  readonly step: number;
  /** Epoch in progress (from 0). */
  readonly epoch: number;
  /** The metrics. */
  readonly metrics: Metrics;
}

/** The best value seen of the monitored metric. */
export interface BestMetric {
  /** Metric name, e.g. `eval_loss`. */
  readonly name: string;
  /** Best value. */
  readonly value: number;
  /** Step at which it was reached. */
  readonly step: number;
}

/** Read-only view of a training run, passed to every callback. */
export interface TrainerState {
  /** Optimizer updates done so far. */
  readonly step: number;
  /** Epoch in progress (from 0). */
  readonly epoch: number;
  /** Update count at which training ends. */
  readonly maxSteps: number;
  /** Every log entry so far (training and evaluation), oldest first. */
  readonly logHistory: readonly LogEntry[];
  /** Best value of the checkpoint metric, when one is monitored. */
  readonly best?: BestMetric;
  /** Why training stopped or will stop, once decided. */
  readonly stopReason?: string;
}

/** Parameter values copied off the device, e.g. to restore the best weights later. */
export type WeightSnapshot = ReadonlyMap<string, SlotValues>;

/** A tensor's values copied off the device. */
export interface SlotValues {
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** Its values in row-major order. */
  readonly data: Float32Array;
}

/** What a callback may ask of the trainer. */
export interface TrainerControl {
  /** Stops training after the current step; the reason is recorded in the state. */
  requestStop(reason: string): void;
  /** Copies the current parameters off the device. */
  snapshotWeights(): Promise<WeightSnapshot>;
  /** Writes a snapshot back into the parameters. */
  restoreWeights(snapshot: WeightSnapshot): void;
}

/**
 * Hooks into a training run. Every method is optional and may be async; the trainer awaits each
 * in the order the callbacks were given. Callbacks see the state read-only and act through
 * {@link TrainerControl}.
 *
 * @example
 * ```ts
 * const lossCurve: number[] = [];
 * const recordLoss: Callback = { onLog: (entry) => { lossCurve.push(entry.metrics.loss ?? NaN); } };
 * ```
 */
export interface Callback {
  /** Before the first step. */
  onTrainBegin?(state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** After the last step (also after a requested stop). */
  onTrainEnd?(state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** When an epoch starts. */
  onEpochBegin?(state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** When an epoch's batches are exhausted. */
  onEpochEnd?(state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** After every optimizer update (no device values are read for it). */
  onStepEnd?(state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** At each logging interval, with the training metrics. */
  onLog?(entry: LogEntry, state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** After each evaluation, with its metrics (`eval_loss`, ...). */
  onEvaluate?(entry: LogEntry, state: TrainerState, control: TrainerControl): void | Promise<void>;
  /** After a checkpoint folder was written. */
  onCheckpointSaved?(path: string, state: TrainerState, control: TrainerControl): void | Promise<void>;
}
