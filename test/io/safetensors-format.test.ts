import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  float32ToRawTensor, int32ToRawTensor, rawTensorToFloat32, rawTensorToInt32, type RawTensor,
} from '../../src/io/raw-tensor.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors-format.js';
import { SafetensorsError } from '../../src/utils/errors.js';

const fixture = (name: string): URL => new URL(`../fixtures/${name}`, import.meta.url);
const dtypesFile = new Uint8Array(readFileSync(fixture('safetensors-dtypes.safetensors')));
const dtypesExpected = JSON.parse(readFileSync(fixture('safetensors-dtypes.json'), 'utf8')) as {
  metadata: Record<string, string>;
  order: string[];
  tensors: Record<string, { dtype: string; shape: number[]; float32Bits?: number[]; int32?: number[] }>;
};

const f32 = (values: number[], shape = [values.length]): RawTensor => float32ToRawTensor(new Float32Array(values), shape);

/** A file with an arbitrary header text and data buffer, to feed the validator broken inputs. */
function fileWith(header: string | object, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const expectError = (bytes: Uint8Array, message: RegExp): void => {
  expect(() => decodeSafetensors(bytes)).toThrowError(SafetensorsError);
  expect(() => decodeSafetensors(bytes)).toThrowError(message);
};

describe('encodeSafetensors', () => {
  // Byte vectors from the reference implementation's own tests (safetensors/src/tensor.rs).
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
  const floats0to5 = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64];

  it('matches the reference writer byte for byte', () => {
    const values = [0, 1, 2, 3, 4, 5];
    expect([...encodeSafetensors({ 'attn.0': f32(values, [1, 2, 3]) })]).toEqual([
      64, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'),
      ...floats0to5,
    ]);
    expect([...encodeSafetensors({ attn0: f32(values, [1, 1, 2, 3]) })]).toEqual([
      72, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}'),
      ...Array(7).fill(32), ...floats0to5,
    ]);
    expect([...encodeSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect([...encodeSafetensors({}, { framework: 'pt' })]).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"__metadata__":{"framework":"pt"}}'), 32, 32, 32, 32, 32,
    ]);
  });

  it('lays out a mixed-dtype file exactly as the reference writer does', () => {
    const { tensors, metadata } = decodeSafetensors(dtypesFile);
    expect(encodeSafetensors(tensors, metadata)).toEqual(dtypesFile);
  });

  it('orders tensors by dtype alignment, then by code point, never hoisting integer-like names', () => {
    const tensors = {
      b: f32([1]), '10': f32([2]), '2': f32([3]), '\u{1F600}': f32([4]), '\uFFFD': f32([5]),
      ids: int32ToRawTensor(new Int32Array([1]), [1]), mask: { dtype: 'U8', shape: [1], data: new Uint8Array([1]) },
      big: { dtype: 'I64', shape: [1], data: new Uint8Array(8) },
    } satisfies Record<string, RawTensor>;
    const bytes = encodeSafetensors(tensors, { '2': 'x', '10': 'y' });
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))));
    const keys = [...header.matchAll(/"([^"]+)":\{/g)].map((m) => m[1]);
    expect(keys).toEqual(['__metadata__', 'big', '10', '2', 'b', '\uFFFD', '\u{1F600}', 'ids', 'mask']);
    expect(header.startsWith('{"__metadata__":{"10":"y","2":"x"},')).toBe(true);
    expect(decodeSafetensors(bytes).tensors['\u{1F600}']).toMatchObject({ dtype: 'F32', shape: [1] });
  });

  it('rejects inconsistent tensors, reserved names and bad metadata, naming the values', () => {
    const bad = { dtype: 'F32', shape: [2, 3], data: new Uint8Array(20) } as const;
    expect(() => encodeSafetensors({ w: bad })).toThrowError(/tensor 'w': F32 shape \[2, 3\] needs 24 bytes, got 20/);
    expect(() => encodeSafetensors({ w: { ...bad, shape: [2, -3] } })).toThrowError(/invalid dimension -3/);
    expect(() => encodeSafetensors({ w: { ...bad, dtype: 'F12' as 'F32' } })).toThrowError(/unknown dtype "F12"/);
    expect(() => encodeSafetensors({ __metadata__: f32([1]) })).toThrowError(SafetensorsError);
    expect(() => encodeSafetensors({ 'x\uD800': f32([1]) })).toThrowError(/lone UTF-16 surrogate/);
    expect(() => encodeSafetensors({}, { step: 3 as unknown as string })).toThrowError(/metadata 'step' must be a string, got number 3/);
  });
});

