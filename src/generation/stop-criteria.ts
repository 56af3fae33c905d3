import type { ResolvedGeneration } from './resolve-generation-options.js';

/** Per-row and global stopping tests of one generation call, made by {@link stopCriteria}. */
export interface StopCriteria {
  /** Whether row `b` is finished now that `generated` (its tokens so far) ends with a new token. */
  rowFinished(b: number, generated: readonly number[]): boolean;
  /** Whether the whole call must stop: time budget spent or signal aborted. */
  halted(): boolean;
}

const REPLACEMENT = '\uFFFD';

/**
 * Builds the stopping tests of a generation call: end-of-sequence ids and stop strings per row
 * (the strings are matched on the decoded generated text, so a string split across tokens is
 * found; only text not yet searched, plus an overlap of one string length, is searched each step),
 * and the time budget and abort signal for the whole call. The clock starts here.
 *
 * @param plan - resolved options (`eosIds`, `stop`, `decode`, `maxTime`, `signal`)
 * @param now - the clock in milliseconds (tests inject one)
 * @returns the tests
 * @example
 * ```ts
 * declare const plan: ResolvedGeneration, generated: number[][], finished: boolean[];
 * const stop = stopCriteria(plan);
 * for (const [b, row] of generated.entries()) if (stop.rowFinished(b, row)) finished[b] = true;
 * ```
 */
export function stopCriteria(plan: ResolvedGeneration, now: () => number = Date.now): StopCriteria {
  const start = now();
  const longest = Math.max(0, ...(plan.stop ?? []).map((s) => s.length));
  const searched: number[] = [];
  return {
    rowFinished(b, generated) {
      if (plan.eosIds.includes(generated[generated.length - 1] as number)) return true;
      if (plan.stop === undefined || plan.decode === undefined) return false;
      const text = plan.decode([...generated]);
      const from = Math.max(0, (searched[b] ?? 0) - longest + 1);
      // Trailing replacement characters may still become real text: search them again next time.
      let stable = text.length;
      while (stable > 0 && text[stable - 1] === REPLACEMENT) stable--;
      searched[b] = stable;
      return plan.stop.some((s) => text.indexOf(s, from) >= 0);
    },
    halted() {
      return plan.signal?.aborted === true || (plan.maxTime !== undefined && now() - start >= plan.maxTime * 1000);
    },
  };
}
