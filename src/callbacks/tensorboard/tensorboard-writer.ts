import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError, WordforgeError } from '../../utils/errors.js';
import {
  encodeFileVersionEvent, encodeHistogramValue, encodeScalarValue, encodeSummaryEvent, encodeTextValue,
} from './event-message.js';
import { histogramOf } from './histogram.js';
import { encodeTfRecord } from './tfrecord.js';
import { describeJSON } from '../../utils/json-safety.js';

/**
 * Options of {@link TensorBoardWriter.open}.
 * @example
 * ```ts
 * const options: TensorBoardWriterOptions = { filenameSuffix: '.train', flushEverySeconds: 30 };
 * ```
 */
export interface TensorBoardWriterOptions {
  /** Appended to the file name, e.g. `".train"`; no path separators. Default `""`. */
  readonly filenameSuffix?: string;
  /** The host named in the file name; no path separators. Default: `os.hostname()`. */
  readonly hostname?: string;
  /**
   * Seconds between background flushes of buffered events, or `Infinity` for none (then only
   * `flush()` and `close()` write). Default 120.
   */
  readonly flushEverySeconds?: number;
}

const DEFAULTS = {
  /** No suffix, as TensorBoard's own writers. */
  filenameSuffix: '',
  /** TensorBoard's `EventFileWriter` default (`flush_secs=120`): fresh enough to watch a run. */
  flushEverySeconds: 120,
} as const;

/** TensorBoard's default bucket count for histograms (`DEFAULT_BUCKET_COUNT` of its summary_v2). */
const HISTOGRAM_BUCKETS = 30;

/** The longest delay `setInterval` accepts (2^31 - 1 ms); Node turns longer ones into 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function nowSeconds(): number {
  return Date.now() / 1000;
}

function assertFileNamePart(name: string, value: unknown): asserts value is string {
  assert(typeof value === 'string' && !/[/\\]/.test(value), ConfigError,
    () => `${name} must be a string without path separators, got ${describeJSON(value)}`);
  assert(!value.includes('\0'), ConfigError, () => `${name} must not contain a NUL character, got ${describeJSON(value)}`);
}

function resolveOptions(opts: TensorBoardWriterOptions): Required<TensorBoardWriterOptions> {
  const resolved = {
    filenameSuffix: opts.filenameSuffix ?? DEFAULTS.filenameSuffix,
    hostname: opts.hostname ?? osHostname(),
    flushEverySeconds: opts.flushEverySeconds ?? DEFAULTS.flushEverySeconds,
  };
  assertFileNamePart('filenameSuffix', resolved.filenameSuffix);
  assertFileNamePart('hostname', resolved.hostname);
  const seconds = resolved.flushEverySeconds;
  assert(seconds === Infinity || (seconds > 0 && seconds * 1000 <= MAX_TIMER_MS), ConfigError,
    () => `flushEverySeconds (${seconds}) must be Infinity or in (0, ${MAX_TIMER_MS / 1000}]`);
  return resolved;
}

/**
 * Creates a new event file named as TensorBoard's `EventFileWriter` names them:
 * `events.out.tfevents.<unix seconds, 10 digits>.<hostname>.<pid>.<uid><suffix>`, where `uid` is
 * the smallest number that makes the name new (the file is created exclusively, never reused).
 */
