import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { Rng, type RngState } from '../utils/rng.js';
import { assertDropoutRate, dropout, type DropoutOptions } from '../ops/dropout.js';

/** Options of {@link Dropout}. */
export interface DropoutLayerOptions {
  /** Seed of the generator that draws each call's mask seed. */
  readonly seed: number;
}

/**
 * Inverted dropout with its own seeded generator: every training call draws a fresh mask seed, and
 * the generator's state can be saved and restored so a resumed run drops the same units.
 * Identity when not training or when `rate` is 0 (no seed is drawn then).
 * Paper: https://jmlr.org/papers/v15/srivastava14a.html
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.1, { seed: 1 });
 * const y = drop.forward(tf.ones([4, 4]), true);
 * const saved = drop.getState();
 * ```
 */
export class Dropout extends Module {
  private readonly rng: Rng;

  /**
   * @param rate - probability of zeroing an element, in [0, 1)
   * @throws RangeArgumentError when `rate` is outside [0, 1)
   */
  constructor(readonly rate: number, options: DropoutLayerOptions) {
    super();
    assertDropoutRate(rate);
    this.rng = new Rng(options.seed);
  }

  /**
   * The {@link dropout} options of one call, drawing a fresh seed only when dropout is active.
   * For ops that take dropout options (attention probabilities).
   */
  nextOptions(training: boolean): DropoutOptions {
    const active = training && this.rate > 0;
    return { rate: this.rate, seed: active ? this.rng.nextSeed() : 0, training: active };
  }

  /**
   * @param x - float32 tensor of any shape
   * @param training - apply dropout only when true
   * @returns a tensor of the same shape (`x` itself when inactive)
   */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    return dropout(x, this.nextOptions(training));
  }

  /** State of the mask-seed generator, JSON-serialisable. */
  getState(): RngState {
    return this.rng.getState();
  }

  /** Restores a state taken by {@link Dropout.getState}. */
  setState(state: RngState): void {
    this.rng.setState(state);
  }
}
