import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { activation, type Activation, type ActivationName } from '../ops/activations.js';
import { Rng } from '../utils/rng.js';

/** Options of {@link FeedForward}. */
export interface FeedForwardOptions {
  /** Hidden activation (default 'gelu'). */
  readonly activation?: ActivationName;
  /** Gated variant `out(act(gate(x)) * fc(x))` (T5 v1.1 GeGLU, LLaMA SwiGLU; default false). */
  readonly gated?: boolean;
  /** Biases on the projections (default true). */
  readonly bias?: boolean;
  /** Dropout on the hidden activations, as T5 (default 0). */
  readonly dropout?: number;
  /** Init standard deviation of `fc` and `gate` (default 0.02). */
  readonly initStd?: number;
  /** Init standard deviation of `out` (default `initStd`; GPT-2 uses 0.02 / sqrt(2 numLayers)). */
  readonly outInitStd?: number;
  /** Seed from which every child seed is derived. */
  readonly seed: number;
}

/**
 * Position-wise feed-forward network `out(act(fc(x)))`, or gated `out(act(gate(x)) * fc(x))`.
 * Attributes: `fc` (`[dim, hiddenDim]`; HF `c_fc`, `intermediate.dense`, `wi`/`wi_1`, `up_proj`),
 * `gate` when gated (`wi_0`, `gate_proj`), `out` (`[hiddenDim, dim]`).
 * Papers: https://arxiv.org/abs/1706.03762 (section 3.3), https://arxiv.org/abs/2002.05202 (GLU variants)
 *
 * @example
 * ```ts
 * const mlp = new FeedForward(8, 32, { activation: 'gelu_tanh', seed: 1 });
 * const y = mlp.forward(tf.ones([2, 3, 8]), false); // [2, 3, 8]
 * mlp.dispose();
 * ```
 */
export class FeedForward extends Module {
  /** Input projection `dim -> hiddenDim` (the value path when gated). */
  readonly fc: Linear;
  /** Gate projection `dim -> hiddenDim`, passed through the activation; only when gated. */
  readonly gate?: Linear;
  /** Output projection `hiddenDim -> dim`. */
  readonly out: Linear;
  /** Dropout on the hidden activations. */
  readonly dropout: Dropout;
  private readonly act: Activation;

  /**
   * @param dim - model width
   * @param hiddenDim - inner width (GPT-2: 4 dim)
   * @throws ConfigError on a bad size or activation name; RangeArgumentError on a bad dropout rate
   */
  constructor(readonly dim: number, readonly hiddenDim: number, options: FeedForwardOptions) {
    super();
    const seeds = new Rng(options.seed);
    const bias = options.bias ?? true;
    const initStd = options.initStd ?? 0.02;
    this.act = activation(options.activation ?? 'gelu');
    // Built before the projections: its rate check throws before any variable exists.
    this.dropout = new Dropout(options.dropout ?? 0, { seed: seeds.nextSeed() });
    this.fc = new Linear(dim, hiddenDim, { bias, initStd, seed: seeds.nextSeed() });
    if (options.gated ?? false) this.gate = new Linear(dim, hiddenDim, { bias, initStd, seed: seeds.nextSeed() });
    this.out = new Linear(hiddenDim, dim, { bias, initStd: options.outInitStd ?? initStd, seed: seeds.nextSeed() });
  }

  /**
   * @param x - `[..., dim]`
   * @param training - enables dropout
   * @returns `[..., dim]`
   */
  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const up = this.fc.forward(x);
      const hidden = this.gate === undefined ? this.act(up) : tf.mul(this.act(this.gate.forward(x)), up);
      return this.out.forward(this.dropout.forward(hidden, training));
    });
  }
}
