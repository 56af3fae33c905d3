/**
 * Object keys that reach or replace an object's prototype chain when a parsed file is merged into
 * another object (`Object.assign`, `target[key] = value`, `key in object`): a file key equal to
 * one of them is never legitimate and is rejected.
 * @example
 * ```ts
 * RESERVED_KEYS.has('__proto__'); // true
 * ```
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first reserved key ({@link RESERVED_KEYS}) at any depth of a parsed JSON value,
 * e.g. `task_specific_params.__proto__`, or undefined when there is none. Iterative, so a deeply
 * nested file cannot overflow the stack.
 * @param value - a value returned by `JSON.parse`
 * @example
 * ```ts
 * findReservedKey(JSON.parse('{"a":[{"__proto__":1}]}')); // 'a.0.__proto__'
 * ```
 */
export function findReservedKey(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '']];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, path] = item;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (RESERVED_KEYS.has(key)) return childPath;
      pending.push([child, childPath]);
    }
  }
  return undefined;
}

/**
 * A short preview of a value read from a file, for error messages: its JSON text cut to
 * `maxChars`. Never throws, unlike `JSON.stringify` (which overflows the stack on deeply nested
 * arrays) and `String` (which throws on objects without a callable `toString`).
 * @param value - anything, typically a field of a parsed JSON file
 * @param maxChars - longest preview returned (an ellipsis marks a cut)
 * @example
 * ```ts
 * describeJSON([1, 2]); // '[1,2]'
 * describeJSON(NaN);    // 'NaN'
 * describeJSON(JSON.parse('['.repeat(1e5) + ']'.repeat(1e5))); // '(an array nested too deeply to show)'
 * ```
 */
export function describeJSON(value: unknown, maxChars = 200): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return String(value); // NaN and ±Infinity as themselves, not JSON's null
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch { // too deep, or cyclic
    return `(${Array.isArray(value) ? 'an array' : 'an object'} nested too deeply to show)`;
  }
  if (text === undefined) return typeof value; // undefined, a function or a symbol
  return text.length > maxChars ? `${text.slice(0, maxChars - 3)}...` : text;
}
