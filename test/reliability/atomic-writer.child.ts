// Child process for atomic-writes-crash.test.ts: rewrites, in a loop until it is killed, a model
// folder (config.json + model.safetensors), a tokenizer.json and a metrics CSV/JSONL log in the
// same places. Iteration `step` writes weights all equal to `step` and a tokenizer whose vocabulary
// holds `step<N>`, so a reader can tell a whole file from a torn one.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { join } from 'node:path';
import { MetricsLogger } from '../../src/callbacks/metrics-logger.js';
import { GPTCausalLM } from '../../src/models/gpt/gpt-causal-lm.js';
import { tokenizerFromJSON } from '../../src/tokenizers/tokenizer-from-json.js';

const dir = process.argv[2] as string;
tf.env().set('PROD', true);
await tf.setBackend('cpu');
const model = new GPTCausalLM({ vocabSize: 4000, hiddenSize: 256, numLayers: 2, numHeads: 4, contextLength: 64 });
const logger = new MetricsLogger({ path: join(dir, 'metrics.csv'), format: 'csv' });
/** A WordPiece tokenizer.json whose vocabulary holds `step<N>` at id 2, padded to ~0.5 MB with filler words. */
const tokenizer = (step: number) => tokenizerFromJSON({
  version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: null, pre_tokenizer: { type: 'Whitespace' },
  post_processor: null, decoder: null,
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
    vocab: Object.fromEntries(['[UNK]', 'a', `step${step}`, ...Array.from({ length: 20_000 }, (_, i) => `filler${i}`)].map((t, i) => [t, i])) },
});
for (let step = 1; ; step++) {
  for (const [, v] of model.namedParameters()) v.assign(tf.fill(v.shape, step));
  await model.save(join(dir, 'model'));
  await tokenizer(step).save(join(dir, 'tokenizer.json'));
  await logger.onLog?.({ step, epoch: 0, metrics: { loss: step } });
  if (step === 1) process.stdout.write('first\n');
}
