import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';
import { brownLines, HARD_TEXTS, randomUnicode, tangLines } from './texts.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');

/** Accents, CJK (all BERT ideograph blocks), control characters, punctuation and long words. */
const BERT_TEXTS = [
  'Héllo Wörld! Ça va? ÀÉÎÕÜ àéîõü Ǆ ǅ ǆ İstanbul ΣΊΣΥΦΟΣ', 'ﬁne ﬂower Ⅻ ① ｆｕｌｌ ＷＩＤＴＨ', 'e\u0301 a\u0308 o\u0323\u0302 q\u0307\u0323',
  '中文English混合text測試', '㐀㐁 (ext A) 𠀀𠀁 (ext B) 𪜀 𫝀 𫠠 𬺰 豈 丽 (compat) ぁア 한국', '天地玄黃，宇宙洪荒。日月盈昃，辰宿列張！',
  'a\u0000b\u0001c\u007fd\u0085e\u200bf\u200dg\ufeffh\ufffdi\ue000j', 'tab\there\nnew\rline\u000bvt\u000cff\u2028ls\u2029ps\u00a0nb\u3000ideo',
  "don't can't it's I'm you're we've y'all", '$5 + 3 = 8; 100% <tag> a|b ~x^2 `code` @user #tag', '«quoted» „low“ ‘single’ — dash – en … ellipsis ¿qué? ¡sí!',
  'x'.repeat(99), 'y'.repeat(100), 'z'.repeat(101), `${'é'.repeat(101)} ok`, 'antidisestablishmentarianism supercalifragilisticexpialidocious',
  '[CLS] [SEP] [MASK] [PAD] [UNK] [mask] [Mask] x[MASK]y', 'emoji 🎉🎉 👩‍👩‍👧‍👦 🇫🇷 1️⃣ ❤️ 😀x😀', 'ＡＢＣ ａｂｃ ０１２',
];
const texts = [...brownLines(1500), ...tangLines().slice(0, 300), ...HARD_TEXTS, ...BERT_TEXTS, ...randomUnicode(200, 11, true)];

describe.each(['wordpiece-uncased', 'wordpiece-cased'])('%s against Hugging Face tokenizers', (name) => {
  const file = join(fixtures, `${name}.json`);
  const theirs = hf.Tokenizer.fromFile(file);

  it(`gives identical ids, tokens, offsets, type ids and special masks on ${texts.length} texts`, async () => {
    const ours = await loadTokenizer(file);
    const failures = [];
    for (const text of texts) failures.push(await compareEncodings(ours, theirs, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('matches on pairs (type ids 0 and 1) and without special tokens', async () => {
    const ours = await loadTokenizer(file);
    const failures = [];
    for (let i = 0; i + 1 < texts.length; i += 7) {
      failures.push(await compareEncodings(ours, theirs, texts[i]!, texts[texts.length - 1 - i]!));
      failures.push(await compareEncodings(ours, theirs, texts[i]!, null, false));
    }
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('decodes like Hugging Face, with and without special tokens', async () => {
    const ours = await loadTokenizer(file);
    for (const text of texts.filter((_, i) => i % 5 === 0)) {
      const ids = ours.encode(text).ids;
      expect(ours.decode(ids)).toBe(await theirs.decode(ids, false));
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(await theirs.decode(ids, true));
    }
  });

  it('saves a tokenizer.json that Hugging Face loads and encodes identically', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'wf-wp-')), 'tokenizer.json');
    await (await loadTokenizer(file)).save(out);
    const reloaded = hf.Tokenizer.fromFile(out);
    const ours = await loadTokenizer(out);
    const failures = [];
    for (const text of texts.filter((_, i) => i % 3 === 0)) failures.push(await compareEncodings(ours, reloaded, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });

  it('loads the vocab.txt folder (tokenizer_config.json do_lower_case) as the same tokenizer', async () => {
    const folder = await loadTokenizer(join(fixtures, name));
    const failures = [];
    for (const text of texts) failures.push(await compareEncodings(folder, theirs, text, null));
    for (let i = 0; i + 1 < 200; i += 2) failures.push(await compareEncodings(folder, theirs, texts[i]!, texts[i + 1]!));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
    const out = join(await mkdtemp(join(tmpdir(), 'wf-wp-')), 'tokenizer.json');
    await folder.save(out);
    const reloaded = hf.Tokenizer.fromFile(out);
    for (const text of texts.slice(0, 200)) expect(await compareEncodings(folder, reloaded, text, 'a pair')).toBeNull();
  });

  it('loads the vocab.txt file itself (with the tokenizer_config.json beside it) as the same tokenizer', async () => {
    const ours = await loadTokenizer(join(fixtures, name, 'vocab.txt'));
    const failures = [];
    for (const text of texts.filter((_, i) => i % 4 === 0)) failures.push(await compareEncodings(ours, theirs, text, null));
    expect(failures.filter(Boolean).slice(0, 3)).toEqual([]);
  });
});
