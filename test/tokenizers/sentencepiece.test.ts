// SentencePiece .model files against Google's sentencepiece (fixtures from
// scripts/fixtures/tokenizers-sentencepiece.py), and Unigram/Metaspace/Precompiled tokenizer.json
// pipelines against npm `tokenizers` (built here from the same pieces, written to a temp folder).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { loadTokenizer, readProtobufFields, readSentencePieceModel, sentencePieceTokenizer } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';
import { brownLines, HARD_TEXTS, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
interface Expected { texts: string[]; models: Record<string, { ids: string[]; decoded: Record<string, string> }> }
const expected = JSON.parse(gunzipSync(readFileSync(join(fixtures, 'sentencepiece-expected.json.gz'))).toString('utf8')) as Expected;
const idsOf = (line: string): number[] => (line === '' ? [] : line.split(' ').map(Number));

describe.each(Object.keys(expected.models))('%s.model against sentencepiece 0.1.97', (name) => {
  const file = join(fixtures, `${name}.model`);

  it(`gives identical ids, pieces and decoded text on ${expected.texts.length} texts`, async () => {
    const ours = await loadTokenizer(file);
    const spec = expected.models[name]!;
    const failures = expected.texts.flatMap((text, i) => {
      const e = ours.encode(text);
      const ids = idsOf(spec.ids[i]!);
      const decoded = ours.decode(ids);
      const want = spec.decoded[String(i)] ?? text;
      const pieces = ids.map((id) => ours.model.idToToken(id));
      const tokensOk = e.tokens.every((t, k) => t === pieces[k] || (e.ids[k] === 0 && pieces[k] === '<unk>'));
      return JSON.stringify(e.ids) === JSON.stringify(ids) && tokensOk && decoded === want ? [] : [{ text, ours: e.tokens, theirs: pieces, decoded, want }];
    });
    expect(failures.slice(0, 3)).toEqual([]);
  });

  // tokenizer.json has no field for pieces that never match text (control, unknown, byte), so
  // texts that spell one out (`<s>` typed in) are left out; so is `\r\n`, one grapheme that Hugging
  // Face's Precompiled (which the saved file gets) maps as a whole where SentencePiece maps each character.
  it('saves as tokenizer.json that we and Hugging Face tokenizers read back with the same ids', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wf-spm-'));
    copyFileSync(file, join(folder, name === 'spm-unigram' ? 'spiece.model' : 'tokenizer.model'));
    const ours = await loadTokenizer(folder);
    const saved = join(folder, 'saved.json');
    await ours.save(saved);
    const again = await loadTokenizer(saved);
    const theirs = hf.Tokenizer.fromFile(saved);
    const failures = [];
    const special = readSentencePieceModel(readFileSync(file), name).pieces.filter((p) => p.type !== 'NORMAL').map((p) => p.piece);
    for (const text of expected.texts.slice(0, 400).concat(expected.texts.slice(-40)).filter((t) => !special.some((p) => t.includes(p)) && !t.includes('\r\n'))) {
      const ids = ours.encode(text).ids;
      const hfIds = (await theirs.encode(text, null, { addSpecialTokens: false })).getIds();
      if (JSON.stringify(again.encode(text).ids) !== JSON.stringify(ids) || JSON.stringify(hfIds) !== JSON.stringify(ids)) failures.push({ text, ids, again: again.encode(text).ids, hfIds });
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });
});

/** The pieces of a fixture model as a Hugging Face `Unigram` model. */
function unigramJSON(name: string): { model: object; charsmap: string } {
  const m = readSentencePieceModel(readFileSync(join(fixtures, `${name}.model`)), name);
  return {
    model: { type: 'Unigram', unk_id: m.trainerSpec.unkId, vocab: m.pieces.map((p) => [p.piece, p.score]), byte_fallback: m.trainerSpec.byteFallback },
    charsmap: Buffer.from(m.normalizerSpec.precompiledCharsmap ?? new Uint8Array(0)).toString('base64'),
  };
}

const hfTexts = [...brownLines(600), ...tangLines().slice(0, 200), ...HARD_TEXTS, '▁ already ▁▁ meta', '<unk> <s> literal'];
const replaceSpace = { type: 'Replace', pattern: { String: ' ' }, content: '▁' };
const nfkc = unigramJSON('spm-unigram-nfkc-cf');
const plain = unigramJSON('spm-unigram');
const PIPELINES: Record<string, object> = {
  // As Hugging Face's SentencePiece converters: Precompiled + collapse spaces, Metaspace both ways.
  'precompiled + metaspace (prepend always, split)': {
    model: nfkc.model,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Precompiled', precompiled_charsmap: nfkc.charsmap }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
  },
  'metaspace legacy add_prefix_space, no byte fallback': {
    model: plain.model,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
  },
  'metaspace first, no split, strip normalizer': {
    model: plain.model,
    normalizer: { type: 'Strip', strip_left: true, strip_right: true },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'never', split: false },
  },
  'prepend + replace normalizers, byte-fallback decoder chain': {
    model: nfkc.model,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, replaceSpace] },
    decoder: {
      type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
    },
  },
};

