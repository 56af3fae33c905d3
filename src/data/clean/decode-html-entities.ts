import { HTML_NAMED_ENTITIES } from './html-named-entities.js';

/**
 * Decodes HTML character references: numeric (`&#233;`, `&#xE9;`; invalid code points become
 * U+FFFD) and all 2,125 HTML5 named ones (`&amp;`, `&nbsp;`, `&eacute;`, `&hellip;`...), as
 * Python's `html.unescape` does for references ending in `;`. Unknown names are left as written.
 * @param text - text holding character references
 * @example
 * ```ts
 * decodeHtmlEntities('caf&eacute; &amp; &#x1F600; &unknown;'); // 'café & 😀 &unknown;'
 * ```
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return HTML_NAMED_ENTITIES.get(name) ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\ufffd';
  });
}
