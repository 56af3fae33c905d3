// Fuzz targets for the tokenizer file parsers: tokenizer.json (text damage and hostile values at
// any JSON path), SentencePiece .model protobufs, GPT-2 vocab.json + merges.txt and BERT vocab.txt.
// Loading may fail only with typed errors; whatever loads must encode and decode without untyped
// errors and survive a save/load round trip unchanged.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { gpt2Tokenizer, loadTokenizer } from '../../src/tokenizers/load-tokenizer.js';
import { readSentencePieceModel } from '../../src/tokenizers/sentencepiece-model.js';
import { sentencePieceTokenizer } from '../../src/tokenizers/sentencepiece-tokenizer.js';
import type { Tokenizer } from '../../src/tokenizers/tokenizer.js';
import { tokenizerFromJSON } from '../../src/tokenizers/tokenizer-from-json.js';
import { ConfigError, RangeArgumentError, VocabularyError } from '../../src/utils/errors.js';
import type { FuzzTarget } from './fuzz-targets.js';
import { byteMutation, hostileJsonText, jsonValue, mutateBytes, onlyTypedErrors } from './fuzz.js';

const TOKENIZER_ERRORS = [ConfigError, VocabularyError, RangeArgumentError];
const fixture = (name: string) => new URL(`../fixtures/tokenizers/${name}`, import.meta.url);
const SAMPLE = 'Hello, world! The cat sat. 床前明月光 🎉 naïve  x\ty';

type Json = Record<string, unknown>;

/**
 * A Hugging Face tokenizer.json cut down to the ids below `keep` (merges whose parts and result
 * survive), added tokens renumbered after them: the same structure, small enough to fuzz fast.
 */
function shrink(json: Json, keep: number): Json {
  const model = json.model as Json;
  const vocab = Object.fromEntries(Object.entries(model.vocab as Record<string, number>).filter(([, id]) => id < keep));
  const merges = Array.isArray(model.merges)
    ? (model.merges as [string, string][]).filter(([a, b]) => a in vocab && b in vocab && `${a}${b}` in vocab)
    : undefined;
  const renumber = new Map((json.added_tokens as Json[]).map((t, i) => [t.id as number, keep + i]));
  const text = JSON.stringify({
    ...json,
    model: { ...model, vocab, ...(merges ? { merges } : {}) },
    added_tokens: (json.added_tokens as Json[]).map((t) => ({ ...t, id: renumber.get(t.id as number) })),
  }, (key, value) => (typeof value === 'number' && renumber.has(value) && key !== 'id' ? renumber.get(value) : value));
  return JSON.parse(text) as Json;
}

const tokenizerJsons: Json[] = [
  shrink(JSON.parse(readFileSync(fixture('byte-level-bpe.json'), 'utf8')) as Json, 400),
  shrink(JSON.parse(readFileSync(fixture('whitespace-bpe.json'), 'utf8')) as Json, 400),
  shrink(JSON.parse(readFileSync(fixture('wordpiece-uncased.json'), 'utf8')) as Json, 400),
  sentencePieceTokenizer(readSentencePieceModel(readFileSync(fixture('spm-unigram.model')), 'spm-unigram.model'), 'spm-unigram.model').toJSON() as unknown as Json,
];

