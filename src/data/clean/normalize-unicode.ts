import { assert } from '../../utils/assert.js';
import { ConfigError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import type { UnicodeForm } from '../../tokenizers/normalizers.js';
import type { CleaningStep } from './cleaning-step.js';

/**
 * Normalises documents to a Unicode form: NFC (the default) composes accents without changing
 * meaning; NFKC also folds compatibility characters (full-width `Ａ１` to `A1`, ligatures, `①` to
 * `1`), as most LLM data pipelines do before tokenising.
 * @param form - the normalisation form (https://unicode.org/reports/tr15/)
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [normalizeUnicode('NFKC')]);
 * ```
 */
export function normalizeUnicode(form: UnicodeForm = 'NFC'): CleaningStep {
  assert(['NFC', 'NFD', 'NFKC', 'NFKD'].includes(form), ConfigError,
    () => `form (${describeJSON(form)}) must be 'NFC', 'NFD', 'NFKC' or 'NFKD'`);
  return { name: `normalizeUnicode(${form})`, apply: (text) => text.normalize(form) };
}
