import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../src/tokenizers/index.js';
import { ConfigError, VocabularyError } from '../../src/utils/errors.js';

const tang300 = readFileSync(new URL('../../../shared/data/tang300.txt', import.meta.url), 'utf8');
const english = 'It was the best of times, it was the worst of times;\n\tit was the age of wisdom... (1859) "Dickens" & co!';
const EOT = '<|endoftext|>';

describe('CharTokenizer', () => {
  it('round-trips English with one id per character and a code-point-sorted vocabulary', () => {
    const tok = CharTokenizer.fromText(english);
    const ids = tok.encode(english);
    expect(ids).toHaveLength(english.length);
    expect(tok.decode(ids)).toBe(english);
    const vocab = tok.toJSON().vocab;
    expect(vocab).toEqual([...new Set(english)].sort());
    expect(tok.vocabSize).toBe(vocab.length);
    expect(tok.encode('\t')).toEqual([0]);
    expect(CharTokenizer.fromText([...english].reverse().join('')).toJSON()).toEqual(tok.toJSON());
  });

  it('round-trips the Tang poems, one token per Chinese character', () => {
    const tok = CharTokenizer.fromText(tang300);
    const ids = tok.encode(tang300);
    expect(ids).toHaveLength([...tang300].length);
    expect(tok.decode(ids)).toBe(tang300);
    expect(tok.decode(tok.encode('床前明月光'))).toBe('床前明月光');
    expect(tok.encode('床前明月光')).toHaveLength(5);
    expect(tok.vocabSize).toBe(new Set(tang300).size);
    expect(tok.vocabSize).toBeGreaterThan(2000);
  });

  it('keeps astral characters whole and never splits a surrogate pair', () => {
    const text = 'a😀b👍🏽𝄞😀';
    const tok = CharTokenizer.fromText(text);
    expect(tok.toJSON().vocab).toEqual(['a', 'b', '👍', '😀', '🏽', '𝄞'].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!));
    expect(tok.encode(text)).toHaveLength(7); // 👍🏽 is two code points: thumbs up + skin tone modifier
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.idToToken(tok.tokenToId('😀'))).toBe('😀');
  });

  it('matches special tokens as single ids, longest first, escaping regex syntax', () => {
    const specials = [EOT, '<pad>', '<pad>2', '[MASK]', '(.*)'];
    const text = `hi${EOT}yo<pad>2(.*)[MASK]`;
    const tok = CharTokenizer.fromText(text, { specialTokens: specials });
    expect(tok.toJSON().vocab).toEqual([...specials, 'h', 'i', 'o', 'y']);
    expect(tok.encode(text)).toEqual([5, 6, 0, 8, 7, 2, 4, 3]);
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.encode('<pad><pad>')).toEqual([1, 1]);
    expect(tok.tokenToId(EOT)).toBe(0);
    expect(tok.idToToken(3)).toBe('[MASK]');
  });

  it('maps unknown characters to the unknown token, or names them and their index', () => {
    const withUnk = CharTokenizer.fromText('abc', { specialTokens: ['<pad>'], unknownToken: '<unk>' });
    expect(withUnk.toJSON().vocab).toEqual(['<pad>', '<unk>', 'a', 'b', 'c']);
    expect(withUnk.encode('az😀<unk>c')).toEqual([2, 1, 1, 1, 4]);
    const listed = CharTokenizer.fromText('ab', { specialTokens: ['<unk>', '<pad>'], unknownToken: '<unk>' });
    expect(listed.toJSON().specialTokens).toEqual(['<unk>', '<pad>']);
    const strict = CharTokenizer.fromText('ab');
    expect(() => strict.encode('ab😀z')).toThrowError(VocabularyError);
    expect(() => strict.encode('ab😀z')).toThrowError(/character "😀" \(U\+1F600\) at index 2 is not in the vocabulary \(size 2\)/);
    expect(() => strict.encode('a😀')).toThrowError(/at index 1/);
    expect(() => strict.encode('ab\nz')).toThrowError(/character "\\n" \(U\+000A\) at index 2/);
  });

  it('decodes typed arrays and names ids outside the vocabulary', () => {
    const tok = CharTokenizer.fromText('ab');
    expect(tok.decode(new Int32Array([1, 0, 1]))).toBe('bab');
    expect(tok.decode([])).toBe('');
    for (const id of [2, -1, 0.5, NaN]) {
      expect(() => tok.decode([0, id])).toThrowError(VocabularyError);
      expect(() => tok.decode([0, id])).toThrowError(`token id ${id} is outside the vocabulary (size 2)`);
    }
    expect(() => tok.tokenToId('c')).toThrowError(/token "c" is not in the vocabulary \(size 2\)/);
  });

  it('round-trips through versioned JSON', () => {
    const tok = CharTokenizer.fromText(`${tang300.slice(0, 500)}😀`, { specialTokens: [EOT], unknownToken: '<unk>' });
    const text = JSON.stringify(tok);
    const restored = CharTokenizer.fromJSON(text);
    expect(restored.toJSON()).toEqual(tok.toJSON());
    expect(JSON.parse(text)).toMatchObject({ type: 'CharTokenizer', version: 1, unknownToken: '<unk>', specialTokens: [EOT, '<unk>'] });
    const sample = `床前明月光${EOT}😀x`;
    expect(restored.encode(sample)).toEqual(tok.encode(sample));
    expect(CharTokenizer.fromJSON(CharTokenizer.fromText('ab').toJSON()).toJSON().unknownToken).toBeNull();
  });

  it('rejects malformed saved tokenizers with typed errors naming the problem', () => {
    const good = CharTokenizer.fromText('abc', { specialTokens: ['<pad>'] }).toJSON();
    const bad = (patch: object): unknown => ({ ...good, ...patch });
    const cases: Array<[unknown, typeof ConfigError, RegExp]> = [
      ['{"type":', ConfigError, /does not parse/],
      [[1], ConfigError, /must be an object, got \[1\]/],
      [bad({ type: 'BPE' }), ConfigError, /expected type "CharTokenizer", got "BPE"/],
      [bad({ version: 2 }), ConfigError, /unsupported CharTokenizer version 2 \(supported: 1\)/],
      [bad({ vocab: 'abc' }), ConfigError, /"vocab" must be an array of strings/],
      [bad({ specialTokens: [1] }), ConfigError, /"specialTokens" must be an array of strings/],
      [bad({ unknownToken: 3 }), ConfigError, /"unknownToken" must be a string or null, got 3/],
      [bad({ unknownToken: '<unk>' }), ConfigError, /unknownToken "<unk>" is not among the special tokens \["<pad>"\]/],
      [bad({ vocab: ['<pad>', 'a', 'c', 'b'] }), VocabularyError, /entry 3 "b" \(U\+0062\) follows "c" \(U\+0063\)/],
      [bad({ vocab: ['<pad>', 'a', 'a'] }), VocabularyError, /unique and in ascending code point order/],
      [bad({ vocab: ['<pad>', 'ab'] }), VocabularyError, /entry 1 \("ab"\) must be a single character/],
      [bad({ vocab: ['<pad>', '\uD800'] }), VocabularyError, /must be a single character/],
      [bad({ vocab: ['a', 'b'] }), VocabularyError, /entry 0 is "a" but special token 0 is "<pad>"/],
      [bad({ vocab: ['x', 'x'], specialTokens: ['x'] }), VocabularyError, /entry 1 \("x"\) repeats a special token/],
      [bad({ vocab: [], specialTokens: [] }), ConfigError, /vocabulary is empty/],
    ];
    for (const [json, ErrorClass, message] of cases) {
      expect(() => CharTokenizer.fromJSON(json), JSON.stringify(json)).toThrowError(ErrorClass);
      expect(() => CharTokenizer.fromJSON(json), JSON.stringify(json)).toThrowError(message);
    }
  });

  it('rejects repeated or empty special tokens, empty vocabularies and lone surrogates when building', () => {
    expect(() => CharTokenizer.fromText('a', { specialTokens: ['<s>', '<s>'] })).toThrowError(/special token "<s>" is listed twice/);
    expect(() => CharTokenizer.fromText('a', { specialTokens: [''] })).toThrowError(/non-empty strings, got ""/);
    expect(() => CharTokenizer.fromText('a', { unknownToken: '' })).toThrowError(ConfigError);
    expect(() => CharTokenizer.fromText('')).toThrowError(/vocabulary is empty/);
    expect(CharTokenizer.fromText('', { specialTokens: ['<pad>'] }).vocabSize).toBe(1);
    expect(() => CharTokenizer.fromText('ab\uDC00c')).toThrowError(VocabularyError);
    expect(() => CharTokenizer.fromText('ab\uDC00c')).toThrowError(/lone UTF-16 surrogate "\\udc00" \(U\+DC00\) at index 2/);
  });
});
