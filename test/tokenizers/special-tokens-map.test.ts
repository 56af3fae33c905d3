import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/utils/errors.js';
import { loadTokenizer, readSpecialTokensMap } from '../../src/tokenizers/index.js';
import { compareEncodings, hf } from './hf-reference.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tokenizers');

async function folder(map: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wf-stmap-'));
  await copyFile(join(fixtures, 'byte-level-bpe.json'), join(dir, 'tokenizer.json'));
  await writeFile(join(dir, 'special_tokens_map.json'), JSON.stringify(map));
  return dir;
}

describe('special_tokens_map.json in a tokenizer folder', () => {
  it('makes its tokens special: added ones flagged, new ones appended after the vocabulary; HF encodes the result identically', async () => {
    const plain = await loadTokenizer(join(fixtures, 'byte-level-bpe.json'));
    const dir = await folder({
      bos_token: '<s>', eos_token: { content: '</s>', lstrip: false, rstrip: false, normalized: false, single_word: false }, pad_token: null,
      additional_special_tokens: ['<tool>', { content: 'wordforge', single_word: true }, '<tool>'],
    });
    const tokenizer = await loadTokenizer(dir);
    const byContent = new Map(tokenizer.added.tokens.map((t) => [t.content, t]));
    expect(byContent.get('wordforge')).toMatchObject({ id: 7174, special: true, singleWord: true });
    expect(byContent.get('<tool>')).toMatchObject({ id: plain.vocabSize, special: true, lstrip: false });
    expect(tokenizer.vocabSize).toBe(plain.vocabSize + 1);
    const ids = tokenizer.encode('call <tool> with wordforge now').ids;
    expect(ids).toContain(plain.vocabSize);
    expect(plain.decode(plain.encode('call wordforge now').ids, { skipSpecialTokens: true })).toContain('wordforge');
    const saved = join(dir, 'out.json');
    await tokenizer.save(saved);
    const theirs = hf.Tokenizer.fromFile(saved);
    for (const text of ['call <tool> with wordforge now', '<s>x</s><tool><tool>', 'no specials here']) expect(await compareEncodings(tokenizer, theirs, text, null)).toBeNull();
    const decoded = tokenizer.decode(ids, { skipSpecialTokens: true });
    expect(decoded).toBe(await theirs.decode(ids, true));
    expect(decoded).not.toMatch(/tool|wordforge/);
  });

  it('reads roles and rejects malformed entries with the file and key named', async () => {
    expect(readSpecialTokensMap('{"eos_token": "</s>", "unk_token": {"content": "<unk>"}}', 'm.json').roles).toEqual({ eos_token: '</s>', unk_token: '<unk>' });
    for (const [text, message] of [
      ['[1]', /m\.json: must be an object/], ['{"eos_token": 3}', /m\.json: eos_token must be a string or \{"content": \.\.\.\}, got 3/],
      ['{"additional_special_tokens": "x"}', /additional_special_tokens must be an array, got "x"/], ['{"pad_token": {"content": ""}}', /pad_token\.content must be a non-empty string/],
      ['{"pad_token": {"content": "p", "lstrip": 1}}', /pad_token\.lstrip must be a boolean, got 1/], ['{oops', /m\.json: not valid JSON/],
    ] as const) expect(() => readSpecialTokensMap(text, 'm.json')).toThrow(message);
    await expect(loadTokenizer(await folder({ eos_token: 5 }))).rejects.toThrow(ConfigError);
  });
});
