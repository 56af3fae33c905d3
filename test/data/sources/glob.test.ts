import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../../src/data/sources/glob.js';
import { DataError } from '../../../src/utils/errors.js';

describe('globToRegExp', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.txt', 'a.txt', true],
    ['*.txt', 'dir/a.txt', false],
    ['**/*.txt', 'a.txt', true],
    ['**/*.txt', 'x/y/a.txt', true],
    ['data/**/b', 'data/b', true],
    ['data/**/b', 'data/x/y/b', true],
    ['data/**/b', 'datab', false],
    ['file?.md', 'file1.md', true],
    ['file?.md', 'file12.md', false],
    ['*.{txt,md}', 'a.md', true],
    ['*.{txt,md}', 'a.csv', false],
    ['{a,b{c,d}}.txt', 'bd.txt', true],
    ['{a,b{c,d}}.txt', 'b.txt', false],
    ['[ab]*.txt', 'b1.txt', true],
    ['[!ab]*.txt', 'b1.txt', false],
    ['a.b(c)+.txt', 'a.b(c)+.txt', true],
    ['a.b', 'axb', false],
  ];
  it.each(cases)('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
  it('names an unclosed brace or bracket', () => {
    expect(() => globToRegExp('*.{txt')).toThrowError(DataError);
    expect(() => globToRegExp('[ab')).toThrowError(/unclosed '\['/);
  });
});
