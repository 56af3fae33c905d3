import { describe, expect, it } from 'vitest';
import { cleanDocuments } from '../../../src/data/clean/clean-documents.js';
import { filterLength } from '../../../src/data/clean/filter-length.js';
import { filterLines } from '../../../src/data/clean/filter-lines.js';
import { filterScript, scriptFraction } from '../../../src/data/clean/filter-script.js';
import { countWords, splitWords } from '../../../src/data/clean/words.js';
import { readTextFiles } from '../../../src/data/sources/read-text-files.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';
import { Rng } from '../../../src/utils/rng.js';
import { brownDocuments } from '../sources/brown-documents.js';
import { collect } from '../sources/collect.js';
import { runStep as run } from './run-step.js';

const tang = new URL('../../../../shared/data/tang300.txt', import.meta.url).pathname;
const song = new URL('../../../../shared/data/song100.txt', import.meta.url).pathname;

describe('CJK-aware words', () => {
  it('counts each Han or kana character as a word and skips punctuation-only tokens', () => {
    expect(splitWords('Hello, world — 你好世界!')).toEqual(['Hello,', 'world', '你', '好', '世', '界']);
    expect(countWords('床前明月光，疑是地上霜。')).toBe(10);
    expect(countWords('ひらがなとカタカナ mixed')).toBe(10);
    expect(countWords('한국어 문장')).toBe(2); // Hangul is written with spaces
    expect(countWords(' \n ')).toBe(0);
  });
});

describe('filterLength', () => {
  it('removes by characters (code points), words and tokens, naming the bound', () => {
    const step = filterLength({ minChars: 3, maxChars: 20, minWords: 2, maxTokens: 4, countTokens: (t) => t.split(' ').length });
    expect(run(step, '😀😀').out).toEqual({ removed: 'too-few-chars' }); // 2 code points, 4 UTF-16 units
    expect(run(step, 'x'.repeat(21)).out).toEqual({ removed: 'too-many-chars' });
    expect(run(step, 'word').out).toEqual({ removed: 'too-few-words' });
    expect(run(step, 'a b c d e').out).toEqual({ removed: 'too-many-tokens' });
    expect(run(step, '床前明月').out).toBe('床前明月'); // 4 CJK words
    expect(run(filterLength({ maxWords: 3 }), '床前明月').out).toEqual({ removed: 'too-many-words' });
  });
  it('validates its bounds', () => {
    expect(() => filterLength({ minWords: -1 })).toThrowError(RangeArgumentError);
    expect(() => filterLength({ minWords: 5, maxWords: 4 })).toThrowError(/minimum must not exceed/);
    expect(() => filterLength({ maxTokens: 5 })).toThrowError(ConfigError);
  });
  it('keeps Brown documents (about 2,000 words each) inside the Gopher bounds of 50..100,000 words', async () => {
    const docs = brownDocuments(30);
    const cleaned = cleanDocuments(docs, [filterLength({ minWords: 50, maxWords: 100_000 }), filterLength({ minWords: 2100 })]);
    await collect(cleaned);
    expect(cleaned.report.steps[0]!.removed).toBe(0);
    const counts = docs.map(countWords);
    expect(cleaned.report.steps[1]!.removed).toBe(counts.filter((n) => n < 2100).length);
    expect(Math.min(...counts)).toBeGreaterThan(1900);
  });
});

