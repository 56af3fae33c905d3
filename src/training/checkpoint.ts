import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors-format.js';
import { float32ToRawTensor, rawTensorToFloat32 } from '../io/raw-tensor.js';
import { saveSafetensors, loadSafetensors } from '../io/safetensors-file.js';
import { writeFileAtomic } from '../utils/atomic-write.js';
import { assert } from '../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../utils/errors.js';
import { describeJSON } from '../utils/json-safety.js';
import type { OptimizerState } from './optimizer.js';

/** File names inside a checkpoint folder. */
export const CHECKPOINT_FILES = {
  /** Model parameters by attribute path. */
  weights: 'model.safetensors',
  /** Optimizer slots (moments...) as float32 tensors. */
  optimizer: 'optimizer.safetensors',
  /** Step, epoch, log history, best metric, optimizer scalars, data position: JSON. */
  state: 'trainer_state.json',
} as const;

const FOLDER = /^checkpoint-(\d+)$/;

/** Everything a checkpoint holds besides the weights, as written to `trainer_state.json`. */
export interface CheckpointState {
  /** Optimizer updates done. */
  readonly step: number;
  /** Epoch in progress. */
  readonly epoch: number;
  /** Anything else the trainer needs to resume (log history, best metric, data position...). */
  readonly trainer: Record<string, unknown>;
  /** The optimizer's kind, step and per-parameter scalars (its tensors are in optimizer.safetensors). */
  readonly optimizer: Omit<OptimizerState, 'slots'>;
}

/** A checkpoint read back by {@link readCheckpoint}; the caller disposes `weights`. */
export interface LoadedCheckpoint {
  /** The folder read. */
  readonly path: string;
  /** Model parameters by name. */
  readonly weights: Record<string, tf.Tensor>;
  /** The optimizer state, ready for `optimizer.setState`. */
  readonly optimizer: OptimizerState;
  /** The trainer's state. */
  readonly state: CheckpointState;
}

/**
 * Writes `checkpoint-<step>` under `dir` atomically: everything goes into a temporary folder that
 * is renamed into place only when complete, so a crash at any moment leaves either the previous
 * checkpoints alone or a complete new one.
 * @param params - the model's named parameters (read, not disposed)
 * @param files - extra files to store beside (e.g. `tokenizer.json`, `config.json`)
 * @returns the folder written
 * @example
 * ```ts
 * declare const model: GPTCausalLM, optimizer: AdamW, state: Omit<CheckpointState, 'optimizer'>;
 * const path = await writeCheckpoint('runs/gpt', model.namedParameters(), await optimizer.getState(), state);
 * ```
 */
export async function writeCheckpoint(
  dir: string,
  params: ReadonlyArray<readonly [string, tf.Tensor]>,
  optimizer: OptimizerState,
  state: Omit<CheckpointState, 'optimizer'>,
  files: Readonly<Record<string, string | Uint8Array>> = {},
): Promise<string> {
  assert(Number.isInteger(state.step) && state.step >= 0, RangeArgumentError,
    () => `checkpoint step (${describeJSON(state.step)}) must be a non-negative integer`);
  const reserved = new Set<string>(Object.values(CHECKPOINT_FILES));
  for (const name of Object.keys(files)) {
    assert(/^[^/\\\0]+$/.test(name) && name !== '.' && name !== '..', ConfigError,
      () => `checkpoint file name ${describeJSON(name)} must be a plain file name inside the checkpoint folder`);
    assert(!reserved.has(name), ConfigError, () => `checkpoint file name "${name}" would overwrite the checkpoint's own ${name}`);
  }
  await mkdir(dir, { recursive: true });
  const final = join(dir, `checkpoint-${state.step}`);
  const temporary = join(dir, `.checkpoint-${state.step}.tmp-${process.pid}`);
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary);
  try {
    await saveSafetensors(join(temporary, CHECKPOINT_FILES.weights), Object.fromEntries(params));
    const { slots, ...rest } = optimizer;
    const raw = Object.fromEntries(Object.entries(slots).map(([name, s]) => [name, float32ToRawTensor(s.data, s.shape)]));
    await writeFileAtomic(join(temporary, CHECKPOINT_FILES.optimizer), encodeSafetensors(raw));
    await writeFileAtomic(join(temporary, CHECKPOINT_FILES.state), `${JSON.stringify({ ...state, optimizer: rest }, null, 1)}\n`);
    for (const [name, content] of Object.entries(files)) await writeFileAtomic(join(temporary, name), content);
    await rm(final, { recursive: true, force: true });
    await rename(temporary, final);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return final;
}

