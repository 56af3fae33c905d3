import { assert } from '../../utils/assert.js';
import { ConfigError, RangeArgumentError } from '../../utils/errors.js';
import { describeJSON } from '../../utils/json-safety.js';
import type { CleaningStep } from './cleaning-step.js';

/**
 * Options of {@link filterScript}.
 * @example
 * ```ts
 * const options: FilterScriptOptions = { scripts: ['Han', 'Hiragana', 'Katakana'], minFraction: 0.6 };
 * ```
 */
export interface FilterScriptOptions {
  /**
   * Unicode script names as `\p{Script=...}` accepts them (`Latin`, `Han`, `Hiragana`, `Katakana`,
   * `Hangul`, `Cyrillic`, `Arabic`...). Japanese is written in Han, Hiragana and Katakana together.
   */
  readonly scripts: readonly string[];
  /** Fewest letters in those scripts, as a fraction of all letters (default 0.5). */
  readonly minFraction?: number;
  /** Keep documents with no letters at all (default false: removed as `no-letters`). */
  readonly keepWithoutLetters?: boolean;
}

/**
 * The fraction of a text's letters (category L; CJK ideographs and kana are letters) written in the
 * given scripts, or NaN when it has no letters.
 * @param text - any text
 * @param scripts - Unicode script names
 * @example
 * ```ts
 * scriptFraction('床前明月光 moon', ['Han']); // 5 / 9
 * ```
 */
export function scriptFraction(text: string, scripts: readonly string[]): number {
  return measure(text, compileScripts(scripts));
}

function compileScripts(scripts: readonly string[]): RegExp {
  assert(Array.isArray(scripts) && scripts.length > 0, ConfigError, () => `scripts (${describeJSON(scripts)}) must be a non-empty array of Unicode script names`);
  for (const script of scripts) {
    let valid = typeof script === 'string' && /^[A-Za-z_]+$/.test(script);
    try { if (valid) new RegExp(`\\p{Script=${script}}`, 'u'); } catch { valid = false; }
    assert(valid, ConfigError, () => `${describeJSON(script)} is not a Unicode script name (e.g. 'Latin', 'Han', 'Cyrillic')`);
  }
  return new RegExp(`^[${scripts.map((s) => `\\p{Script=${s}}`).join('')}]$`, 'u');
}

const LETTERS = /\p{L}/gu;

function measure(text: string, inScripts: RegExp): number {
  let letters = 0;
  let matching = 0;
  for (const [letter] of text.matchAll(LETTERS)) {
    letters++;
    if (inScripts.test(letter)) matching++;
  }
  return letters === 0 ? Number.NaN : matching / letters;
}

/**
 * Keeps documents mostly written in the given scripts: removes those whose letters in `scripts`
 * make up less than `minFraction` of all letters (reason `script-fraction`), and those without
 * letters (reason `no-letters`) unless kept. Counting letters only (not digits, punctuation or
 * spaces) makes the measure fair between CJK, where each character is a word, and alphabetic text.
 * @param options - the scripts and the smallest fraction
 * @example
 * ```ts
 * declare const docs: string[];
 * cleanDocuments(docs, [filterScript({ scripts: ['Han'], minFraction: 0.8 })]);
 * ```
 */
export function filterScript(options: FilterScriptOptions): CleaningStep {
  const inScripts = compileScripts(options?.scripts);
  const minFraction = options.minFraction ?? 0.5;
  assert(minFraction >= 0 && minFraction <= 1, RangeArgumentError, () => `minFraction (${minFraction}) must be in [0, 1]`);
  return {
    name: `filterScript(${options.scripts.join(',')})`,
    apply: (text) => {
      const fraction = measure(text, inScripts);
      if (Number.isNaN(fraction)) return options.keepWithoutLetters === true ? text : { removed: 'no-letters' };
      return fraction < minFraction ? { removed: 'script-fraction' } : text;
    },
  };
}
