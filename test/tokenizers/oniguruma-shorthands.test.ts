import { describe, expect, it } from 'vitest';
import { onigurumaShorthands } from '../../src/tokenizers/oniguruma-shorthands.js';

const matches = (source: string, text: string): string[] => text.match(new RegExp(onigurumaShorthands(source), 'gu')) ?? [];

describe('onigurumaShorthands', () => {
  it('reads \\s, \\d and \\w over Unicode as Oniguruma does, outside and inside classes', () => {
    expect(matches(String.raw`\s`, 'a\u0085b\ufeffc\u3000')).toEqual(['\u0085', '\u3000']);
    expect(matches(String.raw`\S+`, 'a\ufeffb c')).toEqual(['a\ufeffb', 'c']);
    expect(matches(String.raw`\d+`, 'x12\u0660\u0661 \u00b2')).toEqual(['12\u0660\u0661']);
    expect(matches(String.raw`\D+`, '1ab2')).toEqual(['ab']);
    expect(matches(String.raw`\w+`, 'café ½² \u2460 Ⅻ_x\u0301')).toEqual(['café', '½²', 'Ⅻ_x\u0301']);
    expect(matches(String.raw`\W+`, 'a \u2460b')).toEqual([' \u2460']);
    expect(matches(String.raw`[\w-]+`, 'é-ü ①')).toEqual(['é-ü']);
    expect(matches(String.raw`[^\s\d]+`, 'a\ufeff1 b')).toEqual(['a\ufeff', 'b']);
  });

  it('leaves escaped backslashes, other escapes and \\W inside a class as they are', () => {
    expect(onigurumaShorthands(String.raw`\\s\\w`)).toBe(String.raw`\\s\\w`);
    expect(onigurumaShorthands(String.raw`\p{L}\n[\W\]x]`)).toBe(String.raw`\p{L}\n[\W\]x]`);
    expect(matches(String.raw`\\s`, String.raw`a\sb`)).toEqual([String.raw`\s`]);
  });
});
