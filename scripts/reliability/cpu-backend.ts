// The backend the reliability scripts run on: the test suite's (cpu, gradients registered).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerGradients } from '../../src/backend/register-gradients.js';

/** Selects the cpu backend with gradients, as test/setup.ts does for the test suite. */
export async function useCpuBackend(): Promise<void> {
  tf.env().set('PROD', true);
  registerGradients();
  await tf.setBackend('cpu');
}
