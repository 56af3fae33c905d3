import type { Callback, LogEntry, TrainerState } from './callback.js';

/** Where {@link ProgressBar} writes: `process.stderr` or any stream-like object. */
export interface TextSink {
  /** Writes text as is. */
  write(text: string): unknown;
  /** True for an interactive terminal: the bar is redrawn in place. */
  readonly isTTY?: boolean;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Output (default `process.stderr`). */
  readonly sink?: TextSink;
  /** Width of the bar in characters (default 24). */
  readonly width?: number;
}

/** `1h02m`, `3m07s`, `12s`. */
function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Shows training progress: step, loss, learning rate, tokens/s and time left. On a terminal
 * (`isTTY`) one line is redrawn at each log; elsewhere (CI, files) each log prints a plain line.
 * Evaluations print their metrics on their own line.
 *
 * @example
 * ```ts
 * declare const options: TrainerOptions<CausalLMBatch>;
 * await new Trainer({ ...options, callbacks: [new ProgressBar()] }).train();
 * // step 120/1000 [==>                     ] loss 2.3451 lr 3.00e-4 1,234 tok/s ETA 3m12s
 * ```
 */
export class ProgressBar implements Callback {
  private readonly sink: TextSink;
  private readonly width: number;
  private drawn = false;

  /** @param options - output and bar width */
  constructor(options: ProgressBarOptions = {}) {
    this.sink = options.sink ?? process.stderr;
    this.width = options.width ?? 24;
  }

  /** Redraws (terminal) or prints (plain) the training line. */
  onLog(entry: LogEntry, state: TrainerState): void {
    const m = entry.metrics;
    const total = Number.isFinite(state.maxSteps) ? state.maxSteps : undefined;
    const done = total ? Math.min(1, entry.step / total) : 0;
    const filled = Math.round(done * this.width);
    const bar = total ? ` [${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(this.width - filled)}]` : '';
    const eta = total && m.ms_per_step !== undefined ? ` ETA ${formatDuration(((total - entry.step) * m.ms_per_step) / 1000)}` : '';
    const rate = m.tokens_per_second ? ` ${Math.round(m.tokens_per_second).toLocaleString('en-US')} tok/s` : '';
    const line = `step ${entry.step}${total ? `/${total}` : ''}${bar} loss ${m.loss?.toFixed(4)} lr ${m.learning_rate?.toExponential(2)}${rate}${eta}`;
    if (this.sink.isTTY) {
      this.sink.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** Prints the evaluation metrics on their own line. */
  onEvaluate(entry: LogEntry): void {
    const metrics = Object.entries(entry.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ');
    this.sink.write(`${this.endLine()}eval at step ${entry.step}: ${metrics}\n`);
  }

  /** Ends the redrawn line and prints why training stopped. */
  onTrainEnd(state: TrainerState): void {
    this.sink.write(`${this.endLine()}training stopped at step ${state.step}: ${state.stopReason ?? 'done'}\n`);
  }

  private endLine(): string {
    const prefix = this.drawn ? '\n' : '';
    this.drawn = false;
    return prefix;
  }
}
