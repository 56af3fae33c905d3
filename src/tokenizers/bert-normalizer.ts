import type { ComponentJSON, Normalizer } from './components.js';
import { BERT_CONTROL, BERT_NONSPACING_MARK, BERT_SPACE } from './bert-unicode-tables.js';
import { lowercase, unicodeNormalizer } from './normalizers.js';

/**
 * Settings of {@link bertNormalizer}, as in Hugging Face's `BertNormalizer`.
 * @example
 * ```ts
 * const cased: BertNormalizerOptions = { lowercase: false };
 * ```
 */
export interface BertNormalizerOptions {
  /** Drop control characters, NUL and U+FFFD; turn every whitespace character into a space (default true). */
  readonly cleanText?: boolean;
  /** Put spaces around CJK ideographs, so each becomes its own word (default true). */
  readonly handleChineseChars?: boolean;
  /** Decompose (NFD) and drop non-spacing marks; null follows `lowercase` (default null). */
  readonly stripAccents?: boolean | null;
  /** Lowercase every character (default true). */
  readonly lowercase?: boolean;
}

/** CJK Unified Ideographs blocks, as BERT's `_is_chinese_char` (Hangul and kana are not included). */
const CHINESE_CLASS = String.raw`\u{4e00}-\u{9fff}\u{3400}-\u{4dbf}\u{20000}-\u{2a6df}\u{2a700}-\u{2b73f}\u{2b740}-\u{2b81f}\u{2b920}-\u{2ceaf}\u{f900}-\u{faff}\u{2f800}-\u{2fa1f}`;
const CONTROL = new RegExp(`^[${BERT_CONTROL}]`, 'u');
const SPACE = new RegExp(`^[${BERT_SPACE}]`, 'u');
const CHINESE = new RegExp(`^[${CHINESE_CLASS}]`, 'u');
const NONSPACING_MARK = new RegExp(`^[${BERT_NONSPACING_MARK}]`, 'u');

/** A step that rewrites each code point with `map`, skipped when `any` finds nothing to rewrite. */
function perCodePoint(any: RegExp, map: (c: string) => string): Normalizer['normalize'] {
  return (s) => (any.test(s.text) ? s.mapCodePoints(map) : s);
}

/**
 * BERT's normalizer, in Hugging Face's order: clean text, space out CJK ideographs, strip accents
 * (NFD, then non-spacing marks removed), lowercase. Offsets keep pointing into the original: an
 * ideograph and the spaces around it all map to the ideograph, a removed accent maps nowhere.
 * (https://huggingface.co/docs/tokenizers/api/normalizers#tokenizers.normalizers.BertNormalizer;
 * Devlin et al. 2018, https://arxiv.org/abs/1810.04805)
 * @example
 * ```ts
 * bertNormalizer().normalize(NormalizedString.from('Héllo中\t!')).text; // 'hello 中  !'
 * ```
 */
export function bertNormalizer(options: BertNormalizerOptions = {}): Normalizer {
  const { cleanText = true, handleChineseChars = true, stripAccents = null, lowercase: lower = true } = options;
  const steps: Normalizer['normalize'][] = [];
  if (cleanText) steps.push(perCodePoint(new RegExp(`[${BERT_CONTROL}${BERT_SPACE}]`, 'u'), (c) => (CONTROL.test(c) ? '' : SPACE.test(c) ? ' ' : c)));
  if (handleChineseChars) steps.push(perCodePoint(new RegExp(`[${CHINESE_CLASS}]`, 'u'), (c) => (CHINESE.test(c) ? ` ${c} ` : c)));
  if (stripAccents ?? lower) {
    const nfd = unicodeNormalizer('NFD');
    const strip = perCodePoint(new RegExp(`[${BERT_NONSPACING_MARK}]`, 'u'), (c) => (NONSPACING_MARK.test(c) ? '' : c));
    steps.push((s) => strip(nfd.normalize(s)));
  }
  if (lower) steps.push(lowercase().normalize);
  return {
    normalize: (input) => steps.reduce((s, step) => step(s), input),
    spaceSeparable: true, // every step rewrites characters on their own; ASCII whitespace stays whitespace
    toJSON: (): ComponentJSON => ({ type: 'BertNormalizer', clean_text: cleanText, handle_chinese_chars: handleChineseChars, strip_accents: stripAccents, lowercase: lower }),
  };
}
