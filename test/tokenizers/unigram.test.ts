// Unigram models trained by npm `tokenizers` (Hugging Face's Unigram trainer, run here in a temp
// folder) against the same library: ids, tokens, offsets and decoding.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VocabularyError } from '../../src/utils/errors.js';
import { loadTokenizer, Unigram } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';
import { brownLines, HARD_TEXTS, tangLines } from './texts.js';

interface Trainable { setPreTokenizer(p: unknown): void; train(files: string[]): void; save(path: string): void }
const H = hf as unknown as {
  Tokenizer: new (model: unknown) => Trainable;
  Unigram: { init(vocab: [string, number][], options: { unkId: number }): unknown };
  metaspacePreTokenizer(): unknown;
};
const dir = mkdtempSync(join(tmpdir(), 'wf-unigram-trained-'));
const texts = [...brownLines(500), ...tangLines().slice(0, 200), ...HARD_TEXTS];
const BYTES = Array.from({ length: 256 }, (_, b) => [`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0]);

beforeAll(() => {
  const corpus = join(dir, 'train.txt');
  writeFileSync(corpus, [...brownLines(3000).slice(500), ...tangLines().slice(200, 300)].join('\n'));
  const trainer = new H.Tokenizer(H.Unigram.init([['<unk>', 0]], { unkId: 0 }));
  trainer.setPreTokenizer(H.metaspacePreTokenizer());
  trainer.train([corpus]);
  trainer.save(join(dir, 'trained.json'));
  const json = JSON.parse(readFileSync(join(dir, 'trained.json'), 'utf8'));
  // The trainer keeps no unknown piece: add one (and byte pieces for the byte-fallback variant).
  json.model.vocab.push(['<unk>', 0]);
  json.model.unk_id = json.model.vocab.length - 1;
  json.decoder = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  writeFileSync(join(dir, 'unk.json'), JSON.stringify(json));
  json.model.vocab.push(...BYTES);
  json.model.byte_fallback = true;
  json.decoder = { type: 'Sequence', decoders: [{ type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, { type: 'ByteFallback' }, { type: 'Fuse' }] };
  writeFileSync(join(dir, 'byte-fallback.json'), JSON.stringify(json));
});

describe.each(['unk.json', 'byte-fallback.json'])('Unigram trained by npm tokenizers (%s)', (file) => {
  it(`gives identical ids, tokens and offsets, and decodes alike, on ${texts.length} texts`, async () => {
    const theirs = hf.Tokenizer.fromFile(join(dir, file));
    const ours = await loadTokenizer(join(dir, file));
    const failures = [];
    for (const text of texts) {
      failures.push(await compareEncodings(ours, theirs, text, null));
      const ids = ours.encode(text).ids;
      const want = await theirs.decode(ids, false);
      if (ours.decode(ids) !== want) failures.push({ text, decoded: ours.decode(ids), want });
    }
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });
});

describe('Unigram', () => {
  const vocab: [string, number][] = [['<unk>', 0], ['a', -1], ['b', -2], ['ab', -1.5], ['<0x78>', 0]];

  it('picks the best-scoring segmentation and fuses unknown runs', () => {
    const u = new Unigram({ vocab, unkId: 0 });
    expect(u.tokenize('abyzab')).toEqual([
      { id: 3, value: 'ab', start: 0, end: 2 }, { id: 0, value: 'yz', start: 2, end: 4 }, { id: 3, value: 'ab', start: 4, end: 6 },
    ]);
  });

  it('falls back to bytes spanning the unknown run, or to the unknown piece when a byte is missing', () => {
    const u = new Unigram({ vocab, unkId: 0, byteFallback: true });
    expect(u.tokenize('axx').map((t) => [t.value, t.start, t.end])).toEqual([['a', 0, 1], ['<0x78>', 1, 3], ['<0x78>', 1, 3]]);
    expect(u.tokenize('ay').map((t) => t.id)).toEqual([1, 0]);
  });

  it('names what is missing', () => {
    expect(() => new Unigram({ vocab, unkId: null }).tokenize('ay')).toThrow(VocabularyError);
    expect(() => new Unigram({ vocab: [['a', 0], ['a', -1]] })).toThrow(/"a" appears twice \(ids 0 and 1\)/);
  });
});
