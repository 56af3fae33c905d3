import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { SafetensorsError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import {
  float32ToRawTensor, int32ToRawTensor, isFloatDtype, rawTensorToFloat32, rawTensorToInt32, type RawTensor,
} from './raw-tensor.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors-format.js';

/**
 * Tensors and metadata loaded from a safetensors file. The caller owns (and disposes) the tensors.
 * @example
 * ```ts
 * const loaded: LoadedSafetensors = await loadSafetensors('model.safetensors');
 * Object.values(loaded.tensors).forEach((t) => t.dispose());
 * ```
 */
export interface LoadedSafetensors {
  /** The tensors by name; the caller disposes them. */
  readonly tensors: Record<string, tf.Tensor>;
  /** The header's `__metadata__` strings (empty when absent). */
  readonly metadata: Record<string, string>;
}

async function toRawTensor(name: string, tensor: tf.Tensor): Promise<RawTensor> {
  assert(!tensor.isDisposed, SafetensorsError, () => `cannot save tensor '${name}': it has been disposed`);
  switch (tensor.dtype) {
    case 'float32':
      return float32ToRawTensor((await tensor.data()) as Float32Array, tensor.shape);
    case 'int32':
      return int32ToRawTensor((await tensor.data()) as Int32Array, tensor.shape);
    case 'bool':
      return { dtype: 'BOOL', shape: [...tensor.shape], data: Uint8Array.from((await tensor.data()) as Uint8Array) };
    default:
      throw new SafetensorsError(`cannot save tensor '${name}' of dtype ${tensor.dtype} (supported: float32, int32, bool)`);
  }
}

/**
 * Saves tensors to a safetensors file (https://github.com/huggingface/safetensors) that PyTorch,
 * `safetensors.torch.load_file` and Hugging Face Transformers read directly. float32 tensors are
 * stored as F32 (bit for bit), int32 as I32 and bool as BOOL. The file is written atomically
 * (see `writeFileAtomic`): a crash never leaves a half-written checkpoint. The tensors are read
 * with `await t.data()` and not disposed.
 *
 * @param path - the file to create or replace; its directory must exist
 * @param tensors - tensors of any shape by name, e.g. a module's `stateDict()`
 * @param metadata - optional string pairs stored in the header, e.g. `{ format: 'pt' }`
 * @throws SafetensorsError for a disposed tensor or an unsupported dtype (`complex64`, `string`)
 * @example
 * ```ts
 * declare const model: GPTCausalLM;
 * await saveSafetensors('model.safetensors', model.stateDict(), { format: 'pt' });
 * ```
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  const raw = Object.fromEntries(await Promise.all(
    Object.entries(tensors).map(async ([name, tensor]) => [name, await toRawTensor(name, tensor)] as const)));
  await writeFileAtomic(path, encodeSafetensors(raw, metadata));
}

/** Builds the tfjs tensor of one raw tensor: floats as float32, integers as int32, BOOL as bool. */
function toTensor(name: string, raw: RawTensor): tf.Tensor {
  if (isFloatDtype(raw.dtype)) return tf.tensor(rawTensorToFloat32(raw, name), raw.shape as number[], 'float32');
  return tf.tensor(rawTensorToInt32(raw, name), raw.shape as number[], raw.dtype === 'BOOL' ? 'bool' : 'int32');
}

/**
 * Loads every tensor of a safetensors file. Floating-point dtypes (F32, F16, BF16, F64, FP8)
 * become float32 tensors, F32 bit for bit; integer dtypes become int32 tensors (I64/U64/U32
 * values are range-checked); BOOL becomes bool. The whole file is validated first
 * (see `decodeSafetensors`); on any error no tensor is left allocated.
 *
 * @param path - the `.safetensors` file
 * @returns the tensors by name, in file order, and the header's `__metadata__`; the caller
 *   disposes the tensors
 * @throws SafetensorsError naming the path when the file cannot be read, is malformed, or holds a
 *   value that does not fit its target dtype
 * @example
 * ```ts
 * const { tensors } = await loadSafetensors('gpt2/model.safetensors');
 * tensors['transformer.wte.weight']!.shape; // [50257, 768]
 * Object.values(tensors).forEach((t) => t.dispose());
 * ```
 */
export async function loadSafetensors(path: string): Promise<LoadedSafetensors> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new SafetensorsError(code === 'ENOENT'
      ? `safetensors file '${path}' does not exist`
      : `cannot read safetensors file '${path}': ${message}`);
  }
  const created: Array<[string, tf.Tensor]> = [];
  try {
    const { tensors, metadata } = decodeSafetensors(bytes);
    for (const [name, raw] of Object.entries(tensors)) created.push([name, toTensor(name, raw)]);
    return { tensors: Object.fromEntries(created), metadata };
  } catch (error) {
    for (const [, tensor] of created) tensor.dispose();
    if (error instanceof SafetensorsError) throw new SafetensorsError(`${path}: ${error.message}`);
    throw error;
  }
}
