import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/io/safetensors-format.js';
import { float32ToRawTensor } from '../../src/io/raw-tensor.js';
import { loadSafetensors, saveSafetensors } from '../../src/io/safetensors-file.js';
import { SafetensorsError } from '../../src/utils/errors.js';

const HF_TINY = fileURLToPath(new URL('../../../shared/fixtures/hf-tiny/', import.meta.url));
const gpt2Sums = JSON.parse(readFileSync(new URL('../fixtures/safetensors-gpt2-sums.json', import.meta.url), 'utf8')) as {
  metadata: Record<string, string>;
  tensors: Record<string, { shape: number[]; sum: number; sumAbs: number; elements: Record<string, number> }>;
};

const disposeAll = (tensors: Record<string, tf.Tensor>): void => Object.values(tensors).forEach((t) => t.dispose());

describe('saveSafetensors / loadSafetensors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wordforge-safetensors-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips float32 bit for bit (NaN payloads, -0, infinities), int32, bool, scalars and empty tensors', async () => {
    const bits = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x3eaaaaab, 0]);
    const before = tf.memory().numTensors;
    const tensors = {
      'blocks.0.weight': tf.tensor(new Float32Array(bits.buffer), [2, 4]),
      ids: tf.tensor([-(2 ** 31), 2 ** 31 - 1, 0, 7], [4], 'int32'),
      mask: tf.tensor([true, false, true], [3, 1], 'bool'),
      scale: tf.scalar(0.125),
      nothing: tf.zeros([0, 3]),
    };
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, tensors, { format: 'pt', step: '12' });
    const loaded = await loadSafetensors(path);
    expect(loaded.metadata).toEqual({ format: 'pt', step: '12' });
    expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = loaded.tensors[name]!;
      expect({ name, dtype: got.dtype, shape: got.shape }).toEqual({ name, dtype: t.dtype, shape: t.shape });
    }
    const weight = (await loaded.tensors['blocks.0.weight']!.data()) as Float32Array;
    expect([...new Uint32Array(weight.buffer, weight.byteOffset, weight.length)]).toEqual([...bits]);
    expect([...(await loaded.tensors.ids!.data())]).toEqual([-(2 ** 31), 2 ** 31 - 1, 0, 7]);
    expect([...(await loaded.tensors.mask!.data())]).toEqual([1, 0, 1]);
    // Saving what was loaded gives the same file, byte for byte.
    const again = join(dir, 'again.safetensors');
    await saveSafetensors(again, loaded.tensors, loaded.metadata);
    expect(await readFile(again)).toEqual(await readFile(path));
    disposeAll(tensors);
    disposeAll(loaded.tensors);
    expect(tf.memory().numTensors).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['again.safetensors', 'model.safetensors']);
  });

  it('names the path of a missing or malformed file', async () => {
    const missing = join(dir, 'nope.safetensors');
    await expect(loadSafetensors(missing)).rejects.toThrowError(SafetensorsError);
    await expect(loadSafetensors(missing)).rejects.toThrowError(`safetensors file '${missing}' does not exist`);
    await expect(loadSafetensors(dir)).rejects.toThrowError(`cannot read safetensors file '${dir}'`);
    const junk = join(dir, 'junk.safetensors');
    await writeFile(junk, 'not a safetensors file');
    await expect(loadSafetensors(junk)).rejects.toThrowError(new RegExp(`^${junk}: header length \\d+ exceeds`));
  });

  it('leaks no tensor when a later tensor fails to convert', async () => {
    const u32 = new Uint8Array(new Uint32Array([2 ** 31]).buffer);
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, encodeSafetensors({
      a: float32ToRawTensor(new Float32Array([1, 2]), [2]),
      z: { dtype: 'U32', shape: [1], data: u32 },
    }));
    const before = tf.memory().numTensors;
    await expect(loadSafetensors(path)).rejects.toThrowError(/bad.safetensors: tensor 'z': U32 value 2147483648/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses unsupported dtypes and disposed tensors without writing anything', async () => {
    const path = join(dir, 'x.safetensors');
    const complex = tf.complex([1], [2]);
    await expect(saveSafetensors(path, { c: complex })).rejects.toThrowError(
      "cannot save tensor 'c' of dtype complex64 (supported: float32, int32, bool)");
    complex.dispose();
    const gone = tf.ones([2]);
    gone.dispose();
    await expect(saveSafetensors(path, { gone })).rejects.toThrowError("cannot save tensor 'gone': it has been disposed");
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('Hugging Face checkpoints', () => {
  it('reads the tiny GPT-2 with the keys and shapes its config implies and the values numpy reads', async () => {
    const config = JSON.parse(readFileSync(join(HF_TINY, 'gpt2', 'config.json'), 'utf8')) as Record<string, number>;
    const { n_embd: d, n_layer: layers, n_positions: positions, vocab_size: vocab } = config;
    const inner = 4 * d!;
    const expected: Record<string, number[]> = {
      'transformer.wte.weight': [vocab!, d!], 'transformer.wpe.weight': [positions!, d!],
      'transformer.ln_f.weight': [d!], 'transformer.ln_f.bias': [d!],
    };
    for (let i = 0; i < layers!; i++) {
      const p = `transformer.h.${i}.`;
      Object.assign(expected, {
        [`${p}ln_1.weight`]: [d], [`${p}ln_1.bias`]: [d], [`${p}ln_2.weight`]: [d], [`${p}ln_2.bias`]: [d],
        [`${p}attn.c_attn.weight`]: [d, 3 * d!], [`${p}attn.c_attn.bias`]: [3 * d!],
        [`${p}attn.c_proj.weight`]: [d, d], [`${p}attn.c_proj.bias`]: [d],
        [`${p}mlp.c_fc.weight`]: [d, inner], [`${p}mlp.c_fc.bias`]: [inner],
        [`${p}mlp.c_proj.weight`]: [inner, d], [`${p}mlp.c_proj.bias`]: [d],
      });
    }
    const before = tf.memory().numTensors;
    const { tensors, metadata } = await loadSafetensors(join(HF_TINY, 'gpt2', 'model.safetensors'));
    expect(metadata).toEqual(gpt2Sums.metadata);
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual(expected);
    for (const [name, want] of Object.entries(gpt2Sums.tensors)) {
      const values = (await tensors[name]!.data()) as Float32Array;
      let sum = 0;
      let sumAbs = 0;
      for (const v of values) {
        sum += v;
        sumAbs += Math.abs(v);
      }
      expect(sum, name).toBeCloseTo(want.sum, 9);
      expect(sumAbs / want.sumAbs, name).toBeCloseTo(1, 12);
      for (const [index, value] of Object.entries(want.elements)) expect(values[Number(index)], `${name}[${index}]`).toBe(value);
    }
    disposeAll(tensors);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(readdirSync(HF_TINY).filter((m) => m !== 'gpt2'))('reads the tiny %s checkpoint', async (model) => {
    const config = JSON.parse(readFileSync(join(HF_TINY, model, 'config.json'), 'utf8')) as Record<string, number>;
    const hidden = config.hidden_size ?? config.dim ?? config.d_model;
    const { tensors } = await loadSafetensors(join(HF_TINY, model, 'model.safetensors'));
    const shapes = Object.values(tensors).map((t) => t.shape.join('x'));
    expect(shapes.length).toBeGreaterThan(5);
    expect(shapes).toContain(`${config.vocab_size}x${hidden}`);
    expect(new Set(Object.values(tensors).map((t) => t.dtype))).toEqual(new Set(['float32']));
    disposeAll(tensors);
  });
});