describe('filterLines (C4 rules)', () => {
  const page = [
    'Welcome to our site',
    'This site uses cookies to improve your experience.',
    'Please enable JavaScript to view the comments.',
    'The harbour was quiet that morning, and the boats lay still.[1]',
    'Fishermen mended their nets on the stone quay.',
    'Read more...',
    'Nobody spoke.',
    '',
    'By noon the wind had turned and the first boats went out.',
    'Gulls followed them past the lighthouse.',
    'It was the last calm day of the year!',
  ].join('\n');

  it('drops boilerplate, unpunctuated, ellipsis and short lines, counting each rule', () => {
    const { out, notes } = run(filterLines({ minSentences: 0 }), page);
    expect(out).toBe([
      'The harbour was quiet that morning, and the boats lay still.',
      'Fishermen mended their nets on the stone quay.',
      '',
      'By noon the wind had turned and the first boats went out.',
      'Gulls followed them past the lighthouse.',
      'It was the last calm day of the year!',
    ].join('\n'));
    expect(notes).toEqual({ 'citations-removed': 1, 'lines-boilerplate': 2, 'lines-no-terminal-punctuation': 2, 'lines-too-few-words': 1 });
  });

  it('removes pages with lorem ipsum or a curly bracket, or with fewer than 5 sentences left', () => {
    expect(run(filterLines(), page).out).toBe(run(filterLines({ minSentences: 0 }), page).out); // 5 sentences left
    expect(run(filterLines({ minSentences: 6 }), page).out).toEqual({ removed: 'too-few-sentences' });
    expect(run(filterLines(), `${page}\nLorem ipsum dolor sit amet.`).out).toEqual({ removed: 'contains-lorem ipsum' });
    expect(run(filterLines(), `${page}\nvar x = { a: 1 };`).out).toEqual({ removed: 'contains-{' });
  });

  it('understands CJK terminal punctuation: poem lines survive, titles and author lines go', async () => {
    const poems = readTextFiles(tang, { split: { separatorLine: '%' } });
    const cleaned = cleanDocuments(poems, [filterLines({ minSentences: 2 })]);
    const out = await collect(cleaned);
    expect(out[0]).toBe('兰叶春葳蕤，桂华秋皎洁。\n欣欣此生意，自尔为佳节。\n谁知林栖者，闻风坐相悦。\n草木有本心，何求美人折？');
    const step = cleaned.report.steps[0]!;
    expect(step.notes['lines-no-terminal-punctuation']).toBeGreaterThanOrEqual(2 * 313); // title + author per poem
    expect(step.changed).toBe(out.length);
    expect(step.seen - step.removed).toBe(out.length);
  });

  it('takes custom patterns and turns rules off', () => {
    const step = filterLines({ dropLinesMatching: [/^copyright/i], requireTerminalPunctuation: false, minWordsPerLine: 0, minSentences: 0, dropDocumentsContaining: [] });
    expect(run(step, 'Title\nCopyright 2024 ACME\nbody {x}').out).toBe('Title\nbody {x}');
    expect(() => filterLines({ minWordsPerLine: 1.5 })).toThrowError(RangeArgumentError);
  });
});

describe('filterScript', () => {
  it('measures the fraction of letters in the scripts, ignoring digits and punctuation', () => {
    expect(scriptFraction('床前明月光 moon', ['Han'])).toBeCloseTo(5 / 9);
    expect(scriptFraction('123 !!!', ['Latin'])).toBeNaN();
    expect(scriptFraction('日本語のテキスト', ['Han', 'Hiragana', 'Katakana'])).toBe(1);
  });

  it('keeps the Chinese poems under Han and removes them under Latin', async () => {
    const poems = () => readTextFiles([tang, song], { split: { separatorLine: '%' } });
    const han = cleanDocuments(poems(), [filterScript({ scripts: ['Han'], minFraction: 0.9 })]);
    expect(await collect(han)).toHaveLength(409);
    const latin = cleanDocuments(poems(), [filterScript({ scripts: ['Latin'] })]);
    expect(await collect(latin)).toHaveLength(0);
    expect(latin.report.steps[0]!.reasons).toEqual({ 'script-fraction': 409 });
  });

  it('separates Brown (Latin) from the poems (Han) in a mixed stream', async () => {
    const mixed = [...brownDocuments(5), '床前明月光，疑是地上霜。', '12345 ---'];
    const cleaned = cleanDocuments(mixed, [filterScript({ scripts: ['Latin'], minFraction: 0.95 })]);
    expect(await collect(cleaned)).toEqual(mixed.slice(0, 5));
    expect(cleaned.report.steps[0]!.reasons).toEqual({ 'script-fraction': 1, 'no-letters': 1 });
  });

  it('names an unknown script with a ConfigError', () => {
    expect(() => filterScript({ scripts: ['Klingon'] })).toThrowError(ConfigError);
    expect(() => filterScript({ scripts: ['Latin}|.'] })).toThrowError(/not a Unicode script name/);
    expect(() => filterScript({ scripts: [] })).toThrowError(ConfigError);
  });
});

describe('countWords agrees with splitWords', () => {
  it('on Brown, the poems, and random mixtures of scripts, spaces and punctuation', async () => {
    const poems = await collect(readTextFiles(song, { split: { separatorLine: '%' } }));
    const alphabet = ['a', 'Z', '9', ' ', '\n', '\t', '\u3000', '\u00a0', ',', '—', '中', 'の', 'カ', 'é', '😀', '𠀀', '한', '_', '-', '!'];
    const rng = new Rng(8);
    const random = Array.from({ length: 300 }, () => Array.from({ length: rng.nextInt(40) }, () => alphabet[rng.nextInt(alphabet.length)]).join(''));
    for (const text of [...brownDocuments(3), ...poems, ...random]) expect(countWords(text)).toBe(splitWords(text).length);
  });
});
