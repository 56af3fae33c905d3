import type { CleaningStep } from './cleaning-step.js';
import { decodeHtmlEntities } from './decode-html-entities.js';

/** Elements whose content is never text a reader sees. */
const HIDDEN_ELEMENTS = /<(script|style|noscript|template|svg|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** Elements that start a new line when rendered. */
const BLOCK_TAGS = /<\/?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|section|article|header|footer|nav|aside|main|blockquote|pre|figure|figcaption|form|title|address)\b[^>]*>/gi;
/** Any other tag, comment, doctype or processing instruction (a `<` not starting one stays). */
const OTHER_MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[!?][^>]*>|<\/?[a-zA-Z][^>]*>/g;

/**
 * Strips HTML or XML markup: drops comments and the content of `script`, `style`, `noscript`,
 * `template`, `svg` and `head`; turns block-level tags (`p`, `div`, `br`, `li`, headings, table
 * rows...) into line breaks and removes all other tags; decodes character references
 * ({@link decodeHtmlEntities}). Follow it with {@link normalizeWhitespace} to tidy the spaces left
 * behind. A `<` that does not start a tag (`a < b`) is kept.
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [stripHtml(), normalizeWhitespace()]);
 * // '<p>Fish &amp; chips</p><script>x()</script><p>Tea</p>' -> 'Fish & chips\nTea'
 * ```
 */
export function stripHtml(): CleaningStep {
  return {
    name: 'stripHtml',
    apply: (text) => {
      if (!text.includes('<') && !text.includes('&')) return text;
      return decodeHtmlEntities(text
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(HIDDEN_ELEMENTS, '')
        .replace(BLOCK_TAGS, '\n')
        .replace(OTHER_MARKUP, ''));
    },
  };
}
