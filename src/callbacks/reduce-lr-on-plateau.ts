import { assert } from '../utils/assert.js';
import { RangeArgumentError } from '../utils/errors.js';
import type { Callback, LogEntry } from './callback.js';

/** Options of {@link ReduceLROnPlateau}; names and defaults as `torch.optim.lr_scheduler.ReduceLROnPlateau`. */
export interface ReduceLROnPlateauOptions {
  /** Evaluation metric to watch (default `eval_loss`). */
  readonly monitor?: string;
  /** `min` (default) or `max`. */
  readonly mode?: 'min' | 'max';
  /** Multiplier applied at each reduction (default 0.1). */
  readonly factor?: number;
  /** Evaluations without improvement before reducing (default 10). */
  readonly patience?: number;
  /** Improvement needed, relative or absolute (default 1e-4). */
  readonly threshold?: number;
  /** `rel` (default): best · (1 ∓ threshold); `abs`: best ∓ threshold. */
  readonly thresholdMode?: 'rel' | 'abs';
  /** Evaluations to wait after a reduction before counting again (default 0). */
  readonly cooldown?: number;
  /** Lowest learning rate (default 0). */
  readonly minLr?: number;
  /** Reductions smaller than this are skipped (default 1e-8). */
  readonly eps?: number;
}

/**
 * Lowers the learning rate when an evaluation metric stops improving, with PyTorch's
 * `ReduceLROnPlateau` rules (threshold modes, cooldown, min lr, eps). Use it both as a callback and
 * as the optimizer's learning rate: `learningRate: plateau.wrap(baseLrOrSchedule)` multiplies the
 * base by the accumulated factor and floors it at `minLr` (with a constant base this is exactly
 * PyTorch's behaviour).
 *
 * @example
 * ```ts
 * declare const model: GPTCausalLM, train: BatchSource<CausalLMBatch>, evaluation: EvaluationOptions<CausalLMBatch>;
 * const plateau = new ReduceLROnPlateau({ factor: 0.5, patience: 2 });
 * const optimizer = new AdamW(model.namedParameters(), { learningRate: plateau.wrap(1e-3) });
 * await new Trainer({ model, optimizer, train, maxSteps: 1000, evaluation, callbacks: [plateau] }).train();
 * ```
 */
export class ReduceLROnPlateau implements Callback {
  private readonly o: Required<ReduceLROnPlateauOptions>;
  private best: number;
  private badEvaluations = 0;
  private cooldownLeft = 0;
  private lastBase = 1;
  /** The product of all reductions so far (1 before the first). */
  scale = 1;

  /** @throws RangeArgumentError for a factor outside (0, 1) or negative counts */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    this.o = {
      monitor: 'eval_loss', mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel',
      cooldown: 0, minLr: 0, eps: 1e-8, ...options,
    };
    assert(this.o.factor > 0 && this.o.factor < 1, RangeArgumentError, () => `factor (${this.o.factor}) must be in (0, 1)`);
    for (const key of ['patience', 'cooldown'] as const) {
      assert(Number.isInteger(this.o[key]) && this.o[key] >= 0, RangeArgumentError, () => `${key} (${this.o[key]}) must be a non-negative integer`);
    }
    assert(this.o.minLr >= 0, RangeArgumentError, () => `minLr (${this.o.minLr}) must be >= 0`);
    this.best = this.o.mode === 'min' ? Infinity : -Infinity;
  }

  /**
   * The learning rate to give the optimizer: `max(base(step) · scale, minLr)`.
   * @param base - a constant rate or a schedule
   */
  wrap(base: number | ((step: number) => number)): (step: number) => number {
    const at = typeof base === 'number' ? () => base : base;
    return (step) => {
      this.lastBase = at(step);
      return Math.max(this.lastBase * this.scale, this.o.minLr);
    };
  }

  /** Counts evaluations without improvement and reduces the rate when patience runs out. */
  onEvaluate(entry: LogEntry): void {
    const value = entry.metrics[this.o.monitor];
    if (value === undefined) return;
    if (this.isBetter(value)) {
      this.best = value;
      this.badEvaluations = 0;
    } else {
      this.badEvaluations++;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.badEvaluations = 0;
    }
    if (this.badEvaluations > this.o.patience) {
      this.reduce();
      this.cooldownLeft = this.o.cooldown;
      this.badEvaluations = 0;
    }
  }

  /** PyTorch's step on the rate last handed out: `new = max(old · factor, minLr)`, kept if it moved by more than eps. */
  private reduce(): void {
    const old = Math.max(this.lastBase * this.scale, this.o.minLr);
    const next = Math.max(old * this.o.factor, this.o.minLr);
    if (old - next > this.o.eps) this.scale = next / this.lastBase;
  }

  private isBetter(value: number): boolean {
    const { mode, threshold, thresholdMode } = this.o;
    if (mode === 'min') return thresholdMode === 'rel' ? value < this.best * (1 - threshold) : value < this.best - threshold;
    return thresholdMode === 'rel' ? value > this.best * (threshold + 1) : value > this.best + threshold;
  }
}
