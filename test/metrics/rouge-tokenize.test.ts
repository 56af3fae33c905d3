import { describe, expect, it } from 'vitest';
import { rougeTokenize, rougeTokenizer } from '../../src/metrics/rouge-tokenize.js';
import { ConfigError } from '../../src/utils/errors.js';

describe('rougeTokenize', () => {
  it('default: lowercases, keeps [a-z0-9] runs, drops everything else (rouge-score tokenize.py)', () => {
    expect(rougeTokenize("The quick brown fox's 2nd jump-over, A.B.C!")).toEqual(
      ['the', 'quick', 'brown', 'fox', 's', '2nd', 'jump', 'over', 'a', 'b', 'c']);
    expect(rougeTokenize('Café naïve 床前明月光 Привет')).toEqual(['caf', 'na', 've']);
    expect(rougeTokenize('  \n\t ')).toEqual([]);
    expect(rougeTokenize('')).toEqual([]);
  });

  it('default with the stemmer: Porter stems of tokens longer than 3 characters', () => {
    expect(rougeTokenize('The cats are running; was it flies?', { useStemmer: true }))
      .toEqual(['the', 'cat', 'are', 'run', 'was', 'it', 'fli']);
  });

  it('unicode: CJK characters one by one, words of every script kept, NFKC and lowercase', () => {
    expect(rougeTokenize('床前明月光，疑是地上霜。', { tokenizer: 'unicode' }))
      .toEqual(['床', '前', '明', '月', '光', '疑', '是', '地', '上', '霜']);
    expect(rougeTokenize('Café ＡＢＣ１ 東京タワーmixed Привет, 서울은!', { tokenizer: 'unicode' }))
      .toEqual(['café', 'abc1', '東', '京', 'タ', 'ワ', 'ー', 'mixed', 'привет', '서울은']);
    expect(rougeTokenize('running cafés', { tokenizer: 'unicode', useStemmer: true })).toEqual(['run', 'cafés']);
  });

  it('a custom function is used as is, and its output is checked', () => {
    const chars = rougeTokenizer({ tokenizer: (t) => [...t] });
    expect(chars('ab c')).toEqual(['a', 'b', ' ', 'c']);
    const bad = rougeTokenizer({ tokenizer: () => [1] as unknown as string[] });
    expect(() => bad('x')).toThrow(new ConfigError('the tokenizer function must return an array of strings, got [1] for "x"'));
  });

  it('rejects bad options and non-string text with typed errors', () => {
    expect(() => rougeTokenizer({ tokenizer: (t) => [t], useStemmer: true })).toThrow(ConfigError);
    expect(() => rougeTokenizer({ tokenizer: 'cjk' as 'unicode' })).toThrow(/"cjk"/);
    expect(() => rougeTokenizer({ useStemmer: 'yes' as unknown as boolean })).toThrow(/string \(yes\)/);
    expect(() => rougeTokenize(undefined as unknown as string)).toThrow(/undefined \(undefined\)/);
  });
});
