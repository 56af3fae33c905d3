// Independent readers of safetensors files for save/load tests: a hand parse that does not use
// src/io, and numpy through /usr/bin/python3 when it is installed (CI has no Python).
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** One tensor of a file parsed by {@link readSafetensorsByHand}. */
export interface HandParsedTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly bytes: Buffer;
}

/**
 * Parses a safetensors file by hand (u64 header length, JSON header, raw bytes) and checks that
 * the tensors tile the data section exactly, with byte counts matching dtype and shape.
 */
export function readSafetensorsByHand(path: string): Map<string, HandParsedTensor> {
  const file = readFileSync(path);
  const headerLength = Number(file.readBigUInt64LE(0));
  const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const start = 8 + headerLength;
  const width: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I32: 4, I64: 8 };
  const out = new Map<string, HandParsedTensor>();
  const spans: Array<[number, number]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = entry.data_offsets;
    expect(end - begin, name).toBe(entry.shape.reduce((a, b) => a * b, 1) * (width[entry.dtype] ?? Number.NaN));
    spans.push([begin, end]);
    out.set(name, { dtype: entry.dtype, shape: entry.shape, bytes: file.subarray(start + begin, start + end) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  spans.forEach(([begin], i) => expect(begin).toBe(i === 0 ? 0 : spans[i - 1]![1])); // contiguous, no overlap
  expect(start + (spans.at(-1)?.[1] ?? 0)).toBe(file.length);
  return out;
}

const PYTHON = '/usr/bin/python3';

/** Whether numpy is available to {@link compareWithNumpy}. */
export const HAS_NUMPY = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

const NUMPY_COMPARE = `
import json, struct, sys
import numpy as np
def read(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    return {k: np.frombuffer(raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], dtype='<f4').reshape(v['shape'])
            for k, v in header.items() if k != '__metadata__'}
a, b = read(sys.argv[1]), read(sys.argv[2])
print(json.dumps({'keys': sorted(a), 'same_keys': sorted(a) == sorted(b),
                  'equal': {k: bool(k in b and a[k].shape == b[k].shape and np.array_equal(a[k], b[k])) for k in a}}))`;

/** numpy's reading of two float32 safetensors files: their keys, and per key whether the arrays are equal. */
export function compareWithNumpy(ours: string, theirs: string): { keys: string[]; sameKeys: boolean; equal: Record<string, boolean> } {
  const run = spawnSync(PYTHON, ['-c', NUMPY_COMPARE, ours, theirs], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const parsed = JSON.parse(run.stdout) as { keys: string[]; same_keys: boolean; equal: Record<string, boolean> };
  return { keys: parsed.keys, sameKeys: parsed.same_keys, equal: parsed.equal };
}
