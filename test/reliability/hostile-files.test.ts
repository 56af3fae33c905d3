import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelFolder, writeModelFolder } from '../../src/io/model-folder.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors-format.js';
import { ConfigError, SafetensorsError } from '../../src/utils/errors.js';
import { describeJSON, findReservedKey } from '../../src/utils/json-safety.js';
import { assertNoPrototypePollution } from './fuzz.js';

const tmp = mkdtempSync(join(tmpdir(), 'wordforge-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

/** A safetensors file of this header text and `dataLength` zero bytes. */
function file(header: string, dataLength = 0, declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + json.length + dataLength);
  new DataView(bytes.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

describe('json-safety', () => {
  it('describeJSON previews any value without throwing', () => {
    expect(describeJSON([1, 'a'])).toBe('[1,"a"]');
    expect(describeJSON(JSON.parse(deep(20_000)))).toBe('(an array nested too deeply to show)');
    expect(describeJSON(12n)).toBe('12n');
    expect(describeJSON(undefined)).toBe('undefined');
    expect(describeJSON({ toString: null })).toBe('{"toString":null}');
    expect(describeJSON('x'.repeat(500))).toHaveLength(200);
  });

  it('findReservedKey names the path of a __proto__, constructor or prototype key at any depth', () => {
    expect(findReservedKey(JSON.parse('{"a":[{"b":1},{"__proto__":{}}]}'))).toBe('a.1.__proto__');
    expect(findReservedKey(JSON.parse('{"n":{"constructor":{"prototype":1}}}'))).toBe('n.constructor');
    expect(findReservedKey(JSON.parse('{"proto":1,"toString":2}'))).toBeUndefined();
    const nested = JSON.parse(`${'{"a":'.repeat(50_000)}{"prototype":0}${'}'.repeat(50_000)}`) as unknown;
    expect(findReservedKey(nested)).toBe(`${'a.'.repeat(50_000)}prototype`);
  });
});

describe('safetensors headers an attacker could write', () => {
  const expectError = (bytes: Uint8Array, message: RegExp): void => {
    expect(() => decodeSafetensors(bytes)).toThrowError(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrowError(message);
    assertNoPrototypePollution();
  };

  it('rejects __proto__, constructor and prototype as tensor names and metadata keys', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expectError(file(`{"${name}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4), new RegExp(`tensor name '${name}' is reserved`));
      expectError(file(`{"__metadata__":{"${name}":"x"}}`), new RegExp(`metadata key '${name}' is reserved`));
      expect(() => encodeSafetensors({}, { [name]: 'x' })).toThrowError(SafetensorsError);
    }
    const named = Object.defineProperty({}, 'constructor', { value: { dtype: 'F32', shape: [], data: new Uint8Array(4) }, enumerable: true });
    expect(() => encodeSafetensors(named)).toThrowError(/tensor name 'constructor' is reserved/);
  });

  it('reports deeply nested or unprintable fields with a SafetensorsError, not a stack overflow', () => {
    expectError(file(`{"w":${deep(20_000)}}`), /tensor 'w': expected \{dtype, shape, data_offsets\}, got \(an array nested too deeply/);
    expectError(file(`{"w":{"dtype":"F32","shape":${deep(20_000)},"data_offsets":[0,0]}}`), /invalid dimension/);
    expectError(file(`{"w":{"dtype":"F32","shape":[1],"data_offsets":${deep(20_000)}}}`), /data_offsets must be two/);
    expectError(file(`{"__metadata__":{"k":${deep(20_000)}}}`), /value of 'k' must be a string/);
    expectError(file('{"w":{"dtype":"F32","shape":[{"toString":1}],"data_offsets":[0,4]}}', 4), /invalid dimension \{"toString":1\}/);
  });

  it('fails fast, without allocating, on a header claiming enormous tensors or header lengths', () => {
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    const max = Number.MAX_SAFE_INTEGER;
    expectError(file(`{"w":{"dtype":"F64","shape":[67108864,67108864],"data_offsets":[0,${2 ** 53 - 8}]}}`), /span .* bytes but F64 shape/);
    expectError(file(`{"w":{"dtype":"U8","shape":[${max}],"data_offsets":[0,${max}]}}`), /exceed the 0-byte data buffer/);
    expectError(file(`{"w":{"dtype":"F32","shape":[${max},${max}],"data_offsets":[0,0]}}`), /too many elements/);
    expectError(file('{}', 0, 2n ** 64n - 1n), /header length 18446744073709551615 exceeds/);
    expectError(file('{}', 0, 99_999_999n), /runs past the end of the 10-byte file/);
    expect(performance.now() - start).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });
});

describe('model folders with a hostile config.json', () => {
  it('rejects reserved keys at any depth and unprintable configs with a ConfigError', async () => {
    const w = tf.zeros([1]);
    await writeModelFolder(tmp, {}, { w });
    w.dispose();
    const cases: Array<[string, RegExp]> = [
      ['{"__proto__":{"polluted":true}}', /reserved key '__proto__'/],
      ['{"task_specific_params":{"x":{"constructor":{"prototype":{}}}}}', /reserved key 'task_specific_params.x.constructor'/],
      [deep(20_000), /must hold a JSON object, got \(an array nested too deeply/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(tmp, 'config.json'), text);
      await expect(readModelFolder(tmp)).rejects.toThrowError(ConfigError);
      await expect(readModelFolder(tmp)).rejects.toThrowError(message);
      assertNoPrototypePollution();
    }
  });
});
