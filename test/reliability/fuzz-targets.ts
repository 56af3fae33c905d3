// Every parser of untrusted files, as a fast-check property with a fixed seed. The test files run
// them at `numRuns`; scripts/reliability/report.ts runs the same properties with more cases.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { TensorBoardWriter } from '../../src/callbacks/tensorboard/tensorboard-writer.js';
import { writeModelFolder, readModelFolder } from '../../src/io/model-folder.js';
import { SAFETENSORS_DTYPES, SAFETENSORS_DTYPE_BYTES, elementCount, type RawTensor } from '../../src/io/raw-tensor.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors-format.js';
import { resolveGPTConfig } from '../../src/models/gpt/gpt-config.js';
import { gptConfigFromHuggingFace } from '../../src/models/gpt/gpt-hf-weights.js';
import { CharTokenizer } from '../../src/tokenizers/char-tokenizer.js';
import { CHECKPOINT_FILES, readCheckpoint, writeCheckpoint } from '../../src/training/checkpoint.js';
import { ConfigError, RangeArgumentError, SafetensorsError, VocabularyError } from '../../src/utils/errors.js';
import { RESERVED_KEYS, findReservedKey } from '../../src/utils/json-safety.js';
import { readEventFile } from '../callbacks/tensorboard-reader.js';
import { tokenizerTargets } from './fuzz-tokenizer-targets.js';
import {
  byteMutation, hostileJsonText, hostileNumber, jsonKey, jsonValue, mutateBytes, onlyTypedErrors,
} from './fuzz.js';

/** One parser under fuzzing. */
export interface FuzzTarget {
  /** What is fuzzed, as the report names it. */
  readonly parser: string;
  /** Cases in the normal test suite (the whole reliability suite stays under a minute on 2 cores). */
  readonly numRuns: number;
  readonly seed: number;
  /**
   * A known defect (in a file this suite does not own) that makes the property fail today: the
   * test is then expected to fail, and must be flipped once the defect is fixed.
   */
  readonly knownBug?: string;
  /** Builds the property; `dir` is an empty scratch folder for parsers that read files. */
  readonly property: (dir: string) => fc.IRawProperty<unknown[], true>;
}

// ---- safetensors -------------------------------------------------------------------------------

const tensorName = fc.string({ maxLength: 6 }).filter((n) => n !== '__metadata__' && !RESERVED_KEYS.has(n) && !/\p{Cs}/u.test(n));
const rawTensor: fc.Arbitrary<RawTensor> = fc
  .tuple(fc.constantFrom(...SAFETENSORS_DTYPES), fc.array(fc.nat(3), { maxLength: 3 }))
  .chain(([dtype, shape]) => {
    const length = elementCount(shape, 'fuzz') * SAFETENSORS_DTYPE_BYTES[dtype];
    return fc.uint8Array({ minLength: length, maxLength: length }).map((data) => ({ dtype, shape, data }));
  });
const validSafetensors = fc
  .tuple(fc.dictionary(tensorName, rawTensor, { maxKeys: 4 }), fc.option(fc.dictionary(tensorName, fc.string({ maxLength: 4 }), { maxKeys: 2 })))
  .map(([tensors, metadata]) => encodeSafetensors(tensors, metadata ?? undefined));