describe('decodeSafetensors', () => {
  it('reads every dtype of a PyTorch/numpy-written file to the values they convert to', () => {
    const { tensors, metadata } = decodeSafetensors(dtypesFile);
    expect(metadata).toEqual(dtypesExpected.metadata);
    expect(Object.keys(tensors)).toEqual(dtypesExpected.order);
    for (const [name, want] of Object.entries(dtypesExpected.tensors)) {
      const raw = tensors[name]!;
      expect({ name, dtype: raw.dtype, shape: raw.shape }).toEqual({ name, dtype: want.dtype, shape: want.shape });
      if (want.float32Bits) {
        const got = rawTensorToFloat32(raw, name);
        expect([...new Uint32Array(got.buffer)], name).toEqual(want.float32Bits);
      } else {
        expect([...rawTensorToInt32(raw, name)], name).toEqual(want.int32);
      }
    }
  });

  it('fails with a SafetensorsError, never a RangeError or a tensor, on every truncation', () => {
    for (let length = 0; length < dtypesFile.length; length++) {
      expect(() => decodeSafetensors(dtypesFile.subarray(0, length)), `prefix of ${length} bytes`).toThrowError(SafetensorsError);
    }
    expect(() => decodeSafetensors(dtypesFile.subarray(0, 5))).toThrowError(/5 bytes is shorter than the 8-byte header length/);
    expect(() => decodeSafetensors(dtypesFile.subarray(0, 100))).toThrowError(/runs past the end of the 100-byte file/);
    expect(() => decodeSafetensors(dtypesFile.subarray(0, dtypesFile.length - 1))).toThrowError(/exceed the \d+-byte data buffer/);
  });

  it('rejects absurd header lengths before allocating', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    expectError(bytes, /header length 9223372036854775808 exceeds the format's limit of 100000000/);
  });

  it('rejects headers that are not UTF-8, not JSON, not an object or repeat a key', () => {
    const notUtf8 = fileWith('{}');
    notUtf8[9] = 0xff;
    expectError(notUtf8, /not valid UTF-8/);
    expectError(fileWith('{"a":'), /not valid JSON/);
    expectError(fileWith('[1, 2]'), /must be a JSON object, got \[1, 2\]/);
    const t = '{"dtype":"U8","shape":[1],"data_offsets":[0,1]}';
    expectError(fileWith(`{"x":${t}, "y" : ${t.replace('0,1', '1,2')},"x" :${t}}`, new Uint8Array(2)), /repeats the key "x"/);
    expectError(fileWith(`{"__metadata__":{"k":"a","k":"b"}}`), /repeats the key "k"/);
    // A value equal to a key, and escaped quotes, are not repeats.
    const ok = decodeSafetensors(fileWith(`{"__metadata__":{"k":"k","q\\"":"\\"x\\""}}`));
    expect(ok.metadata).toEqual({ k: 'k', 'q"': '"x"' });
  });

  it('rejects impossible tensor entries, naming the tensor and the values', () => {
    const entry = (info: object, data = new Uint8Array(4)): Uint8Array => fileWith({ w: info }, data);
    expectError(entry({ dtype: 'F33', shape: [1], data_offsets: [0, 4] }), /tensor 'w': unknown dtype "F33"/);
    expectError(entry({ dtype: 'F32', shape: 1, data_offsets: [0, 4] }), /shape must be an array, got 1/);
    expectError(entry({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] }), /invalid dimension -1/);
    expectError(entry({ dtype: 'F32', shape: [0.5], data_offsets: [0, 4] }), /invalid dimension 0.5/);
    expectError(entry({ dtype: 'F32', shape: [2 ** 40, 2 ** 20], data_offsets: [0, 4] }), /too many elements/);
    expectError(entry({ dtype: 'F32', shape: [1], data_offsets: [0] }), /data_offsets must be two non-negative integers, got \[0\]/);
    expectError(entry({ dtype: 'F32', shape: [1], data_offsets: [-4, 0] }), /got \[-4,0\]/);
    expectError(entry({ dtype: 'F32', shape: [1], data_offsets: [4, 0] }), /\[4, 0\] end before they begin/);
    expectError(entry({ dtype: 'F32', shape: [2], data_offsets: [0, 4] }), /span 4 bytes but F32 shape \[2\] needs 8/);
    expectError(entry({ dtype: 'F32', shape: [1], data_offsets: [4, 8] }), /\[4, 8\] exceed the 4-byte data buffer/);
    expectError(entry({ dtype: 'F32', shape: [1] }), /data_offsets must be two/);
    expectError(fileWith({ w: [1] }), /tensor 'w': expected \{dtype, shape, data_offsets\}, got \[1\]/);
  });

  it('rejects gaps, overlaps and trailing bytes', () => {
    const u8 = (begin: number, end: number): object => ({ dtype: 'U8', shape: [end - begin], data_offsets: [begin, end] });
    expectError(fileWith({ a: u8(0, 2), b: u8(3, 4) }, new Uint8Array(4)), /gap of 1 bytes between tensor 'a' \(ends at 2\) and tensor 'b' \(begins at 3\)/);
    expectError(fileWith({ a: u8(1, 2) }, new Uint8Array(2)), /gap of 1 bytes between the start of the data buffer/);
    expectError(fileWith({ a: u8(0, 3), b: u8(2, 4) }, new Uint8Array(4)), /tensor 'b' \(data_offsets \[2, 4\]\) overlaps tensor 'a', which ends at 3/);
    expectError(fileWith({ a: u8(0, 2) }, new Uint8Array(5)), /3 bytes after tensor 'a' \(ends at 2\) belong to no tensor/);
  });

  it('reads tensors in any header order, zero-size tensors and null metadata; rejects non-string metadata', () => {
    const data = new Uint8Array([1, 2, 3]);
    const { tensors, metadata } = decodeSafetensors(fileWith({
      __metadata__: null,
      late: { dtype: 'U8', shape: [2], data_offsets: [1, 3] },
      none: { dtype: 'F64', shape: [0, 5], data_offsets: [1, 1] },
      early: { dtype: 'I8', shape: [], data_offsets: [0, 1] },
    }, data));
    expect(metadata).toEqual({});
    expect(Object.keys(tensors)).toEqual(['early', 'none', 'late']);
    expect([...tensors.late!.data]).toEqual([2, 3]);
    expect(rawTensorToFloat32(tensors.none!)).toHaveLength(0);
    expectError(fileWith({ __metadata__: { epoch: 3 } }), /'__metadata__' value of 'epoch' must be a string, got 3/);
    expectError(fileWith({ __metadata__: ['a'] }), /'__metadata__' must be an object of strings/);
  });
});

