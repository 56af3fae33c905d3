import { describe, expect, it } from 'vitest';
import { cleanDocuments } from '../../../src/data/clean/clean-documents.js';
import { decodeHtmlEntities } from '../../../src/data/clean/decode-html-entities.js';
import { maskPii } from '../../../src/data/clean/mask-pii.js';
import { normalizeUnicode } from '../../../src/data/clean/normalize-unicode.js';
import { normalizeWhitespace } from '../../../src/data/clean/normalize-whitespace.js';
import { removeControlCharacters } from '../../../src/data/clean/remove-control-characters.js';
import { removeZeroWidth } from '../../../src/data/clean/remove-zero-width.js';
import { stripHtml } from '../../../src/data/clean/strip-html.js';
import { ConfigError, RangeArgumentError } from '../../../src/utils/errors.js';
import { collect } from '../sources/collect.js';
import { runStep as run } from './run-step.js';
import { brownDocuments } from '../sources/brown-documents.js';

describe('normalizeUnicode', () => {
  it('composes with NFC and folds compatibility forms with NFKC', () => {
    expect(run(normalizeUnicode(), 'e\u0301').out).toBe('é');
    expect(run(normalizeUnicode('NFKC'), 'Ｈｅｌｌｏ①ﬁ').out).toBe('Hello1fi');
    expect(run(normalizeUnicode('NFC'), 'Ｈｅｌｌｏ').out).toBe('Ｈｅｌｌｏ');
    expect(() => normalizeUnicode('NFX' as 'NFC')).toThrowError(ConfigError);
  });
});

describe('removeControlCharacters', () => {
  it('removes C0/C1 controls and DEL, keeps \\n and \\t, turns \\r\\n into \\n', () => {
    expect(run(removeControlCharacters(), 'a\u0000b\u0007\tc\r\nd\re\u007f\u0085f\u001b[0m')).toEqual({
      out: 'ab\tc\nd\nef[0m', notes: { 'characters-removed': 5 },
    });
  });
});

describe('removeZeroWidth', () => {
  it('removes zero-width spaces, BOMs, soft hyphens and (unless kept) joiners', () => {
    const text = 'zero\u200Bwidth\uFEFF co\u00ADoperate 👩\u200D💻 \u2060x';
    expect(run(removeZeroWidth(), text)).toEqual({ out: 'zerowidth cooperate 👩💻 x', notes: { 'characters-removed': 5 } });
    expect(run(removeZeroWidth({ keepJoiners: true }), text).out).toBe('zerowidth cooperate 👩\u200D💻 x');
  });
});

describe('normalizeWhitespace', () => {
  it('collapses spaces (including no-break and ideographic), trims lines and limits blank lines', () => {
    expect(run(normalizeWhitespace(), '  a \t b\u00a0\u3000c \r\n\n\n\n d\u2028e ').out).toBe('a b c\n\nd\ne');
    expect(run(normalizeWhitespace({ maxBlankLines: 0 }), 'a\n\n\nb').out).toBe('a\nb');
    expect(() => normalizeWhitespace({ maxBlankLines: -1 })).toThrowError(RangeArgumentError);
  });
});

describe('stripHtml and decodeHtmlEntities', () => {
  it('drops scripts, styles and comments, breaks lines at block tags and decodes entities', () => {
    const html = '<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head><body>'
      + '<h1>Fish &amp; chips</h1><!-- note --><p>Caf&eacute; &lt;3 &#8212; <a href="x">link</a></p>'
      + '<script type="text/javascript">if (a < b) alert(1);</script><ul><li>one</li><li>two</li></ul>1 < 2</body></html>';
    const cleaned = run(stripHtml(), html).out as string;
    expect(run(normalizeWhitespace({ maxBlankLines: 0 }), cleaned).out).toBe('Fish & chips\nCafé <3 — link\none\ntwo\n1 < 2');
  });
  it('decodes numeric references and leaves unknown names alone', () => {
    expect(decodeHtmlEntities('&#x1F600;&#233;&#0;&#xD800;&bogus;&amp')).toBe('😀é\ufffd\ufffd&bogus;&');
  });
  it('leaves plain text untouched', () => {
    const doc = brownDocuments(1)[0]!;
    expect(run(stripHtml(), doc).out).toBe(doc);
  });
});

describe('maskPii', () => {
  it('masks emails, URLs and phone numbers, counting each', () => {
    const text = 'Mail bob.smith+news@example.co.uk, see https://example.com/a?b=1. Call +1 415-555-0100, (020) 7946 0958 or 13812345678.';
    expect(run(maskPii(), text)).toEqual({
      out: 'Mail <EMAIL>, see <URL>. Call <PHONE>, <PHONE> or <PHONE>.',
      notes: { 'emails-masked': 1, 'urls-masked': 1, 'phones-masked': 3 },
    });
  });
  it('leaves dates, years, prices and short numbers alone', () => {
    const text = 'On 2021-11-29 in 1961 it cost $1,250.00; room 404, ext. 12-34.';
    expect(run(maskPii(), text)).toEqual({ out: text, notes: {} });
  });
  it('takes one replacement or one per kind, and can skip kinds', () => {
    expect(run(maskPii({ replacement: '[X]' }), 'a@b.io www.b.io').out).toBe('[X] [X]');
    expect(run(maskPii({ urls: false, replacement: { email: '<E>' } }), 'a@b.io www.b.io').out).toBe('<E> www.b.io');
    expect(() => maskPii({ replacement: 'N0' })).toThrowError(ConfigError);
  });
  it('changes no Brown corpus document that has no emails, URLs or phone numbers', async () => {
    const docs = brownDocuments(40);
    const cleaned = cleanDocuments(docs, [maskPii()]);
    await collect(cleaned);
    // the 1961 Brown texts hold no emails or URLs; a few phone-like digit groups at most
    expect(cleaned.report.steps[0]!.notes['emails-masked'] ?? 0).toBe(0);
    expect(cleaned.report.steps[0]!.notes['urls-masked'] ?? 0).toBe(0);
    expect(cleaned.report.steps[0]!.changed).toBeLessThanOrEqual(2);
  });
});
