// Child process for checkpoint-crash.test.ts: writes checkpoints of a ~2M-parameter model in a
// loop until it is killed. Each checkpoint's weights are all equal to its step number.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { writeCheckpoint } from '../../src/training/checkpoint.js';

const dir = process.argv[2] as string;
tf.env().set('PROD', true); // no tfjs console banner in the test log
await tf.setBackend('cpu');
for (let step = 1; ; step++) {
  const params: Array<[string, tf.Tensor]> = [['a.weight', tf.fill([1000, 1000], step)], ['b.weight', tf.fill([1000, 1000], step)]];
  const slot = { shape: [1000, 1000], data: new Float32Array(1_000_000).fill(step) };
  await writeCheckpoint(dir, params, { kind: 'adamw', step, slots: { 'm.a.weight': slot }, scalars: { 'step.a.weight': step } }, { step, epoch: 0, trainer: {} });
  tf.dispose(params.map(([, t]) => t));
  if (step === 1) process.stdout.write('first\n');
}
