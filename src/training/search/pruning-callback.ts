import type { Callback, LogEntry, TrainerControl } from '../../callbacks/callback.js';

/** Hands an intermediate objective value to the search; resolves to the reason to prune, or undefined. */
export type TrialReporter = (step: number, value: number) => Promise<string | undefined>;

/**
 * A trainer callback that reports each evaluation's `metric` to `report` and requests a stop
 * (reason `pruned: ...`) when it answers with a reason. Evaluations without the metric are skipped.
 *
 * @param metric - the objective metric, e.g. `eval_loss`
 * @param report - where values go (the search's pruner, possibly across a worker boundary)
 * @example
 * ```ts
 * declare const options: TrainerOptions<CausalLMBatch>;
 * const callback = pruningCallback('eval_loss', async (step, value) => (value > 10 ? 'loss above 10' : undefined));
 * new Trainer({ ...options, callbacks: [callback] });
 * ```
 */
export function pruningCallback(metric: string, report: TrialReporter): Callback {
  return {
    async onEvaluate(entry: LogEntry, _state, control: TrainerControl): Promise<void> {
      const value = entry.metrics[metric];
      if (value === undefined) return;
      const reason = await report(entry.step, value);
      if (reason !== undefined) control.requestStop(`pruned: ${reason}`);
    },
  };
}
