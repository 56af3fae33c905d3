import type { Metrics, TrainerState } from '../../callbacks/callback.js';
import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import { Rng } from '../../utils/rng.js';
import { gridConfigs } from './grid-configs.js';
import type { IntermediateValues, Pruner } from './median-pruner.js';
import { pruningCallback, type TrialReporter } from './pruning-callback.js';
import { sampleConfig } from './sample-config.js';
import { writeSearchResults, type SearchResultsFormat } from './search-results-file.js';
import { checkSearchSpace, type SearchConfig, type SearchSpace } from './search-space.js';
import type { SearchObjective, SearchResult, SearchTrial, TrialRunner } from './search-trial.js';
import { errorMessage, runTrialInWorker, type TrialOutcome } from './trial-worker.js';

/** Options of {@link hyperparameterSearch}. */
export interface HyperparameterSearchOptions<S extends SearchSpace> {
  /** The dimensions searched. */
  readonly space: S;
  /** `grid`: every point of the grid, in order; `random`: `trials` configurations drawn from the seed. */
  readonly strategy: 'grid' | 'random';
  /** Configurations to draw (random search only, required there). */
  readonly trials?: number;
  /** Points per continuous dimension (grid search only; required when the space has one). */
  readonly gridPoints?: number;
  /** Seed of the random configurations and of every trial's seed. */
  readonly seed: number;
  /** The metric to optimise and its direction. */
  readonly objective: SearchObjective;
  /** Runs a trial in this thread (exactly one of `runTrial` and `workerScript`). */
  readonly runTrial?: TrialRunner<SearchConfig<S>>;
  /** Module run in a new worker thread per trial; it calls `serveTrialWorker(runTrial)`. */
  readonly workerScript?: string | URL;
  /**
   * Node options of the workers (default: this process's). A TypeScript worker script needs a loader
   * registered inside the worker; under Node 20 `--import tsx/esm` does not reach workers, a preload
   * calling tsx's `register()` does: `['--import', 'data:text/javascript,import { register } from "<import.meta.resolve('tsx/esm/api')>"; register();']`.
   */
  readonly workerExecArgv?: readonly string[];
  /** Trials running at once (default 1); above 1 is useful with `workerScript`. */
  readonly parallelism?: number;
  /** Stops bad trials early through the `pruningCallback` (default: no pruning). */
  readonly pruner?: Pruner;
  /** Results table rewritten atomically after every trial. */
  readonly resultsPath?: string;
  /** Format of `resultsPath` (default: CSV for a `.csv` path, JSON otherwise). */
  readonly format?: SearchResultsFormat;
  /** Called after every trial (and after the results file is written), e.g. to print progress. */
  readonly onTrialEnd?: (trial: SearchTrial<SearchConfig<S>>, result: SearchResult<S>) => void | Promise<void>;
}

/**
 * Grid or random hyperparameter search. Each trial trains one configuration through `runTrial` (or
 * a worker running `workerScript`) and is scored by the best value of `objective.metric` in its
 * returned `TrainerState.logHistory` (or the returned metrics). A trial the pruner stops is recorded
 * as `pruned` with its best value so far; a trial that throws, or whose log has no finite value of
 * the metric, as `failed` with the message; the search goes on either way. The best trial is the
 * completed one with the best value (lowest index on ties).
 *
 * Random search draws every configuration up front from `new Rng(seed)`, then one seed per trial
 * from the same stream (grid search draws only the trial seeds), so a search is reproducible, and
 * results do not depend on `parallelism` apart from pruning, which sees the trials completed so far.
 *
 * @throws ConfigError or RangeArgumentError naming the bad option or dimension, before any trial runs
 * @example
 * ```ts
 * const space = { learningRate: logUniform(1e-4, 1e-2), hiddenSize: choice([32, 64]) };
 * declare const runTrial: TrialRunner<SearchConfig<typeof space>>; // see TrialRunner
 * const { best, bestConfig } = await hyperparameterSearch({
 *   space, strategy: 'random', trials: 8, seed: 0, objective: { metric: 'eval_loss', mode: 'min' },
 *   pruner: medianPruner({ startupTrials: 2 }), resultsPath: 'runs/search/results.csv',
 *   runTrial,
 * });
 * ```
 */
