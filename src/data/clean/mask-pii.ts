import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import type { CleaningStep } from './cleaning-step.js';

/**
 * Options of {@link maskPii}: which kinds to mask and with what.
 * @example
 * ```ts
 * const options: MaskPiiOptions = { phones: false, replacement: '[REDACTED]' };
 * ```
 */
export interface MaskPiiOptions {
  /** Mask email addresses (default true). */
  readonly emails?: boolean;
  /** Mask phone numbers (default true). */
  readonly phones?: boolean;
  /** Mask URLs starting with `http://`, `https://`, `ftp://` or `www.` (default true). */
  readonly urls?: boolean;
  /** One replacement for all kinds, or one per kind (default `<EMAIL>`, `<PHONE>`, `<URL>`). */
  readonly replacement?: string | PiiReplacements;
}

/**
 * One replacement text per kind of personal information, for {@link MaskPiiOptions.replacement}.
 * @example
 * ```ts
 * const replacements: PiiReplacements = { email: '[EMAIL]', url: '[LINK]' };
 * ```
 */
export interface PiiReplacements {
  /** Replaces email addresses (default `<EMAIL>`). */
  readonly email?: string;
  /** Replaces phone numbers (default `<PHONE>`). */
  readonly phone?: string;
  /** Replaces URLs (default `<URL>`). */
  readonly url?: string;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const URL_PATTERN = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"'，。、）》]+/giu;
const URL_TRAILING = /[.,;:!?)\]}'"]+$/;
/**
 * Phone numbers: an optional `+country` code, an optional `(area)` code, then 2 to 5 groups of
 * 2-4 digits separated by a space, `.` or `-`; or a Chinese mobile number (11 digits from 13-19).
 * A match must hold 9 to 15 digits, so dates (`2021-11-29`) and short numbers are left alone.
 */
const PHONE = /(?<![\p{L}\p{N}+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\p{L}\p{N}])|(?<!\d)1[3-9]\d{9}(?!\d)/gu;

/**
 * Masks personal information: email addresses, URLs and phone numbers (heuristic patterns; see the
 * source for exactly what they match), in that order, so an email inside a URL is masked as an
 * email. Counts masks under the notes `emails-masked`, `urls-masked` and `phones-masked`.
 * @param options - which kinds and the replacement text
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [maskPii()]); // 'Mail bob@example.com or call +1 415-555-0100' -> 'Mail <EMAIL> or call <PHONE>'
 * ```
 */
export function maskPii(options: MaskPiiOptions = {}): CleaningStep {
  const { emails = true, phones = true, urls = true, replacement } = options;
  const pick = (kind: 'email' | 'phone' | 'url', fallback: string): string =>
    typeof replacement === 'string' ? replacement : replacement?.[kind] ?? fallback;
  const masks = { email: pick('email', '<EMAIL>'), phone: pick('phone', '<PHONE>'), url: pick('url', '<URL>') };
  assert(Object.values(masks).every((m) => typeof m === 'string' && !/\d/.test(m)), ConfigError,
    () => `replacements (${JSON.stringify(masks)}) must be strings without digits (the phone pattern would match them)`);
  return {
    name: 'maskPii',
    apply: (text, tally) => {
      let out = text;
      if (emails) out = out.replace(EMAIL, () => { tally('emails-masked'); return masks.email; });
      if (urls) {
        out = out.replace(URL_PATTERN, (url) => {
          const trailing = URL_TRAILING.exec(url)?.[0] ?? '';
          tally('urls-masked');
          return masks.url + trailing;
        });
      }
      if (phones) {
        out = out.replace(PHONE, (phone) => {
          const digits = phone.replace(/\D/g, '').length;
          if (digits < 9 || digits > 15) return phone;
          tally('phones-masked');
          return masks.phone;
        });
      }
      return out;
    },
  };
}
