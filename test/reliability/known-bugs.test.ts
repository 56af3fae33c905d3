// Minimal reproductions of defects the fuzzers found (now fixed): regression tests.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { TensorBoardWriter } from '../../src/callbacks/tensorboard/tensorboard-writer.js';
import { resolveGPTConfig } from '../../src/models/gpt/gpt-config.js';
import { gptConfigFromHuggingFace } from '../../src/models/gpt/gpt-hf-weights.js';
import { CharTokenizer } from '../../src/tokenizers/char-tokenizer.js';
import { CHECKPOINT_FILES, readCheckpoint, writeCheckpoint } from '../../src/training/checkpoint.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-bugs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

describe('known defects found by fuzzing', () => {
  // gpt-config.ts: the messages interpolate the raw value (`${v}`), which throws
  // "TypeError: Cannot convert object to primitive value" for {"toString": ...} objects.
  it('resolveGPTConfig and gptConfigFromHuggingFace throw ConfigError for values without a usable toString', () => {
    const value = JSON.parse('[{"toString":null}]') as number;
    expect(() => resolveGPTConfig({ vocabSize: value })).toThrowError(ConfigError);
    expect(() => gptConfigFromHuggingFace({ model_type: 'gpt2', n_layer: value })).toThrowError(ConfigError);
  });

  // gpt-config.ts: dropout, layerNormEps and initStd are compared (`>= 0`, `> 0`) but not
  // type-checked, so strings, arrays, booleans and Infinity are accepted into a frozen config.
  it('resolveGPTConfig rejects non-numeric or infinite dropout, layerNormEps and initStd', () => {
    for (const bad of [{ dropout: '0.5' }, { layerNormEps: [1] }, { initStd: true }, { initStd: Infinity }, { layerNormEps: '1e-5' }]) {
      expect(() => resolveGPTConfig({ vocabSize: 8, ...(bad as object) })).toThrowError(ConfigError);
    }
  });

  // gpt-hf-weights.ts: JSON.parse('null') is a valid config.json; `hf.model_type` throws a TypeError.
  it('gptConfigFromHuggingFace rejects a config.json that is not an object with a ConfigError', () => {
    expect(() => gptConfigFromHuggingFace(null as never)).toThrowError(ConfigError);
  });

  // char-tokenizer.ts fromJSON: `JSON.stringify(value)` in the messages overflows the stack
  // (RangeError) on a deeply nested tokenizer.json.
  it('CharTokenizer.fromJSON reports a deeply nested file with a ConfigError', () => {
    expect(() => CharTokenizer.fromJSON(deep)).toThrowError(ConfigError);
    expect(() => CharTokenizer.fromJSON(`{"type":${deep}}`)).toThrowError(ConfigError);
  });

  // checkpoint.ts readCheckpoint: only step, epoch and optimizer.kind are validated; a damaged
  // trainer_state.json with a non-numeric optimizer step or scalars loads without error.
  it('readCheckpoint rejects an optimizer state whose step or scalars are not numbers', async () => {
    const w = tf.tensor1d([1]);
    const path = await writeCheckpoint(tmp, [['w', w]], { kind: 'sgd', step: 1, slots: {}, scalars: {} }, { step: 1, epoch: 0, trainer: {} });
    w.dispose();
    writeFileSync(join(path, CHECKPOINT_FILES.state), '{"step":1,"epoch":0,"trainer":{},"optimizer":{"kind":"sgd","step":"x","scalars":5}}');
    await expect(readCheckpoint(path)).rejects.toThrowError(ConfigError);
  });

  // tensorboard-writer.ts: the step and tag messages interpolate raw values, so a step object
  // without a usable toString throws a TypeError instead of a RangeArgumentError.
  it('TensorBoardWriter.addScalar reports any non-integer step with a RangeArgumentError', async () => {
    const writer = await TensorBoardWriter.open(join(tmp, 'tb'), { flushEverySeconds: Infinity });
    try {
      expect(() => writer.addScalar('loss', 1, Object.create(null) as number)).toThrowError(RangeArgumentError);
    } finally {
      await writer.close();
    }
  });
});
