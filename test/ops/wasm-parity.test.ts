import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { TransformerBlock } from '../../src/layers/transformer-block.js';
import { RotaryEmbedding } from '../../src/layers/rotary-embedding.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';

/** Loss and gradients of a small block (every op of src/ops and src/layers) on one backend. */
async function lossAndGrads(backend: string, norm: 'layer' | 'rms', gated: boolean): Promise<number[]> {
  await tf.setBackend(backend);
  const rotary = new RotaryEmbedding(4, { maxPositions: 8 });
  const block = new TransformerBlock(8, 2, 16, {
    causal: true, rotary, norm, gated, activation: gated ? 'silu' : 'gelu', seed: 1,
  });
  const crossBlock = new TransformerBlock(8, 2, 16, { crossAttention: true, fusedQkv: false, activation: 'gelu_tanh', seed: 2 });
  const x = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 3);
  const context = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 4);
  const targets = tf.tensor2d([[1, 2, -100, 3], [0, 7, 7, 1]], undefined, 'int32');
  const vars = [...block.trainableVariables(), ...crossBlock.trainableVariables()];
  const { value, grads } = tf.variableGrads(() => {
    const h = block.forward(x, { training: false, attentionMask: tf.ones([2, 4]) }).output;
    return crossEntropy(crossBlock.forward(h, { training: false, context }).output, targets);
  }, vars);
  const out = [value.dataSync()[0]!, ...vars.flatMap((v) => Array.from(grads[v.name]!.dataSync()))];
  tf.dispose([value, ...Object.values(grads), x, context, targets]);
  block.dispose();
  crossBlock.dispose();
  rotary.dispose();
  return out;
}

describe('wasm backend parity', () => {
  it.each([['layer', false], ['rms', true]] as const)('norm %s, gated %s: same loss and gradients as cpu', async (norm, gated) => {
    const cpu = await lossAndGrads('cpu', norm, gated);
    const wasm = await lossAndGrads('wasm', norm, gated);
    await tf.setBackend('cpu');
    expect(wasm.length).toBe(cpu.length);
    const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });
});