async function createEventFile(
  logDir: string,
  { hostname, filenameSuffix }: Required<TensorBoardWriterOptions>,
): Promise<{ path: string; handle: FileHandle }> {
  await mkdir(logDir, { recursive: true });
  const seconds = String(Math.floor(nowSeconds())).padStart(10, '0');
  for (let uid = 0; ; uid++) {
    const path = join(logDir, `events.out.tfevents.${seconds}.${hostname}.${process.pid}.${uid}${filenameSuffix}`);
    try {
      return { path, handle: await open(path, 'wx') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function assertTag(tag: string): void {
  assert(typeof tag === 'string' && tag.length > 0, RangeArgumentError,
    () => `tag must be a non-empty string, got ${describeJSON(tag)}`);
}

function assertStepAndTime(step: number, wallTime: number): void {
  assert(Number.isSafeInteger(step) && step >= 0, RangeArgumentError,
    () => `step (${describeJSON(step)}) must be a non-negative integer`);
  assert(Number.isFinite(wallTime) && wallTime >= 0, RangeArgumentError,
    () => `wallTime (${describeJSON(wallTime)}) must be finite seconds since the Unix epoch`);
}

function assertNumber(tag: string, value: number): void {
  assert(typeof value === 'number', RangeArgumentError,
    () => `value of '${tag}' must be a number, got ${describeJSON(value)}`);
}

/**
 * Writes TensorBoard event files (https://github.com/tensorflow/tensorboard/blob/master/README.md
 * "How should I format my log files?"; the TFRecord framing:
 * https://www.tensorflow.org/tutorials/load_data/tfrecord#tfrecords_format_details) in pure
 * TypeScript: scalars (`simple_value`, float32), text (the text plugin's string tensor) and
 * histograms (`HistogramProto`).
 *
 * The file is append-only. Events are buffered and written on `flush()`, on `close()` and every
 * `flushEverySeconds`; each write holds whole records only (length, masked CRC32C of the length,
 * data, masked CRC32C of the data), so readers such as TensorBoard read every record before a
 * crash and detect a torn last one by its length and CRC. Events still buffered when the process
 * exits without `close()` are lost. A failed write is reported by the next `flush()` or `close()`.
 *
 * Scalars may be NaN or infinite: TensorBoard accepts them (and plots them as such).
 *
 * @example
 * ```ts
 * const writer = await TensorBoardWriter.open('runs/gpt-small');
 * writer.addScalars(100, { 'train/loss': 2.31, 'train/lr': 3e-4 });
 * writer.addText('samples/greedy', 'Once upon a time', 100);
 * await writer.close(); // then: tensorboard --logdir runs
 * ```
 */
export class TensorBoardWriter {
  /** The event file this writer appends to. */
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #timer: NodeJS.Timeout | undefined;
  #buffered: Uint8Array[] = [];
  /** Writes run one after another; each starts after the previous one settled. */
  #queue: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;
  #closing: Promise<void> | undefined;

  private constructor(path: string, handle: FileHandle, flushEverySeconds: number) {
    this.path = path;
    this.#handle = handle;
    this.#timer = flushEverySeconds === Infinity
      ? undefined
      : setInterval(() => void this.#writeBuffered().catch(() => undefined), flushEverySeconds * 1000).unref();
  }

  /**
   * Creates `logDir` (recursively) and a new event file in it, starting with the
   * `file_version = "brain.Event:2"` record. Several writers, in one process or many, always get
   * distinct files.
   *
   * @param logDir - the run's directory, e.g. `runs/exp1` (TensorBoard shows one run per directory)
   * @param opts - file name suffix, host name and flush interval
   * @throws ConfigError for a suffix or host name with a path separator, or a bad flush interval
   * @example
   * ```ts
   * const writer = await TensorBoardWriter.open('runs/exp1', { filenameSuffix: '.train' });
   * ```
   */
  static async open(logDir: string, opts: TensorBoardWriterOptions = {}): Promise<TensorBoardWriter> {
    const resolved = resolveOptions(opts);
    const { path, handle } = await createEventFile(logDir, resolved);
    const writer = new TensorBoardWriter(path, handle, resolved.flushEverySeconds);
    writer.#buffered.push(encodeTfRecord(encodeFileVersionEvent(nowSeconds())));
    try {
      await writer.flush();
    } catch (error) {
      await writer.close().catch(() => undefined);
      throw error;
    }
    return writer;
  }

  /**
   * Buffers one scalar. NaN and infinities are allowed; values are stored as float32.
   *
   * @param tag - the series name, e.g. `"train/loss"`
   * @param value - the number
   * @param step - the global step, a non-negative integer
   * @param wallTime - seconds since the Unix epoch; default now
   * @throws RangeArgumentError for an empty tag, a negative or fractional step, a bad wall time
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter;
   * writer.addScalar('train/loss', 2.31, 100);
   * ```
   */
  addScalar(tag: string, value: number, step: number, wallTime: number = nowSeconds()): void {
    assertTag(tag);
    this.addScalars(step, { [tag]: value }, wallTime);
  }

  /**
   * Buffers several scalars of one step as one event (nothing for an empty record).
   *
   * @param step - the global step, a non-negative integer
   * @param values - numbers by tag; NaN and infinities allowed
   * @param wallTime - seconds since the Unix epoch; default now
   * @throws RangeArgumentError for an empty tag, a negative or fractional step, a bad wall time
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter;
   * writer.addScalars(100, { 'train/loss': 2.31, 'train/lr': 3e-4 });
   * ```
   */
  addScalars(step: number, values: Record<string, number>, wallTime: number = nowSeconds()): void {
    const entries = Object.entries(values);
    for (const [tag, value] of entries) {
      assertTag(tag);
      assertNumber(tag, value);
    }
    if (entries.length > 0) this.#add(step, wallTime, entries.map(([tag, value]) => encodeScalarValue(tag, value)));
  }

  /**
   * Buffers a text summary, shown (as Markdown) on TensorBoard's Text tab.
   *
   * @param tag - the series name, e.g. `"samples/greedy"`
   * @param text - the text
   * @param step - the global step, a non-negative integer
   * @param wallTime - seconds since the Unix epoch; default now
   * @throws RangeArgumentError for an empty tag, non-string text, a bad step or wall time
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter;
   * writer.addText('samples/greedy', 'Once upon a time', 100);
   * ```
   */
  addText(tag: string, text: string, step: number, wallTime: number = nowSeconds()): void {
    assertTag(tag);
    assert(typeof text === 'string', RangeArgumentError,
      () => `text of '${tag}' must be a string, got ${describeJSON(text)}`);
    this.#add(step, wallTime, [encodeTextValue(tag, text)]);
  }

  /**
   * Buffers a histogram of the values in 30 equal-width buckets between their minimum and maximum
   * (as TensorBoard's own histogram summaries), shown on the Histograms and Distributions tabs.
   *
   * @param tag - the series name, e.g. `"weights/head"`
   * @param values - finite numbers, at least one (e.g. a weight tensor's `await t.data()`)
   * @param step - the global step, a non-negative integer
   * @param wallTime - seconds since the Unix epoch; default now
   * @throws RangeArgumentError for an empty tag, no values, a non-finite value, a bad step or wall time
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter, head: Linear;
   * writer.addHistogram('weights/head', await head.weight.data(), 100);
   * ```
   */
  addHistogram(tag: string, values: ArrayLike<number>, step: number, wallTime: number = nowSeconds()): void {
    assertTag(tag);
    this.#add(step, wallTime, [encodeHistogramValue(tag, histogramOf(values, HISTOGRAM_BUCKETS))]);
  }

  /**
   * Writes the buffered events to the file and syncs it to disk.
   *
   * @throws WordforgeError once the writer is closed; the file-system error of a failed write
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter;
   * await writer.flush();
   * ```
   */
  async flush(): Promise<void> {
    this.#assertOpen();
    await this.#writeBuffered();
  }

  /**
   * Writes the buffered events, stops the flush timer and closes the file. Closing again does
   * nothing more (and returns the first call's outcome).
   *
   * @throws the file-system error of a failed write (the file is closed all the same)
   * @example
   * ```ts
   * declare const writer: TensorBoardWriter;
   * await writer.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#timer);
      try {
        await this.#writeBuffered();
      } finally {
        await this.#handle.close();
      }
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    assert(this.#closing === undefined, WordforgeError, () => `TensorBoardWriter for ${this.path} is closed`);
  }

  #add(step: number, wallTime: number, values: Uint8Array[]): void {
    this.#assertOpen();
    assertStepAndTime(step, wallTime);
    this.#buffered.push(encodeTfRecord(encodeSummaryEvent(wallTime, step, values)));
  }

  /** Queues a write of everything buffered so far; a failure sticks and fails every later write. */
  #writeBuffered(): Promise<void> {
    const write = this.#queue.then(async () => {
      if (this.#failure) throw this.#failure.error;
      if (this.#buffered.length === 0) return;
      const data = Buffer.concat(this.#buffered);
      this.#buffered = [];
      try {
        await this.#handle.writeFile(data);
        await this.#handle.sync();
      } catch (error) {
        this.#failure = { error };
        throw error;
      }
    });
    this.#queue = write.catch(() => undefined);
    return write;
  }
}
