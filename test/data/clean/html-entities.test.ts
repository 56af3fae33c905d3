import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities } from '../../../src/data/clean/decode-html-entities.js';
import { readFixture } from '../../helpers/fixtures.js';

// Texts with named and numeric character references and Python's html.unescape of each
// (scripts/fixtures/html-unescape.py).
const { cases } = readFixture<{ cases: Array<{ text: string; unescaped: string }> }>('html-unescape.json');

describe('decodeHtmlEntities', () => {
  it("decodes every reference as Python's html.unescape does", () => {
    expect(cases.length).toBe(400);
    for (const { text, unescaped } of cases) expect(decodeHtmlEntities(text), text).toBe(unescaped);
  });

  it('knows the whole HTML5 table, multi-code-point values included', () => {
    expect(decodeHtmlEntities('&CounterClockwiseContourIntegral; &NotEqualTilde; &fjlig; &bne;')).toBe('∳ ≂̸ fj =⃥');
  });
});
