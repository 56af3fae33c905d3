import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Metrics, TrainerState } from '../../callbacks/callback.js';
import { pruningCallback, type TrialReporter } from './pruning-callback.js';
import type { TrialRunner } from './search-trial.js';

/** Marks the `workerData` of a trial worker, so {@link serveTrialWorker} ignores other workers. */
const TRIAL_MARKER = 'wordforge.trial';

/** What a trial worker is started with. */
export interface TrialWorkerData {
  /** Position of the trial in the search. */
  readonly index: number;
  /** The configuration, structured-cloned. */
  readonly config: unknown;
  /** The trial's seed. */
  readonly seed: number;
  /** The objective metric, for the pruning callback. */
  readonly metric: string;
}

/** How a trial ended, as seen by the search: its result, or the message of what went wrong. */
export type TrialOutcome = {
  /** What the trial's `runTrial` returned. */
  readonly result: TrainerState | Metrics;
} | {
  /** Why the trial failed (its error message, or how the worker exited). */
  readonly error: string;
};

type WorkerMessage =
  | { readonly type: 'report'; readonly step: number; readonly value: number }
  | { readonly type: 'result'; readonly result: TrainerState | Metrics }
  | { readonly type: 'error'; readonly message: string };

/**
 * Serves one trial when the module calling it runs as a trial worker started by
 * {@link hyperparameterSearch} (`workerScript`): it runs `runTrial` on the worker's configuration
 * with a pruning callback that asks the main thread's pruner across the thread boundary, and posts
 * the result (a `TrainerState` or metrics, structured-cloned) back. Anywhere else (on the main
 * thread, in other workers) it does nothing, so the same module can export `runTrial` for
 * in-process searches.
 *
 * A worker starts a fresh module graph: the script must prepare its own tfjs backend (and
 * gradients), and a TypeScript script needs a loader such as tsx (`workerExecArgv`).
 *
 * @param runTrial - builds, trains and disposes one trial's model
 * @example
 * ```ts
 * // trial.ts, passed as workerScript: new URL('./trial.ts', import.meta.url)
 * declare const runTrial: TrialRunner<{ learningRate: number }>; // as in TrialRunner's example
 * serveTrialWorker(runTrial);
 * ```
 */
export function serveTrialWorker<C>(runTrial: TrialRunner<C>): void {
  const data = workerData as (TrialWorkerData & { [TRIAL_MARKER]?: true }) | null;
  const port = parentPort;
  if (isMainThread || port === null || data?.[TRIAL_MARKER] !== true) return;
  const waiting: Array<(reason: string | undefined) => void> = [];
  port.on('message', (reason: string | undefined) => waiting.shift()?.(reason));
  const report: TrialReporter = (step, value) => new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage({ type: 'report', step, value } satisfies WorkerMessage);
  });
  const context = { index: data.index, seed: data.seed, pruningCallback: pruningCallback(data.metric, report) };
  runTrial(data.config as C, context).then(
    (result) => port.postMessage({ type: 'result', result } satisfies WorkerMessage),
    (error: unknown) => port.postMessage({ type: 'error', message: errorMessage(error) } satisfies WorkerMessage),
  );
}

/**
 * Runs one trial in a new worker thread on `script` (a module calling {@link serveTrialWorker}),
 * answering its pruning reports with `report`, and terminates the worker when the trial ends. A
 * worker that throws, exits or posts an unclonable result gives an `error` outcome, never a rejection.
 *
 * @param script - path or file URL of the worker module
 * @param data - the trial
 * @param report - the search's pruning decision for each reported value
 * @param execArgv - Node options of the worker (default: the parent's, e.g. tsx's loader)
 * @example
 * ```ts
 * const outcome = await runTrialInWorker(new URL('./trial.js', import.meta.url), { index: 0, config: { learningRate: 1e-3 }, seed: 1, metric: 'eval_loss' }, async () => undefined);
 * ```
 */
export function runTrialInWorker(script: string | URL, data: TrialWorkerData, report: TrialReporter, execArgv?: readonly string[]): Promise<TrialOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { ...data, [TRIAL_MARKER]: true }, ...(execArgv ? { execArgv: [...execArgv] } : {}) });
    } catch (error) {
      resolve({ error: errorMessage(error) });
      return;
    }
    let settled = false;
    const finish = (outcome: TrialOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'report') void report(message.step, message.value).then((reason) => { if (!settled) worker.postMessage(reason); });
      else if (message.type === 'result') finish({ result: message.result });
      else finish({ error: message.message });
    });
    worker.on('error', (error) => finish({ error: errorMessage(error) }));
    worker.on('exit', (code) => finish({ error: `trial worker exited with code ${code} before posting a result` }));
  });
}

/**
 * The message of a thrown value (an `Error`'s message, anything else as a string).
 * @example
 * ```ts
 * errorMessage(new RangeError('bad')); // 'bad'
 * ```
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
