import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerGradients } from '../src/backend/register-gradients.js';

// Unit tests run on the cpu backend unless a test picks another; gradients must be registered.
tf.env().set('PROD', true);
registerGradients();
await tf.setBackend('cpu');
