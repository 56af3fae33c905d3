import { ConfigError } from '../utils/errors.js';
import type { PreTokenizer } from './components.js';
import { compileReplacePattern, replacePatternJSON, type ReplacePattern } from './replace.js';
import { splitWithBehavior, type SplitDelimiterBehavior } from './split-delimiter-behavior.js';

/**
 * Settings of {@link splitPreTokenizer}, as Hugging Face's `Split` pre-tokenizer.
 * @example
 * ```ts
 * const o: SplitOptions = { pattern: { regex: '\\s+' }, behavior: 'Removed' };
 * ```
 */
export interface SplitOptions {
  /** What delimits the pieces: a literal string or a regular expression source (compiled with the `u` flag). */
  readonly pattern: ReplacePattern;
  /** What becomes of the delimiters (see {@link SplitDelimiterBehavior}). */
  readonly behavior: SplitDelimiterBehavior;
  /** Treat the matches as the pieces and the text between them as delimiters (default false). */
  readonly invert?: boolean;
}

/**
 * Splits words on a string or regular expression, keeping, dropping or merging the delimiters as
 * `behavior` says, as Hugging Face's `Split` pre-tokenizer (used by e.g. GPT-4o- and Llama-3-style
 * tokenizers with their split regex and `invert`).
 * (https://huggingface.co/docs/tokenizers/api/pre-tokenizers#tokenizers.pre_tokenizers.Split)
 * @throws ConfigError when the regular expression does not compile in JavaScript, naming it
 * @example
 * ```ts
 * splitPreTokenizer({ pattern: { string: '-' }, behavior: 'Isolated' }).split(NormalizedString.from('a-b')).map((w) => w.text); // ['a', '-', 'b']
 * ```
 */
export function splitPreTokenizer(options: SplitOptions): PreTokenizer {
  const { pattern, behavior, invert = false } = options;
  let regex: RegExp;
  try {
    regex = compileReplacePattern(pattern);
  } catch (error) {
    throw new ConfigError(`Split pattern ${JSON.stringify('string' in pattern ? pattern.string : pattern.regex)} is not a valid JavaScript regular expression (${(error as Error).message})`);
  }
  return {
    split: (input) => splitWithBehavior(input, regex, behavior, invert),
    toJSON: () => ({ type: 'Split', pattern: replacePatternJSON(pattern), behavior, invert }),
  };
}