describe('raw tensor conversions', () => {
  const bytes = (dtype: RawTensor['dtype'], values: number[]): RawTensor => ({ dtype, shape: [values.length], data: new Uint8Array(values) });

  it('widens FP8 formats to the values of the OCP FP8 specification', () => {
    // E4M3 (fn): 448 max normal, 2^-9 min subnormal, 0x7f NaN; E5M2: 57344 max, 0x7c inf.
    expect([...rawTensorToFloat32(bytes('F8_E4M3', [0x38, 0x7e, 0x01, 0xfe, 0x7f, 0x80, 0x08]))])
      .toEqual([1, 448, 2 ** -9, -448, NaN, -0, 2 ** -6]);
    expect([...rawTensorToFloat32(bytes('F8_E5M2', [0x3c, 0x7b, 0x01, 0x7c, 0xfc, 0x7f]))])
      .toEqual([1, 57344, 2 ** -16, Infinity, -Infinity, NaN]);
  });

  it('copies F32 and I32 bit for bit, including NaN payloads and -0', () => {
    const values = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x7f800001, 0x3f800000]);
    const raw = float32ToRawTensor(new Float32Array(values.buffer), [5]);
    expect([...new Uint32Array(rawTensorToFloat32(raw).buffer)]).toEqual([...values]);
    const ints = new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0]);
    expect(rawTensorToInt32(int32ToRawTensor(ints.subarray(1), [2]))).toEqual(ints.subarray(1));
  });

  it('range-checks 64-bit and unsigned integers and refuses the wrong conversion', () => {
    const i64 = new BigInt64Array([5n, -(2n ** 31n) - 1n]);
    const raw: RawTensor = { dtype: 'I64', shape: [2], data: new Uint8Array(i64.buffer) };
    expect(() => rawTensorToInt32(raw, 'position_ids')).toThrowError(
      /tensor 'position_ids': I64 value -2147483649 at flat index 1 does not fit in int32/);
    const u64: RawTensor = { dtype: 'U64', shape: [1], data: new Uint8Array(new BigUint64Array([2n ** 64n - 1n]).buffer) };
    expect(() => rawTensorToInt32(u64)).toThrowError(/U64 value 18446744073709551615/);
    expect(() => rawTensorToInt32({ ...bytes('U32', [0, 0, 0, 0x80]), shape: [1] })).toThrowError(/U32 value 2147483648/);
    expect(() => rawTensorToInt32(f32([1]), 'w')).toThrowError(/tensor 'w': dtype F32 is a floating-point type/);
    expect(() => rawTensorToFloat32(bytes('U8', [1]), 'ids')).toThrowError(/tensor 'ids': dtype U8 is not a floating-point type/);
    expect(() => float32ToRawTensor(new Float32Array(3), [2, 2])).toThrowError(/F32 shape \[2, 2\] needs 16 bytes, got 12/);
  });
});