export async function hyperparameterSearch<S extends SearchSpace>(options: HyperparameterSearchOptions<S>): Promise<SearchResult<S>> {
  const { objective, pruner, parallelism = 1 } = options;
  const rng = new Rng(options.seed);
  const configs = plannedConfigs(options, rng);
  const seeds = configs.map(() => rng.nextSeed());
  const trials: Array<SearchTrial<SearchConfig<S>>> = [];
  const completed: IntermediateValues[] = [];
  let result: SearchResult<S> = { trials };
  let writes = Promise.resolve();
  let next = 0;

  const runOne = async (index: number): Promise<SearchTrial<SearchConfig<S>>> => {
    const config = configs[index] as SearchConfig<S>;
    const seed = seeds[index] as number;
    const values = new Map<number, number>();
    let pruned: { step: number; reason: string } | undefined;
    const report: TrialReporter = async (step, value) => {
      values.set(step, value);
      if (pruned === undefined) {
        const reason = pruner?.({ step, values, completed, mode: objective.mode });
        if (reason !== undefined) pruned = { step, reason };
      }
      return pruned?.reason;
    };
    const start = performance.now();
    const outcome: TrialOutcome = options.runTrial
      ? await options.runTrial(config, { index, seed, pruningCallback: pruningCallback(objective.metric, report) })
        .then((r) => ({ result: r }), (error: unknown) => ({ error: errorMessage(error) }))
      : await runTrialInWorker(options.workerScript as string | URL, { index, config, seed, metric: objective.metric }, report, options.workerExecArgv);
    const base = { index, config, seed, durationMs: performance.now() - start };
    if ('error' in outcome) return { ...base, status: 'failed', error: outcome.error };
    if (pruned) return { ...base, status: 'pruned', value: bestOf([...values], objective.mode)?.[1], step: pruned.step, error: pruned.reason };
    const best = bestObjective(outcome.result, objective);
    if (typeof best === 'string') return { ...base, status: 'failed', error: best };
    completed.push(values);
    return { ...base, status: 'completed', value: best[1], ...(best[0] === undefined ? {} : { step: best[0] }) };
  };

  const lane = async (): Promise<void> => {
    while (next < configs.length) {
      const trial = await runOne(next++);
      trials.push(trial);
      trials.sort((a, b) => a.index - b.index);
      const best = bestOf(trials.flatMap((t) => (t.status === 'completed' ? [[t.index, t.value as number] as const] : [])), objective.mode);
      const bestTrial = best && trials.find((t) => t.index === best[0]);
      result = { trials: [...trials], ...(bestTrial ? { best: bestTrial, bestConfig: bestTrial.config } : {}) };
      const snapshot = result;
      if (options.resultsPath !== undefined) {
        const path = options.resultsPath;
        writes = writes.then(() => writeSearchResults(path, snapshot, objective, options.format));
        await writes;
      }
      await options.onTrialEnd?.(trial, snapshot);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, configs.length) }, lane));
  return result;
}

/** Validates the options and lists the configurations to try, in order (random ones drawn from `rng`). */
function plannedConfigs<S extends SearchSpace>(options: HyperparameterSearchOptions<S>, rng: Rng): Array<SearchConfig<S>> {
  const { strategy, trials, gridPoints, objective, parallelism = 1 } = options;
  checkSearchSpace(options.space);
  assert(objective.mode === 'min' || objective.mode === 'max', ConfigError, () => `objective.mode (${objective.mode}) must be 'min' or 'max'`);
  assert((options.runTrial === undefined) !== (options.workerScript === undefined), ConfigError,
    () => `give exactly one of runTrial and workerScript (got ${options.runTrial ? 'both' : 'neither'})`);
  assert(Number.isInteger(parallelism) && parallelism >= 1, RangeArgumentError, () => `parallelism (${parallelism}) must be an integer >= 1`);
  if (strategy === 'grid') {
    assert(trials === undefined, ConfigError, () => `trials (${trials}) is for random search; grid search runs every grid point`);
    return gridConfigs(options.space, gridPoints);
  }
  assert(strategy === 'random', ConfigError, () => `strategy (${String(strategy)}) must be 'grid' or 'random'`);
  assert(gridPoints === undefined, ConfigError, () => `gridPoints (${gridPoints}) is for grid search`);
  assert(trials !== undefined && Number.isInteger(trials) && trials >= 1, RangeArgumentError,
    () => `random search needs trials, an integer >= 1 (got ${trials})`);
  return Array.from({ length: trials }, () => sampleConfig(options.space, rng));
}

/** The best `[key, value]` pair by `mode`, ignoring NaN (the first on ties), or undefined. */
function bestOf<K>(pairs: ReadonlyArray<readonly [K, number]>, mode: 'min' | 'max'): readonly [K, number] | undefined {
  let best: readonly [K, number] | undefined;
  for (const pair of pairs) {
    if (Number.isNaN(pair[1])) continue;
    if (best === undefined || (mode === 'min' ? pair[1] < best[1] : pair[1] > best[1])) best = pair;
  }
  return best;
}

/** `[step, value]` of the trial's best finite objective, or the reason there is none. */
function bestObjective(result: TrainerState | Metrics, objective: SearchObjective): readonly [number | undefined, number] | string {
  const { metric, mode } = objective;
  if (!('logHistory' in result && Array.isArray(result.logHistory))) {
    const value = (result as Metrics)[metric];
    return typeof value === 'number' && Number.isFinite(value) ? [undefined, value] : `the trial returned no finite ${metric} (got ${value})`;
  }
  const state = result as TrainerState;
  const values = state.logHistory.flatMap((e) => (Number.isFinite(e.metrics[metric]) ? [[e.step, e.metrics[metric] as number] as const] : []));
  return bestOf(values, mode) ?? `the trial's log has no finite ${metric} (stop reason: ${state.stopReason ?? 'none'})`;
}
