// Names that come from callers or files must not reach outside their folder.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TensorBoardWriter } from '../../src/callbacks/tensorboard/tensorboard-writer.js';
import { listCheckpoints, writeCheckpoint } from '../../src/training/checkpoint.js';
import { ConfigError, RangeArgumentError } from '../../src/utils/errors.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wordforge-names-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function checkpointWith(files: Record<string, string>, step = 1): Promise<string> {
  const w = tf.tensor1d([1]);
  try {
    return await writeCheckpoint(join(root, 'run'), [['w', w]], { kind: 'sgd', step, slots: {}, scalars: {} }, { step, epoch: 0, trainer: {} }, files);
  } finally {
    w.dispose();
  }
}

describe('checkpoint names', () => {
  it('a plain extra file lands inside the checkpoint folder', async () => {
    const path = await checkpointWith({ 'tokenizer.json': '{}' });
    expect(readdirSync(path).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'tokenizer.json', 'trainer_state.json']);
  });

  // BUG (src/training/checkpoint.ts writeCheckpoint): `files` names are joined unchecked, so
  // '../x' is written into the run folder and '../../x' beside it, outside the checkpoint.
  it('rejects extra file names that leave the folder with a ConfigError naming them', async () => {
    for (const name of ['../escaped.txt', '../../escaped.txt', '/tmp/escaped.txt', 'sub/x.json', '..', '']) {
      await expect(checkpointWith({ [name]: 'x' })).rejects.toThrowError(ConfigError);
    }
    expect(existsSync(join(root, 'run', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
  });

  // BUG (same function): an extra file named like a checkpoint file silently replaces it.
  it('rejects extra files that would overwrite the weights, optimizer or state', async () => {
    await expect(checkpointWith({ 'model.safetensors': 'not weights' })).rejects.toThrowError(ConfigError);
  });

  // BUG (same function): the step is not validated; `checkpoint-NaN`, `checkpoint--1` and
  // `checkpoint-1.5` are written, and listCheckpoints never finds them (the work is lost).
  it('rejects a step that is not a non-negative integer', async () => {
    for (const step of [Number.NaN, -1, 1.5, Infinity]) {
      await expect(checkpointWith({}, step)).rejects.toThrowError(RangeArgumentError);
    }
    expect(await listCheckpoints(join(root, 'run'))).toEqual([]);
    expect(existsSync(join(root, 'run'))).toBe(false);
  });
});

describe('TensorBoard file names', () => {
  it('rejects suffixes and host names with path separators', async () => {
    for (const filenameSuffix of ['/../x', '\\x', '.train/..']) {
      await expect(TensorBoardWriter.open(root, { filenameSuffix })).rejects.toThrowError(ConfigError);
    }
    await expect(TensorBoardWriter.open(root, { hostname: '../..' })).rejects.toThrowError(ConfigError);
    expect(readdirSync(root)).toEqual([]);
  });

  // BUG (src/callbacks/tensorboard/tensorboard-writer.ts assertFileNamePart): a NUL character
  // passes the check and Node's fs.open throws TypeError [ERR_INVALID_ARG_VALUE].
  it('rejects a NUL character in the suffix or host name with a ConfigError', async () => {
    await expect(TensorBoardWriter.open(root, { filenameSuffix: '.a\0b' })).rejects.toThrowError(ConfigError);
    await expect(TensorBoardWriter.open(root, { hostname: 'h\0' })).rejects.toThrowError(ConfigError);
  });
});
