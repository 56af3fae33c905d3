import { describe, expect, it } from 'vitest';
import { loadBrownCorpus, untagSentence } from '../../examples/brown-corpus.js';

describe('Brown corpus reader (demo data)', () => {
  it('strips POS tags, restores quotes and punctuation spacing', () => {
    expect(untagSentence("\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' ,/, it's/pps+bez true/jj ./."))
      .toBe('The jury said "no evidence", it\'s true.');
    expect(untagSentence('He/pps did/dod n\'t/* go/vb ;/. 1/2/cd')).toBe("He didn't go; 1/2");
  });

  it('reads the whole corpus as plain text', () => {
    const text = loadBrownCorpus(2);
    expect(text.startsWith('The Fulton County Grand Jury said Friday an investigation')).toBe(true);
    expect(text).not.toMatch(/\/(at|nn|vbd)\b/);
  });
});
