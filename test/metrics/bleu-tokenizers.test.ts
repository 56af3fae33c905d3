import { describe, expect, it } from 'vitest';
import { BLEU_TOKENIZERS } from '../../src/metrics/tokenizers/bleu-tokenizers.js';
import { splitWhitespace, stripWhitespace } from '../../src/metrics/tokenizers/split-whitespace.js';
import { countNgrams, NGRAM_SEPARATOR } from '../../src/metrics/ngrams.js';

const { '13a': t13a, intl, zh, char, none } = BLEU_TOKENIZERS;

describe('BLEU tokenizers (rules of sacrebleu/tokenizers/*.py)', () => {
  it('13a: mteval-v13a punctuation rules, entities, <skipped>, hyphenated line breaks', () => {
    expect(t13a('The dog bit the man.')).toEqual(['The', 'dog', 'bit', 'the', 'man', '.']);
    expect(t13a("It wasn't surprising.")).toEqual(['It', "wasn't", 'surprising', '.']);
    expect(t13a('It costs $3.50, right?')).toEqual(['It', 'costs', '$', '3.50', ',', 'right', '?']);
    expect(t13a('1,000 and 2.5.')).toEqual(['1,000', 'and', '2.5', '.']);
    expect(t13a('pages 10-12, well-known')).toEqual(['pages', '10', '-', '12', ',', 'well-known']);
    expect(t13a('&quot;a&quot; &amp;lt; b<skipped> re-\nturn\nx')).toEqual(['"', 'a', '"', '<', 'b', 'return', 'x']);
    expect(t13a('(a) [b] {c} a@b #1 ~x^y|z')).toEqual(
      ['(', 'a', ')', '[', 'b', ']', '{', 'c', '}', 'a', '@', 'b', '#', '1', '~', 'x', '^', 'y', '|', 'z']);
  });

  it('intl: Unicode punctuation and symbols, except punctuation next to digits', () => {
    expect(intl('Hello, «world»! 1,000.')).toEqual(['Hello', ',', '«', 'world', '»', '!', '1,000.']);
    expect(intl('3.5 €, a—b 1-2')).toEqual(['3.5', '€', ',', 'a', '—', 'b', '1-2']);
    expect(intl('&amp; 😀x')).toEqual(['&', 'amp', ';', '😀', 'x']);
  });

  it('zh: one token per Chinese character, 13a rules for the rest, sacrebleu\'s range quirk', () => {
    expect(zh(' 床前明月光，疑是地上霜。 ')).toEqual(['床', '前', '明', '月', '光', '，', '疑', '是', '地', '上', '霜', '。']);
    expect(zh('AI 3.5版 hello, world')).toEqual(['AI', '3.5', '版', 'hello', ',', 'world']);
    // U+2001-U+2A6D count as Chinese (sacrebleu's '\u20000' bound), so '—' and '“' split off.
    expect(zh('a—b“c')).toEqual(['a', '—', 'b', '“', 'c']);
    // Extension B (U+20000) is not split: sacrebleu's bound never reached it.
    expect(zh('a𠀀b')).toEqual(['a𠀀b']);
    // No HTML unescaping, unlike 13a.
    expect(zh('&amp;')).toEqual(['&', 'amp', ';']);
  });

  it('char and none', () => {
    expect(char('ab c😀')).toEqual(['a', 'b', 'c', '😀']);
    expect(none(' a  b\tc ')).toEqual(['a', 'b', 'c']);
  });

  it('splits on Python whitespace, not JavaScript\'s', () => {
    expect(splitWhitespace('a\u0085b\u001fc\ufeffd')).toEqual(['a', 'b', 'c\ufeffd']);
    expect(stripWhitespace('\u3000 a b \u2029')).toBe('a b');
  });

  it('countNgrams counts n-grams of one order', () => {
    const counts = countNgrams(['the', 'cat', 'the', 'cat'], 2);
    expect(counts.get(['the', 'cat'].join(NGRAM_SEPARATOR))).toBe(2);
    expect(counts.size).toBe(2);
    expect(countNgrams(['a'], 2).size).toBe(0);
  });
});
