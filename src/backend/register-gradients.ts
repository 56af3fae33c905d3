import * as tf from '@tensorflow/tfjs-core';
import { gradConfigs } from './generated/tfjs-gradients.js';

/**
 * Registers tfjs-core's gradient functions with the engine. In Node the CommonJS entry of
 * `@tensorflow/tfjs-core` registers none, so without this every `tf.grad` fails. Kernels that
 * already have a gradient (registered by tfjs-node or by the user) keep theirs. Idempotent.
 *
 * @returns how many gradients this call registered
 * @example
 * ```ts
 * registerGradients();
 * const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]));
 * ```
 */
export function registerGradients(): number {
  let added = 0;
  for (const config of gradConfigs) {
    if (tf.getGradient(config.kernelName) == null) {
      tf.registerGradient(config);
      added++;
    }
  }
  return added;
}