/** Every path in a JSON tree (objects and arrays), for replacing or deleting the value there. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    // Long arrays (vocabularies, merges): a sample of positions keeps the enumeration cheap.
    const step = Math.max(1, Math.floor(value.length / 16));
    for (let i = 0; i < value.length; i += step) paths(value[i], [...prefix, i], out);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json);
    const step = Math.max(1, Math.floor(entries.length / 16));
    for (let i = 0; i < entries.length; i += step) paths(entries[i]![1], [...prefix, entries[i]![0]], out);
  }
  return out;
}

/** A deep copy of `json` with the value at `path` replaced (or deleted when `replacement` is undefined). */
function replaceAt(json: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(json)) {
    const copy = [...json];
    if (replacement === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Json = { ...(json as Json) };
  if (replacement === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = replaceAt(copy[head as string], rest, replacement);
  return copy;
}

const tokenizerPaths = tokenizerJsons.map((json) => paths(json));

/** What a tokenizer that loaded must do: encode and decode with typed errors only, round-trip its JSON. */
async function checkLoaded(tokenizer: Tokenizer | undefined): Promise<void> {
  if (!tokenizer) return;
  const encoding = await onlyTypedErrors(TOKENIZER_ERRORS, () => tokenizer.encode(SAMPLE));
  if (encoding) await onlyTypedErrors(TOKENIZER_ERRORS, () => tokenizer.decode(encoding.ids));
  const saved = JSON.stringify(tokenizer.toJSON());
  assert.equal(JSON.stringify(tokenizerFromJSON(JSON.parse(saved)).toJSON()), saved, 'toJSON -> tokenizerFromJSON -> toJSON changed the tokenizer');
}

export const tokenizerTargets: FuzzTarget[] = [
  {
    parser: 'tokenizerFromJSON: hostile values at any path of real tokenizer.json files (BPE, byte-level, WordPiece, Unigram)',
    numRuns: 600,
    seed: 1301,
    property: () => fc.asyncProperty(
      fc.nat(tokenizerJsons.length - 1), fc.nat(), fc.option(jsonValue, { freq: 4 }),
      async (which, at, value) => {
        const all = tokenizerPaths[which] as (string | number)[][];
        const mutated = replaceAt(tokenizerJsons[which], all[at % all.length] as (string | number)[], value ?? undefined);
        await checkLoaded(await onlyTypedErrors(TOKENIZER_ERRORS, () => tokenizerFromJSON(mutated)));
      },
    ),
  },
  {
    parser: 'tokenizerFromJSON: damaged tokenizer.json text',
    numRuns: 300,
    seed: 1302,
    property: () => fc.asyncProperty(
      fc.nat(tokenizerJsons.length - 1).chain((which) => hostileJsonText(fc.constant(tokenizerJsons[which]))),
      async (text) => {
        let json: unknown;
        try { json = JSON.parse(text); } catch { return; }
        await checkLoaded(await onlyTypedErrors(TOKENIZER_ERRORS, () => tokenizerFromJSON(json)));
      },
    ),
  },
  {
    parser: 'readSentencePieceModel: .model protobufs truncated, overwritten, spliced',
    numRuns: 600,
    seed: 1303,
    property: () => {
      const models = ['spm-unigram.model', 'spm-bpe-bf.model', 'spm-bpe-llama-like.model'].map((name) => readFileSync(fixture(name)));
      return fc.asyncProperty(fc.nat(models.length - 1), fc.array(byteMutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const bytes = mutateBytes(models[which] as Uint8Array, mutations);
        const model = await onlyTypedErrors(TOKENIZER_ERRORS, () => readSentencePieceModel(bytes, 'fuzz.model'));
        if (model) await checkLoaded(await onlyTypedErrors(TOKENIZER_ERRORS, () => sentencePieceTokenizer(model, 'fuzz.model')));
      });
    },
  },
  {
    parser: 'gpt2Tokenizer: damaged vocab.json and merges.txt',
    numRuns: 400,
    seed: 1304,
    property: () => {
      const json = tokenizerJsons[0] as Json;
      const model = json.model as Json;
      const vocab = JSON.stringify(model.vocab);
      const merges = `#version: 0.2\n${(model.merges as [string, string][]).map((m) => m.join(' ')).join('\n')}\n`;
      const damage = (text: string) => fc.oneof(
        { weight: 2, arbitrary: fc.constant(text) },
        { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 4 })).map(([n, s]) => {
          const at = n % (text.length + 1);
          return text.slice(0, at) + s + text.slice(at + s.length);
        }) },
        { weight: 1, arbitrary: fc.nat().map((n) => text.slice(0, n % (text.length + 1))) },
      );
      return fc.asyncProperty(damage(vocab), damage(merges), async (v, m) => {
        await checkLoaded(await onlyTypedErrors(TOKENIZER_ERRORS, () => gpt2Tokenizer(v, m)));
      });
    },
  },
  {
    parser: 'loadTokenizer: damaged BERT vocab.txt',
    numRuns: 200,
    seed: 1305,
    property: (dir) => {
      mkdirSync(dir, { recursive: true });
      const lines = readFileSync(new URL('../fixtures/tokenizers/wordpiece-uncased/vocab.txt', import.meta.url), 'utf8').split('\n').slice(0, 300);
      // The real vocabulary with a few lines dropped and a few random ones inserted (duplicates included).
      const edit = fc.record({ at: fc.nat(lines.length), drop: fc.boolean(), text: fc.string({ maxLength: 6 }) });
      return fc.asyncProperty(fc.array(edit, { maxLength: 6 }), async (edits) => {
        const chosen = [...lines];
        for (const { at, drop, text } of edits) {
          if (drop) chosen.splice(at % chosen.length, 1);
          else chosen.splice(at % (chosen.length + 1), 0, text);
        }
        const path = join(dir, 'vocab.txt');
        writeFileSync(path, chosen.join('\n'));
        await checkLoaded(await onlyTypedErrors(TOKENIZER_ERRORS, () => loadTokenizer(path)));
      });
    },
  },
];
