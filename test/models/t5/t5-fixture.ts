import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqBatch } from '../../../src/data/seq2seq-batch.js';
import type { T5Seq2SeqLM } from '../../../src/models/t5/t5-seq2seq-lm.js';

/** The tiny Hugging Face T5 checkpoints (written by transformers 4.43.4) beside the repository. */
export const T5_FIXTURES = ['t5', 't5-v1_1'] as const;

/** Folder of fixture `name`. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../../../../shared/fixtures/hf-tiny/${name}/`, import.meta.url));
}

/** Whether the shared fixtures are present. */
export const haveFixtures = T5_FIXTURES.every((name) => existsSync(`${fixtureDir(name)}model.safetensors`));

/** One case of a fixture's inputs.json. */
export interface T5Case {
  readonly name: string;
  readonly inputs: {
    readonly input_ids: number[][];
    readonly attention_mask?: number[][];
    readonly decoder_input_ids: number[][];
    readonly decoder_attention_mask?: number[][];
  };
}

/** Parsed JSON file of fixture `name`. */
export function readJSON<T>(name: string, file: string): T {
  return JSON.parse(readFileSync(`${fixtureDir(name)}${file}`, 'utf8')) as T;
}

/** Every case a fixture's inputs.json lists. */
export function fixtureCases(name: string): T5Case[] {
  return readJSON<{ cases: T5Case[] }>(name, 'inputs.json').cases;
}

/** The case's inputs as tensors (the caller disposes them). */
export function caseTensors(c: T5Case): { inputIds: tf.Tensor; attentionMask?: tf.Tensor; decoderInputIds: tf.Tensor; decoderAttentionMask?: tf.Tensor } {
  const i = c.inputs;
  return {
    inputIds: tf.tensor2d(i.input_ids, undefined, 'int32'),
    decoderInputIds: tf.tensor2d(i.decoder_input_ids, undefined, 'int32'),
    ...(i.attention_mask ? { attentionMask: tf.tensor2d(i.attention_mask, undefined, 'int32') } : {}),
    ...(i.decoder_attention_mask ? { decoderAttentionMask: tf.tensor2d(i.decoder_attention_mask, undefined, 'int32') } : {}),
  };
}

/** Runs the model on a case and returns its logits as a flat array with their shape. */
export async function caseLogits(model: T5Seq2SeqLM, c: T5Case): Promise<{ shape: number[]; data: Float32Array }> {
  const inputs = caseTensors(c);
  const logits = model.logits(inputs);
  const data = (await logits.data()) as Float32Array;
  const shape = logits.shape;
  tf.dispose([logits, ...Object.values(inputs)]);
  return { shape, data };
}

/** Largest |ours - HF| over the decoder positions HF marks valid (expected.json's valid_positions, else the decoder mask, else all). */
export function maxErrorAtValidPositions(name: string, c: T5Case, got: ArrayLike<number>): number {
  const expected = readJSON<{ shape: number[]; data: number[] }>(name, `logits_${c.name}.json`);
  const [b, t, v] = expected.shape as [number, number, number];
  const summary = readJSON<{ cases?: Record<string, { logits?: { valid_positions?: number[][] } }> }>(name, 'expected.json');
  const valid = summary.cases?.[c.name]?.logits?.valid_positions ?? c.inputs.decoder_attention_mask;
  let maxErr = 0;
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < t; j++) {
      if (valid && valid[i]![j] === 0) continue;
      for (let k = 0; k < v; k++) {
        const n = (i * t + j) * v + k;
        maxErr = Math.max(maxErr, Math.abs(got[n]! - Math.fround(expected.data[n]!)));
      }
    }
  }
  return maxErr;
}

/** A {@link Seq2SeqBatch} from rows (labels may hold -100). */
export function seq2seqBatch(inputIds: number[][], labels: number[][], attentionMask?: number[][]): Seq2SeqBatch {
  return {
    batchSize: inputIds.length, sourceLength: inputIds[0]!.length, targetLength: labels[0]!.length,
    inputIds: Int32Array.from(inputIds.flat()), labels: Int32Array.from(labels.flat()),
    ...(attentionMask ? { attentionMask: Uint8Array.from(attentionMask.flat()) } : {}),
  };
}
