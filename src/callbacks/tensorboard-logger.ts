import type { Callback, LogEntry, TrainerState } from './callback.js';
import { TensorBoardWriter } from './tensorboard/tensorboard-writer.js';

/** Options of {@link TensorBoardLogger}. */
export interface TensorBoardLoggerOptions {
  /** The run's directory (`tensorboard --logdir` its parent to compare runs). */
  readonly logDir: string;
  /** Produces text to log at each evaluation (e.g. a generated sample), under the tag `samples`. */
  readonly sample?: (state: TrainerState) => string | Promise<string>;
}

/**
 * Logs every training metric as `train/<name>` and every evaluation metric as `eval/<name>` to
 * TensorBoard event files, optionally with a text sample at each evaluation. Files are flushed at
 * each evaluation and closed when training ends.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, tokenizer: Tokenizer, prompt: number[];
 * const tensorboard = new TensorBoardLogger({
 *   logDir: 'runs/gpt',
 *   sample: async () => tokenizer.decode((await model.generate([prompt], { maxNewTokens: 100 }))[0]!),
 * });
 * ```
 */
export class TensorBoardLogger implements Callback {
  private readonly options: TensorBoardLoggerOptions;
  private writer: TensorBoardWriter | undefined;

  /** @param options - directory and optional sampler */
  constructor(options: TensorBoardLoggerOptions) {
    this.options = options;
  }

  /** Opens a new event file. */
  async onTrainBegin(): Promise<void> {
    this.writer = await TensorBoardWriter.open(this.options.logDir);
  }

  /** Writes the training metrics. */
  onLog(entry: LogEntry): void {
    this.writer?.addScalars(entry.step, prefixed('train/', entry));
  }

  /** Writes the evaluation metrics and the sample, then flushes. */
  async onEvaluate(entry: LogEntry, state: TrainerState): Promise<void> {
    if (!this.writer) return;
    this.writer.addScalars(entry.step, prefixed('eval/', entry));
    if (this.options.sample) this.writer.addText('samples', await this.options.sample(state), entry.step);
    await this.writer.flush();
  }

  /** Closes the event file. */
  async onTrainEnd(): Promise<void> {
    await this.writer?.close();
    this.writer = undefined;
  }
}

function prefixed(prefix: string, entry: LogEntry): Record<string, number> {
  return Object.fromEntries(Object.entries(entry.metrics).map(([name, value]) => [`${prefix}${name.replace(/^eval_/, '')}`, value]));
}
