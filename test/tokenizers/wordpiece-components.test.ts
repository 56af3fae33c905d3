import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, VocabularyError } from '../../src/utils/errors.js';
import { bertTokenizer, loadTokenizer, readBertVocab, WordPiece, wordPieceDecoder } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';
import { brownLines, HARD_TEXTS, randomUnicode, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');
const texts = [...HARD_TEXTS, ...brownLines(200), ...tangLines().slice(0, 50), ...randomUnicode(100, 5, true),
  'Héllo Wörld ÀÉÎÕÜ àéîõü e\u0301 a\u0308 o\u0323\u0302', '中文English混合 天地玄黃，宇宙洪荒。', 'a\u0000b\u0085c\u200bd\ufffde\tf'];

async function writeVariant(edit: (json: Record<string, any>) => void): Promise<string> {
  const json = JSON.parse(await readFile(join(fixtures, 'wordpiece-cased.json'), 'utf8'));
  edit(json);
  const path = join(await mkdtemp(join(tmpdir(), 'wf-wp-')), 'tokenizer.json');
  await writeFile(path, JSON.stringify(json));
  return path;
}

const bert = (o: Record<string, unknown>) => (json: Record<string, any>) => void (json['normalizer'] = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true, ...o });
const variants: [string, (json: Record<string, any>) => void][] = [
  ['strip_accents true, lowercase false', bert({ strip_accents: true, lowercase: false })],
  ['strip_accents false, lowercase true', bert({ strip_accents: false })],
  ['clean_text false', bert({ clean_text: false })],
  ['handle_chinese_chars false', bert({ handle_chinese_chars: false })],
  ['max_input_chars_per_word 6', (json) => void (json['model'].max_input_chars_per_word = 6)],
  ['prefix @@ in model and decoder', (json) => {
    json['model'].continuing_subword_prefix = '@@';
    json['model'].vocab = Object.fromEntries(Object.entries(json['model'].vocab).map(([t, id]) => [t.replace(/^##/, '@@'), id]));
    json['decoder'] = { type: 'WordPiece', prefix: '@@', cleanup: false };
  }],
  ['BertProcessing post-processor', (json) => void (json['post_processor'] = { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] })],
];

describe('WordPiece components against Hugging Face tokenizers', () => {
  it.each(variants)('%s: same ids, tokens, offsets; saved form loads in HF', async (_, edit) => {
    const path = await writeVariant(edit);
    const theirs = hf.Tokenizer.fromFile(path);
    const ours = await loadTokenizer(path);
    const failures = [];
    for (const text of texts) failures.push(await compareEncodings(ours, theirs, text, 'pair ÀÉ 中'));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
    for (const text of texts.slice(0, 60)) {
      const ids = ours.encode(text).ids;
      expect(ours.decode(ids)).toBe(await theirs.decode(ids, false));
    }
    const saved = join(dirname(path), 'saved.json');
    await ours.save(saved);
    const reloaded = hf.Tokenizer.fromFile(saved);
    for (const text of texts.slice(0, 60)) expect(await compareEncodings(ours, reloaded, text, null)).toBeNull();
  });

  it('the WordPiece decoder joins and cleans up as Hugging Face, with and without cleanup', () => {
    const chains = [['hello', '##s', ',', 'world', '!', 'do', 'not', 'i', "'", 'm', 'you', "'", 're'], ['##a', 'b', '##c', '.', '?', "n't", "'s", "'ve"], []];
    for (const tokens of chains) {
      for (const cleanup of [true, false]) {
        expect(wordPieceDecoder('##', cleanup).decodeChain(tokens).join('')).toBe((hf['wordPieceDecoder'] as any)('##', cleanup).decode(tokens));
      }
    }
  });
});

describe('WordPiece model', () => {
  const vocab = new Map([['[UNK]', 0], ['un', 1], ['##aff', 2], ['##able', 3], ['中', 4], ['##文', 5], ['😀', 6], ['##😀', 7]]);
  it('splits greedily, longest first, with offsets in UTF-16 units; an unmatched word is one [UNK]', () => {
    const wp = new WordPiece({ vocab });
    expect(wp.tokenize('unaffable')).toEqual([
      { id: 1, value: 'un', start: 0, end: 2 }, { id: 2, value: '##aff', start: 2, end: 5 }, { id: 3, value: '##able', start: 5, end: 9 }]);
    expect(wp.tokenize('😀😀')).toEqual([{ id: 6, value: '😀', start: 0, end: 2 }, { id: 7, value: '##😀', start: 2, end: 4 }]);
    expect(wp.tokenize('unaffx')).toEqual([{ id: 0, value: '[UNK]', start: 0, end: 6 }]);
    expect(new WordPiece({ vocab, maxInputCharsPerWord: 2 }).tokenize('中文')).toHaveLength(2);
    expect(new WordPiece({ vocab, maxInputCharsPerWord: 1 }).tokenize('中文')).toEqual([{ id: 0, value: '[UNK]', start: 0, end: 2 }]);
  });

  it('names the missing unknown token', () => {
    expect(() => new WordPiece({ vocab, unkToken: '<unk>' }).tokenize('zzz')).toThrow(VocabularyError);
    expect(() => new WordPiece({ vocab, unkToken: '<unk>' }).tokenize('zzz')).toThrow(/"<unk>"/);
  });
});

describe('BERT vocab.txt and tokenizer.json errors name the file and field', () => {
  it('rejects malformed vocab.txt and tokenizer_config.json', async () => {
    expect(() => readBertVocab('[UNK]\na\n\nb\n', 'v/vocab.txt')).toThrow(/v\/vocab\.txt: line 3 is empty/);
    expect(() => readBertVocab('[UNK]\na\nb\na\n', 'v/vocab.txt')).toThrow(/line 4 repeats "a" \(first on line 2\)/);
    expect(() => readBertVocab('', 'v/vocab.txt')).toThrow(ConfigError);
    const vocab = '[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n';
    expect(() => bertTokenizer(vocab, '{"do_lower_case": "yes"}')).toThrow(/tokenizer_config\.json: do_lower_case must be true or false, got "yes"/);
    expect(() => bertTokenizer(vocab, '{"strip_accents": 1}')).toThrow(/strip_accents must be true, false or null, got 1/);
    expect(() => bertTokenizer(vocab, '{"cls_token": 5}')).toThrow(/cls_token must be a string/);
    expect(() => bertTokenizer(vocab, '{not json')).toThrow(/tokenizer_config\.json: not valid JSON/);
    expect(() => bertTokenizer('[UNK]\nhello\n')).toThrow(/vocab\.txt: cls_token "\[CLS\]" \(from the defaults\) is not in the vocabulary/);
    expect(() => bertTokenizer(vocab, '{"unk_token": {"content": "<unk>"}}')).toThrow(/unk_token "<unk>" \(from tokenizer_config\.json\)/);
    expect(bertTokenizer(vocab, '{"do_lower_case": true}').encode('HELLO [MASK]').tokens).toEqual(['[CLS]', 'hello', '[MASK]', '[SEP]']);
  });

  it('loadTokenizer of a folder reports the vocab.txt path', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'wf-wp-'));
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'vocab.txt'), '[UNK]\nx\nx\n');
    await expect(loadTokenizer(folder)).rejects.toThrow(`${join(folder, 'vocab.txt')}: line 3 repeats "x"`);
  });

  it('rejects malformed WordPiece fields in tokenizer.json', async () => {
    const cases: [(json: Record<string, any>) => void, RegExp][] = [
      [(j) => void (j['model'].vocab['hello'] = -1), /model\.vocab\["hello"\] must be a non-negative integer, got -1/],
      [(j) => void (j['model'].max_input_chars_per_word = 'x'), /model\.max_input_chars_per_word must be a non-negative integer/],
      [(j) => void (j['model'].unk_token = 3), /model\.unk_token must be a string, got 3/],
      [(j) => void (j['normalizer'].lowercase = 'true'), /normalizer\.lowercase must be true or false/],
      [(j) => void (j['normalizer'].strip_accents = 'no'), /normalizer\.strip_accents must be true or false/],
      [(j) => void (j['decoder'].cleanup = 1), /decoder\.cleanup must be true or false/],
    ];
    for (const [edit, message] of cases) {
      const path = await writeVariant(edit);
      await expect(loadTokenizer(path)).rejects.toThrow(ConfigError);
      await expect(loadTokenizer(path)).rejects.toThrow(message);
    }
  });
});
