import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assert } from '../utils/assert.js';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { Callback, LogEntry, TrainerState } from './callback.js';
import { renderReportPage } from './html-report/report-page.js';

/** Options of {@link HtmlReport}. */
export interface HtmlReportOptions {
  /** The HTML file to write (e.g. `runs/gpt/report.html`); its folder is created. */
  readonly path: string;
  /** Page title (default `Training report`). */
  readonly title?: string;
  /** Settings to show in a table at the end of the report (model and training config). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Rewrite the file at every this many log or evaluation entries (default 1: at each); it is always written when training ends. */
  readonly every?: number;
  /** Draw the loss chart on a log scale (default false). */
  readonly logScaleLoss?: boolean;
  /** While training runs, the page asks the browser to reload it every this many seconds (default: no automatic reload). */
  readonly autoRefreshSeconds?: number;
  /**
   * Text samples to show (e.g. generations from fixed prompts), asked for at every evaluation and
   * when training ends; the report shows the latest ones with their step.
   */
  readonly samples?: () => Promise<readonly string[]> | readonly string[];
}

/**
 * Writes one self-contained HTML report of a training run (inline SVG charts and CSS; no script,
 * font or URL, so it opens offline and can be attached anywhere): the summary (steps, best metric
 * and its step, stop reason, wall time), a line chart of every logged metric over steps (training
 * and evaluation loss together; learning rate, gradient norm, tokens/s and each `eval_*` metric on
 * their own), the latest text samples when a `samples` function is given, and the config. The file is rewritten atomically at log and evaluation intervals, so
 * it can be reloaded in a browser while training runs (or reloads itself with `autoRefreshSeconds`),
 * and a last time when training ends.
 * NaN/Infinity values are skipped and marked; metric names are escaped.
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, optimizer: AdamW, train: BatchSource<CausalLMBatch>, valid: CausalLMBatch[];
 * const trainer = new Trainer({
 *   model, optimizer, train, maxSteps: 2000, evaluation: { batches: () => valid, every: 200 },
 *   callbacks: [new HtmlReport({ path: 'runs/gpt/report.html', config: { ...model.config }, logScaleLoss: true })],
 * });
 * ```
 */
export class HtmlReport implements Callback {
  private readonly options: HtmlReportOptions;
  private readonly every: number;
  private startedAt = performance.now();
  private entriesSinceWrite = 0;
  private latestSamples: { readonly step: number; readonly texts: readonly string[] } | undefined;

  /** @throws RangeArgumentError when `every` or `autoRefreshSeconds` is not a positive integer */
  constructor(options: HtmlReportOptions) {
    const every = options.every ?? 1;
    assert(Number.isInteger(every) && every >= 1, RangeArgumentError, () => `HtmlReport every (${every}) must be an integer >= 1`);
    const refresh = options.autoRefreshSeconds;
    assert(refresh === undefined || (Number.isInteger(refresh) && refresh >= 1), RangeArgumentError,
      () => `HtmlReport autoRefreshSeconds (${refresh}) must be an integer >= 1`);
    this.options = options;
    this.every = every;
  }

  /** Starts the wall clock and writes a first (empty) report. */
  async onTrainBegin(state: TrainerState): Promise<void> {
    this.startedAt = performance.now();
    this.entriesSinceWrite = 0;
    await mkdir(dirname(this.options.path), { recursive: true });
    await this.write(state, false);
  }

  /** Counts a training entry; rewrites the report when `every` entries have come. */
  onLog(_entry: LogEntry, state: TrainerState): Promise<void> {
    return this.entryLogged(state);
  }

  /** Takes fresh samples, counts an evaluation entry; rewrites the report when `every` entries have come. */
  async onEvaluate(_entry: LogEntry, state: TrainerState): Promise<void> {
    await this.takeSamples(state);
    return this.entryLogged(state);
  }

  /** Takes the last samples and writes the final report. */
  async onTrainEnd(state: TrainerState): Promise<void> {
    if (this.latestSamples?.step !== state.step) await this.takeSamples(state);
    await mkdir(dirname(this.options.path), { recursive: true });
    await this.write(state, true);
  }

  /**
   * The report for a state as HTML, without writing it.
   * @param state - the run's state
   * @param finished - whether training has ended
   */
  render(state: TrainerState, finished: boolean): string {
    return renderReportPage({
      title: this.options.title ?? 'Training report',
      history: state.logHistory,
      summary: {
        step: state.step, maxSteps: state.maxSteps, best: state.best, stopReason: state.stopReason,
        wallTimeSeconds: (performance.now() - this.startedAt) / 1000, finished, updatedAt: new Date(),
      },
      config: this.options.config,
      logScaleLoss: this.options.logScaleLoss,
      autoRefreshSeconds: this.options.autoRefreshSeconds,
      samples: this.latestSamples,
    });
  }

  private async takeSamples(state: TrainerState): Promise<void> {
    if (this.options.samples === undefined) return;
    this.latestSamples = { step: state.step, texts: [...await this.options.samples()] };
  }

  private async entryLogged(state: TrainerState): Promise<void> {
    this.entriesSinceWrite++;
    if (this.entriesSinceWrite < this.every) return;
    await this.write(state, false);
  }

  private async write(state: TrainerState, finished: boolean): Promise<void> {
    this.entriesSinceWrite = 0;
    await writeFileAtomic(this.options.path, this.render(state, finished));
  }
}