/** A safetensors file: a u64 header length, the header text, `dataLength` bytes. */
function safetensorsFile(header: string, dataLength: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + json.length + dataLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

/** What a successful decode must guarantee: consistent tensors that tile the data buffer, no reserved name. */
function checkDecoded(bytes: Uint8Array, decoded: ReturnType<typeof decodeSafetensors>): void {
  let total = 0;
  for (const [name, raw] of Object.entries(decoded.tensors)) {
    assert.ok(!RESERVED_KEYS.has(name), `tensor name ${name} accepted`);
    assert.equal(raw.data.byteLength, elementCount(raw.shape, name) * SAFETENSORS_DTYPE_BYTES[raw.dtype]);
    total += raw.data.byteLength;
  }
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  assert.equal(total, bytes.length - 8 - headerLength);
  assert.equal(findReservedKey(decoded.metadata), undefined);
}

const tensorEntry = fc.record({
  dtype: fc.oneof(fc.constantFrom(...SAFETENSORS_DTYPES), jsonValue),
  shape: fc.oneof({ weight: 3, arbitrary: fc.array(hostileNumber, { maxLength: 4 }) }, { weight: 1, arbitrary: jsonValue }),
  data_offsets: fc.oneof({ weight: 3, arbitrary: fc.tuple(hostileNumber, hostileNumber) }, { weight: 1, arbitrary: jsonValue }),
}, { requiredKeys: [] });

const safetensorsTargets: FuzzTarget[] = [
  {
    parser: 'decodeSafetensors: valid files truncated, overwritten, spliced',
    numRuns: 2000,
    seed: 1201,
    property: () => fc.asyncProperty(validSafetensors, fc.array(byteMutation, { minLength: 1, maxLength: 3 }), async (valid, mutations) => {
      const bytes = mutateBytes(valid, mutations);
      const decoded = await onlyTypedErrors([SafetensorsError], () => decodeSafetensors(bytes));
      if (decoded) checkDecoded(bytes, decoded);
    }),
  },
  {
    parser: 'decodeSafetensors: random headers (dtypes, shapes, offsets, huge sizes, reserved names)',
    numRuns: 2000,
    seed: 1202,
    property: () => fc.asyncProperty(
      fc.dictionary(jsonKey, fc.oneof({ weight: 3, arbitrary: tensorEntry }, { weight: 1, arbitrary: jsonValue }), { maxKeys: 4 }),
      fc.option(fc.oneof(fc.dictionary(jsonKey, fc.string({ maxLength: 4 }), { maxKeys: 3 }), jsonValue)),
      fc.nat(256),
      async (entries, metadata, dataLength) => {
        const header = metadata === null ? entries : { ...entries, __metadata__: metadata };
        const bytes = safetensorsFile(JSON.stringify(header), dataLength);
        const decoded = await onlyTypedErrors([SafetensorsError], () => decodeSafetensors(bytes));
        if (decoded) checkDecoded(bytes, decoded);
      },
    ),
  },
];

// ---- JSON configs and tokenizer ----------------------------------------------------------------

const gptField = fc.constantFrom('vocabSize', 'contextLength', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize',
  'dropout', 'layerNormEps', 'initStd', 'seed');
const hfField = fc.constantFrom('model_type', 'vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head', 'n_inner',
  'layer_norm_epsilon', 'initializer_range', 'activation_function', 'scale_attn_weights', 'reorder_and_upcast_attn');
const plausible = fc.oneof(hostileNumber, fc.constantFrom('gpt2', 'gelu_new', true, false, null), jsonValue);

/** Objects mixing real field names with hostile values, reserved and random keys. */
function configObject(field: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.oneof({ weight: 3, arbitrary: field }, { weight: 1, arbitrary: jsonKey }), plausible, { maxKeys: 8 });
}

/** A CharTokenizer's saved form, each field possibly replaced by garbage. */
const charTokenizerJson = fc.record({
  type: fc.oneof(fc.constant('CharTokenizer'), jsonValue),
  version: fc.oneof(fc.constant(1), jsonValue),
  vocab: fc.oneof(fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 2 }), fc.constantFrom('<pad>', '<unk>')), { maxLength: 6 }), jsonValue),
  specialTokens: fc.oneof(fc.subarray(['<pad>', '<unk>', '']), jsonValue),
  unknownToken: fc.oneof(fc.constantFrom('<unk>', null, ''), jsonValue),
}, { requiredKeys: [] });

const jsonTargets: FuzzTarget[] = [
  {
    parser: 'resolveGPTConfig: arbitrary JSON objects',
    numRuns: 2000,
    seed: 1203,
    property: () => fc.asyncProperty(configObject(gptField), async (input) => {
      const config = await onlyTypedErrors([ConfigError], () => resolveGPTConfig(input as never));
      if (config) {
        assert.ok(Object.isFrozen(config) && config.hiddenSize % config.numHeads === 0);
        for (const [key, value] of Object.entries(config)) assert.ok(Number.isFinite(value), `${key}: ${JSON.stringify(value)} accepted`);
      }
    }),
  },
  {
    parser: 'gptConfigFromHuggingFace: arbitrary config.json objects',
    numRuns: 2000,
    seed: 1214,
    property: () => fc.asyncProperty(configObject(hfField), async (hf) => {
      await onlyTypedErrors([ConfigError], () => gptConfigFromHuggingFace(hf));
    }),
  },
  {
    parser: 'CharTokenizer.fromJSON: damaged tokenizer.json',
    numRuns: 2000,
    seed: 1205,
    property: () => fc.asyncProperty(hostileJsonText(charTokenizerJson), async (text) => {
      const tokenizer = await onlyTypedErrors([ConfigError, VocabularyError], () => CharTokenizer.fromJSON(text));
      if (tokenizer) assert.deepEqual(CharTokenizer.fromJSON(JSON.stringify(tokenizer)).toJSON(), tokenizer.toJSON());
    }),
  },
];

// ---- folders: model, checkpoint ------------------------------------------------------------------

