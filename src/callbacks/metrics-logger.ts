import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../utils/atomic-write.js';
import type { Callback, LogEntry } from './callback.js';

/** Options of {@link MetricsLogger}. */
export interface MetricsLoggerOptions {
  /** File to write; created with its folder. */
  readonly path: string;
  /** `jsonl` (default): one JSON object per entry, appended; `csv`: a table rewritten atomically at each entry. */
  readonly format?: 'jsonl' | 'csv';
}

/**
 * Writes every training and evaluation entry to a file: JSON lines (`{"step":…,"epoch":…,"loss":…}`)
 * appended as they come, or CSV with one column per metric seen so far (the file is rewritten
 * atomically at each entry, so a reader never sees a half table).
 *
 * @example
 * ```ts
 * callbacks: [new MetricsLogger({ path: 'runs/gpt/metrics.csv', format: 'csv' })]
 * ```
 */
export class MetricsLogger implements Callback {
  private readonly path: string;
  private readonly format: 'jsonl' | 'csv';
  private readonly rows: LogEntry[] = [];
  private ready: Promise<unknown> | undefined;

  /** @param options - file and format */
  constructor(options: MetricsLoggerOptions) {
    this.path = options.path;
    this.format = options.format ?? 'jsonl';
  }

  /** Records a training entry. */
  onLog(entry: LogEntry): Promise<void> {
    return this.write(entry);
  }

  /** Records an evaluation entry. */
  onEvaluate(entry: LogEntry): Promise<void> {
    return this.write(entry);
  }

  private async write(entry: LogEntry): Promise<void> {
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    await this.ready;
    if (this.format === 'jsonl') {
      await appendFile(this.path, `${JSON.stringify({ step: entry.step, epoch: entry.epoch, ...entry.metrics })}\n`);
      return;
    }
    this.rows.push(entry);
    const columns = [...new Set(this.rows.flatMap((r) => Object.keys(r.metrics)))];
    const lines = [['step', 'epoch', ...columns].join(',')];
    for (const r of this.rows) lines.push([r.step, r.epoch, ...columns.map((c) => r.metrics[c] ?? '')].join(','));
    await writeFileAtomic(this.path, `${lines.join('\n')}\n`);
  }
}
