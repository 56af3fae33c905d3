import { SafetensorsError } from '../utils/errors.js';
import { assert } from '../utils/assert.js';
import { RESERVED_KEYS, describeJSON } from '../utils/json-safety.js';
import {
  SAFETENSORS_DTYPES, SAFETENSORS_DTYPE_BYTES, checkRawTensor, elementCount, isSafetensorsDtype,
  type RawTensor,
} from './raw-tensor.js';

/** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

/**
 * What a safetensors file holds: named tensors and free-form string metadata.
 * @example
 * ```ts
 * declare const bytes: Uint8Array;
 * const { tensors, metadata }: SafetensorsContents = decodeSafetensors(bytes);
 * ```
 */
export interface SafetensorsContents {
  /** The tensors by name, in file order; their data are views into the decoded buffer. */
  readonly tensors: Record<string, RawTensor>;
  /** The header's `__metadata__` strings (empty when absent). */
  readonly metadata: Record<string, string>;
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (Rust's `str` order). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** JSON object text with keys in the given order (JSON.stringify would hoist integer-like keys). */
function jsonObject(entries: ReadonlyArray<readonly [string, string]>): string {
  return `{${entries.map(([key, valueJson]) => `${JSON.stringify(key)}:${valueJson}`).join(',')}}`;
}

/** Rejects a tensor name or metadata key that would reach an object's prototype (`__proto__`...). */
function checkNotReserved(key: string, what: string): void {
  assert(!RESERVED_KEYS.has(key), SafetensorsError,
    () => `${what} '${key}' is reserved (${[...RESERVED_KEYS].join(', ')} could reach an object's prototype)`);
}

function checkWellFormed(text: string, what: string): void {
  assert(!/\p{Cs}/u.test(text), SafetensorsError,
    () => `${what} ${JSON.stringify(text)} contains a lone UTF-16 surrogate, which UTF-8 cannot encode`);
}

/**
 * Serialises tensors to the safetensors format (https://github.com/huggingface/safetensors): a u64
 * little-endian header length N, N bytes of compact UTF-8 JSON padded with spaces to a multiple of
 * 8, then the tensor bytes back to back with no gaps. The layout is the reference writer's, byte
 * for byte: `__metadata__` first (when `metadata` is given, keys sorted), then tensors ordered by
 * dtype alignment (largest first, so every tensor is aligned to its element size) and then by name
 * in code-point order.
 *
 * @param tensors - raw tensors by name (`__metadata__` is reserved)
 * @param metadata - optional free-form string pairs, e.g. `{ format: 'pt' }`
 * @returns the file's bytes
 * @throws SafetensorsError for an inconsistent tensor, a reserved (`__metadata__`, `__proto__`,
 *   `constructor`, `prototype`) or ill-formed name, or
 *   non-string metadata
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ bias: float32ToRawTensor(new Float32Array([0.5]), [1]) }, { format: 'pt' });
 * decodeSafetensors(bytes).metadata; // { format: 'pt' }
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const dtypeRank = (t: RawTensor): number => SAFETENSORS_DTYPES.indexOf(t.dtype);
  const names = Object.keys(tensors);
  for (const name of names) {
    assert(name !== METADATA_KEY, SafetensorsError, () => `'${METADATA_KEY}' is reserved and cannot name a tensor`);
    checkNotReserved(name, 'tensor name');
    checkWellFormed(name, 'tensor name');
    checkRawTensor(tensors[name]!, name);
  }
  names.sort((a, b) => dtypeRank(tensors[b]!) - dtypeRank(tensors[a]!) || compareCodePoints(a, b));

  const entries: Array<[string, string]> = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareCodePoints);
    for (const key of keys) {
      const value: unknown = metadata[key];
      assert(typeof value === 'string', SafetensorsError,
        () => `metadata '${key}' must be a string, got ${typeof value} ${String(value)}`);
      checkNotReserved(key, 'metadata key');
      checkWellFormed(key, 'metadata key');
      checkWellFormed(value, 'metadata value');
    }
    entries.push([METADATA_KEY, jsonObject(keys.map((k) => [k, JSON.stringify(metadata[k])]))]);
  }
  let offset = 0;
  for (const name of names) {
    const { dtype, shape, data } = tensors[name]!;
    const info = `{"dtype":"${dtype}","shape":[${shape.join(',')}],"data_offsets":[${offset},${offset + data.byteLength}]}`;
    entries.push([name, info]);
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(jsonObject(entries));
  const headerLength = Math.ceil(json.length / 8) * 8;
  assert(headerLength <= MAX_HEADER_BYTES, SafetensorsError,
    () => `header of ${headerLength} bytes exceeds the format's limit of ${MAX_HEADER_BYTES}`);

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const name of names) {
    out.set(tensors[name]!.data, position);
    position += tensors[name]!.data.byteLength;
  }
  return out;
}

/** Finds a key repeated within one JSON object (JSON.parse silently keeps the last). */
function findDuplicateKey(json: string): string | undefined {
  const stack: Array<Set<string> | null> = []; // one entry per open object (a Set) or array (null)
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      let next = i + 1;
      while (' \t\n\r'.includes(json[next] ?? '!')) next++;
      const keys = stack.at(-1);
      if (!keys || json[next] !== ':') continue; // a value, not a key
      const key = JSON.parse(json.slice(start, i + 1)) as string;
      if (keys.has(key)) return key;
      keys.add(key);
    }
  }
  return undefined;
}

