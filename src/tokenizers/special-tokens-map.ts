import { assert } from '../utils/assert.js';
import { ConfigError } from '../utils/errors.js';
import { describeJSON } from '../utils/json-safety.js';
import type { AddedToken } from './added-vocabulary.js';
import { Tokenizer } from './tokenizer.js';

/**
 * The contents of a `special_tokens_map.json` (transformers): named roles (`bos_token`,
 * `eos_token`, `pad_token`...) and every special token listed, `additional_special_tokens` included.
 * @example
 * ```ts
 * const map = readSpecialTokensMap('{"eos_token": "</s>", "additional_special_tokens": ["<tool>"]}', 'special_tokens_map.json');
 * map.roles; // { eos_token: '</s>' }
 * ```
 */
export interface SpecialTokensMap {
  /** Role (the file's key, e.g. `eos_token`) to token text. */
  readonly roles: Readonly<Record<string, string>>;
  /** Every token the file lists, in file order, without duplicates; options as the file gives them (default false). */
  readonly tokens: readonly Omit<AddedToken, 'id' | 'special'>[];
}

type TokenOptions = Omit<AddedToken, 'id' | 'special'>;

function readToken(value: unknown, where: string): TokenOptions {
  if (typeof value === 'string') return { content: value, normalized: false, lstrip: false, rstrip: false, singleWord: false };
  assert(typeof value === 'object' && value !== null && !Array.isArray(value), ConfigError, () => `${where} must be a string or {"content": ...}, got ${describeJSON(value)}`);
  const o = value as Record<string, unknown>;
  const flag = (key: string): boolean => {
    const v = o[key] ?? false;
    assert(typeof v === 'boolean', ConfigError, () => `${where}.${key} must be a boolean, got ${describeJSON(v)}`);
    return v;
  };
  assert(typeof o['content'] === 'string' && o['content'].length > 0, ConfigError, () => `${where}.content must be a non-empty string, got ${describeJSON(o['content'])}`);
  return { content: o['content'], normalized: flag('normalized'), lstrip: flag('lstrip'), rstrip: flag('rstrip'), singleWord: flag('single_word') };
}

/**
 * Parses a `special_tokens_map.json`.
 * @param text - the file's contents
 * @param source - the file name, for error messages
 * @throws ConfigError naming the file and key when the JSON or an entry is malformed
 * @example
 * ```ts
 * readSpecialTokensMap('{"pad_token": {"content": "<pad>", "lstrip": false}}', 'special_tokens_map.json').tokens[0]!.content; // '<pad>'
 * ```
 */
export function readSpecialTokensMap(text: string, source: string): SpecialTokensMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  assert(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), ConfigError, () => `${source}: must be an object, got ${describeJSON(parsed)}`);
  const roles: Record<string, string> = {};
  const tokens = new Map<string, TokenOptions>();
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'additional_special_tokens') {
      assert(Array.isArray(value), ConfigError, () => `${source}: additional_special_tokens must be an array, got ${describeJSON(value)}`);
      value.forEach((v, i) => {
        const token = readToken(v, `${source}: additional_special_tokens[${i}]`);
        if (!tokens.has(token.content)) tokens.set(token.content, token);
      });
    } else if (value !== null) {
      const token = readToken(value, `${source}: ${key}`);
      roles[key] = token.content;
      if (!tokens.has(token.content)) tokens.set(token.content, token);
    }
  }
  return { roles, tokens: [...tokens.values()] };
}

/**
 * A copy of `tokenizer` where every token of `map` is a special added token, as transformers
 * applies `special_tokens_map.json`: an added token already there is made special, a vocabulary
 * token keeps its id, and a new token gets the next id after the whole vocabulary.
 * @example
 * ```ts
 * declare const tokenizer: Tokenizer;
 * const text = '{"additional_special_tokens": ["<tool>"]}';
 * const withMap = applySpecialTokensMap(tokenizer, readSpecialTokensMap(text, 'special_tokens_map.json'));
 * withMap.added.tokens.at(-1); // { content: '<tool>', special: true, ... }
 * ```
 */
export function applySpecialTokensMap(tokenizer: Tokenizer, map: SpecialTokensMap): Tokenizer {
  const added = new Map(tokenizer.added.tokens.map((t) => [t.content, t]));
  let next = Math.max(tokenizer.vocabSize, ...tokenizer.added.tokens.map((t) => t.id + 1));
  for (const token of map.tokens) {
    const existing = added.get(token.content);
    if (existing !== undefined) {
      if (!existing.special) added.set(token.content, { ...existing, special: true });
      continue;
    }
    added.set(token.content, { ...token, id: tokenizer.model.tokenToId(token.content) ?? next++, special: true });
  }
  return new Tokenizer({
    model: tokenizer.model, normalizer: tokenizer.normalizer, preTokenizer: tokenizer.preTokenizer, postProcessor: tokenizer.postProcessor,
    decoder: tokenizer.decoder, truncation: tokenizer.truncation, padding: tokenizer.padding, addedTokens: [...added.values()],
  });
}
