/**
 * A learning-rate schedule: `schedule(k)` is the rate of optimizer update `k`, counted from 0 (the
 * first update uses `schedule(0)`).
 *
 * For a PyTorch scheduler driven by the usual loop `optimizer.step(); scheduler.step()`, update `k`
 * uses the rate the scheduler holds after `k` calls of `scheduler.step()` (the call its constructor
 * makes is not counted), i.e. `param_groups[0]['lr']` when `scheduler.last_epoch == k`. For a
 * Hugging Face schedule (a `LambdaLR`) that is `baseLr * lr_lambda(k)`.
 *
 * @example
 * ```ts
 * const halving: LearningRateSchedule = (step) => 0.1 * 0.5 ** step;
 * halving(2); // 0.025
 * ```
 */
export type LearningRateSchedule = (step: number) => number;
