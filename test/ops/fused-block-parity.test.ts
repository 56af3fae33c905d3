import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { TransformerBlock } from '../../src/layers/transformer-block.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { FUSED_BACKENDS, expectFusedMatchesComposite } from './fused-parity.js';

/** Loss and gradients of a GPT-style block (pre-LN, tanh GELU) under a cross-entropy on its output. */
function blockLossAndGrads(): tf.Tensor[] {
  const block = new TransformerBlock(8, 2, 16, {
    causal: true, normPosition: 'pre', norm: 'layer', activation: 'gelu_tanh', bias: true, fusedQkv: true, seed: 1,
  });
  const result = tf.tidy(() => {
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
    const targets = tf.tensor2d([[1, 2, -100, 3, 7], [0, 7, 7, 1, -100]], undefined, 'int32');
    const { value, grads } = tf.variableGrads(() => crossEntropy(block.forward(x, { training: false }).output, targets),
      block.trainableVariables());
    return [value, ...Object.values(grads)];
  });
  block.dispose();
  return result;
}

describe.each(FUSED_BACKENDS)('a transformer block with the fused ops on %s', (backend) => {
  it('has the loss and parameter gradients of the composite path', async () => {
    await expectFusedMatchesComposite(backend, blockLossAndGrads);
  });
});