/**
 * Reads a checkpoint folder written by {@link writeCheckpoint}.
 * @throws ConfigError when the folder or its state file is missing or malformed; SafetensorsError for corrupt tensors
 * @example
 * ```ts
 * const checkpoint = await readCheckpoint('runs/gpt/checkpoint-400');
 * declare const model: GPTCausalLM, optimizer: AdamW;
 * model.loadStateDict(checkpoint.weights);
 * optimizer.setState(checkpoint.optimizer);
 * tf.dispose(Object.values(checkpoint.weights));
 * ```
 */
export async function readCheckpoint(path: string): Promise<LoadedCheckpoint> {
  let state: CheckpointState;
  try {
    state = JSON.parse(await readFile(join(path, CHECKPOINT_FILES.state), 'utf8')) as CheckpointState;
  } catch (error) {
    throw new ConfigError(`cannot read checkpoint state ${join(path, CHECKPOINT_FILES.state)}: ${(error as Error).message}`);
  }
  const optimizer = state?.optimizer;
  const scalarsValid = optimizer?.scalars !== null && typeof optimizer?.scalars === 'object'
    && Object.values(optimizer.scalars).every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!Number.isInteger(state?.step) || !Number.isInteger(state?.epoch) || typeof optimizer?.kind !== 'string'
    || !Number.isInteger(optimizer.step) || !scalarsValid) {
    throw new ConfigError(`${join(path, CHECKPOINT_FILES.state)} lacks a valid step, epoch, optimizer kind, optimizer step or optimizer scalars`);
  }
  const { tensors } = decodeSafetensors(await readFile(join(path, CHECKPOINT_FILES.optimizer)));
  const slots = Object.fromEntries(Object.entries(tensors).map(([name, raw]) => [name, { shape: raw.shape, data: rawTensorToFloat32(raw, name) }]));
  const { tensors: weights } = await loadSafetensors(join(path, CHECKPOINT_FILES.weights));
  return { path, weights, optimizer: { ...state.optimizer, slots }, state };
}

/** A checkpoint folder found by {@link listCheckpoints}. */
export interface CheckpointEntry {
  /** The step it was written at. */
  readonly step: number;
  /** Its folder. */
  readonly path: string;
}

/**
 * The complete checkpoints under `dir` (folders `checkpoint-<step>` holding a state file), by step.
 * @example
 * ```ts
 * const latest = (await listCheckpoints('runs/gpt')).at(-1)?.path;
 * ```
 */
export async function listCheckpoints(dir: string): Promise<CheckpointEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: CheckpointEntry[] = [];
  for (const name of names) {
    const match = FOLDER.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const complete = await stat(join(path, CHECKPOINT_FILES.state)).then(() => true, () => false);
    if (complete) found.push({ step: Number(match[1]), path });
  }
  return found.sort((a, b) => a.step - b.step);
}

/**
 * Deletes all but the newest `keepLast` checkpoints under `dir`, never those in `keep`.
 * @example
 * ```ts
 * declare const bestPath: string;
 * await pruneCheckpoints('runs/gpt', 2, new Set([bestPath]));
 * ```
 */
export async function pruneCheckpoints(dir: string, keepLast: number, keep: ReadonlySet<string> = new Set()): Promise<void> {
  const all = await listCheckpoints(dir);
  for (const { path } of all.slice(0, Math.max(0, all.length - keepLast))) {
    if (!keep.has(path)) await rm(path, { recursive: true, force: true });
  }
}