const fileTargets: FuzzTarget[] = [
  {
    parser: 'readModelFolder: damaged config.json',
    numRuns: 1000,
    seed: 1206,
    property: (dir) => {
      let written: Promise<void> | undefined;
      return fc.asyncProperty(hostileJsonText(fc.oneof(configObject(hfField), jsonValue)), async (text) => {
        written ??= (async () => {
          const w = tf.zeros([2]);
          await writeModelFolder(dir, {}, { w });
          w.dispose();
        })();
        await written;
        writeFileSync(join(dir, 'config.json'), text);
        const folder = await onlyTypedErrors([ConfigError], () => readModelFolder(dir));
        if (folder) {
          tf.dispose(Object.values(folder.tensors));
          assert.equal(findReservedKey(folder.config), undefined);
        }
      });
    },
  },
  ...(['state', 'optimizer'] as const).map((file, i): FuzzTarget => ({
    parser: `readCheckpoint: damaged ${CHECKPOINT_FILES[file]}`,
    numRuns: 500,
    seed: 1207 + i,
    property: (dir) => {
      let original: Promise<{ path: string; bytes: Uint8Array }> | undefined;
      const damaged = file === 'state'
        ? hostileJsonText(fc.record({ step: plausible, epoch: plausible, trainer: jsonValue, optimizer: fc.record({ kind: plausible, step: plausible, scalars: jsonValue }) }))
          .map((text) => () => new TextEncoder().encode(text))
        : fc.array(byteMutation, { minLength: 1, maxLength: 3 }).map((m) => (bytes: Uint8Array) => mutateBytes(bytes, m));
      return fc.asyncProperty(damaged, async (damage) => {
        original ??= (async () => {
          const w = tf.tensor1d([1, 2, 3]);
          const slots = { 'm.w': { shape: [3], data: new Float32Array([4, 5, 6]) } };
          const path = await writeCheckpoint(dir, [['w', w]], { kind: 'adamw', step: 3, slots, scalars: { 'step.w': 3 } }, { step: 3, epoch: 0, trainer: {} });
          w.dispose();
          return { path, bytes: readFileSync(join(path, CHECKPOINT_FILES[file])) };
        })();
        const { path, bytes } = await original;
        writeFileSync(join(path, CHECKPOINT_FILES[file]), damage(bytes));
        const checkpoint = await onlyTypedErrors([ConfigError, SafetensorsError], () => readCheckpoint(path));
        if (checkpoint) {
          tf.dispose(Object.values(checkpoint.weights));
          assert.ok(Number.isInteger(checkpoint.state.step) && typeof checkpoint.optimizer.kind === 'string');
        }
      });
    },
  })),
];

// ---- TensorBoard writer ------------------------------------------------------------------------

const tensorBoardTargets: FuzzTarget[] = [
  {
    parser: 'TensorBoardWriter: arbitrary tags, values, steps and text',
    numRuns: 300,
    seed: 1209,
    property: (dir) => fc.asyncProperty(
      fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.double(), hostileNumber), { maxLength: 4 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      async (scalars, text) => {
        const writer = await TensorBoardWriter.open(dir, { flushEverySeconds: Infinity });
        const add = (call: () => void): Promise<boolean | undefined> => onlyTypedErrors([RangeArgumentError], () => {
          call();
          return true;
        });
        let accepted = 0;
        for (const [tag, value, step] of scalars) {
          if (await add(() => writer.addScalar(tag, value, step))) accepted++;
        }
        if (await add(() => writer.addText('fuzz', text, 0))) accepted++;
        await writer.close();
        const events = await readEventFile(writer.path); // throws on a torn or corrupt record
        assert.equal(events[0]!.file_version, 'brain.Event:2');
        assert.equal(events.length, 1 + accepted);
      },
    ),
  },
  {
    parser: 'TensorBoardWriter.open: arbitrary filenameSuffix and hostname',
    numRuns: 300,
    seed: 1210,
    property: (dir) => fc.asyncProperty(
      // NUL is left out: it makes Node's fs throw a TypeError (see names.test.ts)
      fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes('\0')),
      fc.option(fc.string({ maxLength: 6 }).filter((s) => !s.includes('\0')), { nil: undefined }),
      async (filenameSuffix, hostname) => {
        mkdirSync(dir, { recursive: true });
        const writer = await onlyTypedErrors([ConfigError], () =>
          TensorBoardWriter.open(dir, { filenameSuffix, hostname, flushEverySeconds: Infinity }));
        if (writer) {
          await writer.close();
          assert.equal(dirname(writer.path), dir, `${writer.path} escapes ${dir}`);
        }
      },
    ),
  },
];

/** Every fuzz target, in report order. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [...safetensorsTargets, ...jsonTargets, ...fileTargets, ...tensorBoardTargets, ...tokenizerTargets];