describe.each(Object.keys(PIPELINES))('Unigram tokenizer.json (%s) against Hugging Face tokenizers', (label) => {
  const path = join(mkdtempSync(join(tmpdir(), 'wf-unigram-')), 'tokenizer.json');
  writeFileSync(path, JSON.stringify({ version: '1.0', truncation: null, padding: null, added_tokens: [], post_processor: null, normalizer: null, pre_tokenizer: null, ...PIPELINES[label] }));

  it(`gives identical ids, tokens and offsets, and decodes alike, on ${hfTexts.length} texts`, async () => {
    const theirs = hf.Tokenizer.fromFile(path);
    const ours = await loadTokenizer(path);
    const failures = [];
    for (const text of hfTexts) {
      failures.push(await compareEncodings(ours, theirs, text, null));
      const ids = ours.encode(text).ids;
      const decoded = await theirs.decode(ids, false);
      if (ours.decode(ids) !== decoded) failures.push({ text, decoded: ours.decode(ids), want: decoded });
    }
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });
});

describe('SentencePiece .model errors', () => {
  const bytes = readFileSync(join(fixtures, 'spm-unigram.model'));

  it('names the file and the problem for truncated, malformed and unsupported models', () => {
    const read = (b: Uint8Array): unknown => sentencePieceTokenizer(readSentencePieceModel(b, 'bad.model'), 'bad.model');
    expect(() => read(bytes.subarray(0, bytes.length - 3))).toThrow(/bad\.model: .*declares \d+ bytes/);
    expect(() => read(new Uint8Array([0x0b]))).toThrow(/bad\.model: field 1 at byte 0 has unsupported wire type 3/);
    expect(() => read(new Uint8Array([0x08, 0xff]))).toThrow(/bad\.model: truncated field 1/);
    expect(() => read(new Uint8Array([0x0d, 1, 2, 3, 4]))).toThrow(/bad\.model.pieces \(field 1\) has wire type 5, expected 2/);
    expect(() => read(new Uint8Array(0))).toThrow(/bad\.model: pieces \(field 1\) is empty/);
    // One piece whose type is 9, and one with bytes that are not UTF-8.
    expect(() => read(new Uint8Array([0x0a, 0x05, 0x0a, 0x01, 0x61, 0x18, 0x09]))).toThrow(/bad\.model.pieces\[0\].type \(field 3\) has unknown value 9/);
    expect(() => read(new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0xff]))).toThrow(/bad\.model.pieces\[0\].piece \(field 1\) is not valid UTF-8/);
    // trainer_spec { model_type: WORD }, then treat_whitespace_as_suffix: true.
    const withTrainer = (spec: number[]): Uint8Array => Uint8Array.from([...bytes, 0x12, spec.length, ...spec]);
    expect(() => read(withTrainer([0x18, 0x03]))).toThrow(/bad\.model: trainer_spec.model_type WORD is not supported yet/);
    expect(() => read(withTrainer([0xc0, 0x01, 0x01]))).toThrow(/bad\.model: trainer_spec.treat_whitespace_as_suffix is not supported yet/);
  });

  it('throws only ConfigError, never hangs, on 300 copies with a corrupted precompiled charsmap', () => {
    const good = readSentencePieceModel(readFileSync(join(fixtures, 'spm-unigram-nfkc-cf.model')), 'nfkc.model');
    const charsmap = good.normalizerSpec.precompiledCharsmap!;
    let seed = 11;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 300; trial++) {
      const copy = Uint8Array.from(charsmap);
      for (let k = 0; k < 20; k++) copy[Math.floor(random() * (trial % 2 === 0 ? 64 : copy.length))] = Math.floor(random() * 256);
      try {
        const model = { ...good, normalizerSpec: { ...good.normalizerSpec, precompiledCharsmap: copy } };
        sentencePieceTokenizer(model, 'nfkc.model').encode('Ｈｉ ﬁ café 中文 ①');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
      }
    }
  });

  it('throws only ConfigError, never hangs, on 2,000 corrupted copies', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 2000; trial++) {
      const copy = Uint8Array.from(bytes.subarray(0, 1 + Math.floor(random() * 400)));
      for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      try {
        sentencePieceTokenizer(readSentencePieceModel(copy, 'fuzz.model'), 'fuzz.model').encode('hello world');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
      }
    }
  });
});

describe('readProtobufFields', () => {
  it('reads varints past 32 bits and negative int32 values (10-byte varints)', () => {
    const [big, minusOne] = readProtobufFields(new Uint8Array([0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'x');
    expect([big!.varint, big!.low32]).toEqual([2 ** 32, 0]);
    expect([minusOne!.number, minusOne!.low32 | 0]).toEqual([2, -1]);
  });
});
