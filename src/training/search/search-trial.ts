import type { Callback, Metrics, TrainerState } from '../../callbacks/callback.js';
import type { SearchConfig, SearchSpace } from './search-space.js';

/** The metric a search optimises, read from evaluation log entries (or returned metrics). */
export interface SearchObjective {
  /** Metric name, e.g. `eval_loss`. */
  readonly metric: string;
  /** `min`: lower is better; `max`: higher is better. */
  readonly mode: 'min' | 'max';
}

/** What a trial gets besides its configuration. */
export interface TrialContext {
  /** Position of the trial in the search (from 0). */
  readonly index: number;
  /** A seed derived from the search seed for this trial: use it for weights and data order. */
  readonly seed: number;
  /**
   * Add it to the trial's `Trainer` callbacks: it reports every evaluation of the objective metric
   * to the search's pruner and stops the trial when the pruner says so.
   */
  readonly pruningCallback: Callback;
}

/**
 * Runs one trial: builds the model, optimizer and `Trainer` for `config`, trains, disposes what it
 * built, and returns the final `TrainerState` (the objective is its best evaluation of the metric)
 * or the final metrics (the objective is the metric's value).
 *
 * @example
 * ```ts
 * declare const modelConfig: GPTConfigInput, train: BatchSource<CausalLMBatch>, evaluation: EvaluationOptions<CausalLMBatch>;
 * const runTrial: TrialRunner<{ learningRate: number }> = async (config, { seed, pruningCallback }) => {
 *   const model = new GPTCausalLM({ ...modelConfig, seed });
 *   const optimizer = new AdamW(model.namedParameters(), { learningRate: config.learningRate });
 *   try {
 *     return await new Trainer({ model, optimizer, train, maxSteps: 100, evaluation, callbacks: [pruningCallback] }).train();
 *   } finally { model.dispose(); optimizer.dispose(); }
 * };
 * ```
 */
export type TrialRunner<C> = (config: C, context: TrialContext) => Promise<TrainerState | Metrics>;

/** How a trial ended. */
export type TrialStatus = 'completed' | 'pruned' | 'failed';

/** One row of the results table. */
export interface SearchTrial<C> {
  /** Position of the trial in the search (from 0). */
  readonly index: number;
  /** The configuration tried. */
  readonly config: C;
  /** The seed the trial was given. */
  readonly seed: number;
  /** How it ended. */
  readonly status: TrialStatus;
  /** Best objective value (completed), or best value reported before the stop (pruned). */
  readonly value?: number;
  /** Step of `value` (completed), or step at which the trial was pruned. */
  readonly step?: number;
  /** Why it failed or was pruned. */
  readonly error?: string;
  /** Wall time of the trial. */
  readonly durationMs: number;
}

/** What {@link hyperparameterSearch} returns. */
export interface SearchResult<S extends SearchSpace> {
  /** Every trial, by index. */
  readonly trials: ReadonlyArray<SearchTrial<SearchConfig<S>>>;
  /** The completed trial with the best value (the first one on ties); undefined when none completed. */
  readonly best?: SearchTrial<SearchConfig<S>>;
  /** Its configuration. */
  readonly bestConfig?: SearchConfig<S>;
}