function parseHeader(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new SafetensorsError(`header of ${bytes.length} bytes is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(`header is not valid JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
  }
  assert(typeof header === 'object' && header !== null && !Array.isArray(header), SafetensorsError,
    () => `header must be a JSON object, got ${text.slice(0, 200)}`);
  const duplicate = findDuplicateKey(text);
  assert(duplicate === undefined, SafetensorsError, () => `header repeats the key ${JSON.stringify(duplicate)}`);
  return header as Record<string, unknown>;
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  assert(typeof value === 'object' && !Array.isArray(value), SafetensorsError,
    () => `'${METADATA_KEY}' must be an object of strings, got ${describeJSON(value)}`);
  for (const [key, v] of Object.entries(value)) {
    checkNotReserved(key, 'metadata key');
    assert(typeof v === 'string', SafetensorsError,
      () => `'${METADATA_KEY}' value of '${key}' must be a string, got ${describeJSON(v)}`);
  }
  return value as Record<string, string>;
}

interface TensorEntry {
  readonly name: string;
  readonly info: Omit<RawTensor, 'data'>;
  readonly begin: number;
  readonly end: number;
}

function parseTensorEntry(name: string, value: unknown, bufferLength: number): TensorEntry {
  const what = `tensor '${name}'`;
  checkNotReserved(name, 'tensor name');
  assert(typeof value === 'object' && value !== null && !Array.isArray(value), SafetensorsError,
    () => `${what}: expected {dtype, shape, data_offsets}, got ${describeJSON(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  assert(isSafetensorsDtype(dtype), SafetensorsError,
    () => `${what}: unknown dtype ${describeJSON(dtype)} (known: ${SAFETENSORS_DTYPES.join(', ')})`);
  assert(Array.isArray(shape), SafetensorsError, () => `${what}: shape must be an array, got ${describeJSON(shape)}`);
  const count = elementCount(shape, name);
  assert(Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isSafeInteger(o) && o >= 0),
    SafetensorsError, () => `${what}: data_offsets must be two non-negative integers, got ${describeJSON(offsets)}`);
  const [begin, end] = offsets as [number, number];
  assert(end >= begin, SafetensorsError, () => `${what}: data_offsets [${begin}, ${end}] end before they begin`);
  assert(end - begin === count * SAFETENSORS_DTYPE_BYTES[dtype], SafetensorsError,
    () => `${what}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype} shape [${shape.join(', ')}] needs ${count * SAFETENSORS_DTYPE_BYTES[dtype]}`);
  assert(end <= bufferLength, SafetensorsError,
    () => `${what}: data_offsets [${begin}, ${end}] exceed the ${bufferLength}-byte data buffer (truncated file?)`);
  return { name, info: { dtype, shape: shape as number[] }, begin, end };
}

/**
 * Parses and validates a safetensors file (https://github.com/huggingface/safetensors). The tensors'
 * `data` are views into `bytes` (no copy); convert them with `rawTensorToFloat32` /
 * `rawTensorToInt32`. Tensors come in file order (ascending offsets).
 *
 * Everything is checked before anything is returned: the header length (at most 100 MB and within
 * the file), UTF-8 and JSON validity, repeated keys, dtypes, shapes, that each tensor's
 * `data_offsets` span exactly `product(shape) * bytesPerElement` bytes, and that the tensors tile
 * the data buffer exactly (no gap, overlap or trailing bytes), and that no tensor name or metadata
 * key is `__proto__`, `constructor` or `prototype`. A truncated file therefore always fails with
 * a {@link SafetensorsError}, and no size is allocated before it is checked against the file.
 *
 * @param bytes - the whole file
 * @throws SafetensorsError naming the offending values
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * const { tensors, metadata } = decodeSafetensors(await readFile('model.safetensors'));
 * const wte = rawTensorToFloat32(tensors['transformer.wte.weight']!);
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  assert(bytes.length >= 8, SafetensorsError,
    () => `file of ${bytes.length} bytes is shorter than the 8-byte header length (truncated file?)`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  assert(declared <= BigInt(MAX_HEADER_BYTES), SafetensorsError,
    () => `header length ${declared} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes (not a safetensors file?)`);
  const headerLength = Number(declared);
  assert(8 + headerLength <= bytes.length, SafetensorsError,
    () => `header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated file?)`);
  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const buffer = bytes.subarray(8 + headerLength);

  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseTensorEntry(name, value, buffer.length))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous = 'the start of the data buffer';
  for (const { name, begin, end } of entries) {
    assert(begin >= position, SafetensorsError,
      () => `tensor '${name}' (data_offsets [${begin}, ${end}]) overlaps ${previous}, which ends at ${position}`);
    assert(begin === position, SafetensorsError,
      () => `gap of ${begin - position} bytes between ${previous} (ends at ${position}) and tensor '${name}' (begins at ${begin})`);
    position = end;
    previous = `tensor '${name}'`;
  }
  assert(position === buffer.length, SafetensorsError,
    () => `${buffer.length - position} bytes after ${previous} (ends at ${position}) belong to no tensor`);

  return {
    tensors: Object.fromEntries(entries.map(({ name, info, begin, end }) =>
      [name, { ...info, data: buffer.subarray(begin, end) }])),
    metadata: parseMetadata(header[METADATA_KEY]),
  };
}
