// Shared pieces of the reliability fuzzers: arbitraries of hostile JSON and bytes, and the check
// every fuzzed call must pass (only the allowed typed errors, no hang, no prototype pollution).
// Plain node:assert, not vitest's expect, so scripts/reliability/report.ts can run them too.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ErrorClass } from '../../src/utils/assert.js';
import { RESERVED_KEYS } from '../../src/utils/json-safety.js';

/** Longest a single parse may take before it counts as a hang (generous for a loaded CI machine). */
export const MAX_CASE_MS = 2_000;

const OBJECT_PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).join();

/** Fails when anything has been added to `Object.prototype` (e.g. by merging a `__proto__` key). */
export function assertNoPrototypePollution(): void {
  assert.equal(Object.getOwnPropertyNames(Object.prototype).join(), OBJECT_PROTOTYPE_KEYS, 'Object.prototype was polluted');
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
}

/**
 * Runs one fuzzed call and returns its result, or undefined when it threw one of `allowed`. Any
 * other error is rethrown (fast-check then reports and shrinks the input); a call slower than
 * {@link MAX_CASE_MS} or one that polluted `Object.prototype` fails too.
 */
export async function onlyTypedErrors<T>(allowed: readonly ErrorClass[], call: () => T | Promise<T>): Promise<T | undefined> {
  const start = performance.now();
  let result: T | undefined;
  try {
    result = await call();
  } catch (error) {
    if (!allowed.some((E) => error instanceof E)) throw error;
  }
  const ms = performance.now() - start;
  assert.ok(ms < MAX_CASE_MS, `one case took ${ms.toFixed(0)} ms (a hang?)`);
  assertNoPrototypePollution();
  return result;
}

/** The keys that reach a prototype, keys that break string conversion, and ordinary short keys. */
export const jsonKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...RESERVED_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('toString', 'valueOf') },
  { weight: 4, arbitrary: fc.string({ maxLength: 6 }) },
);

/** Numbers a file may hold where a size is expected: small, boundary, huge, negative, fractional. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.nat(8),
  fc.constantFrom(-1, 0.5, 2 ** 26, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 1e308, -0),
  fc.double(),
  fc.integer(),
);

/**
 * Any JSON value as `JSON.parse` returns it, its objects keyed by {@link jsonKey} (so `__proto__`
 * is an own key, and `{"toString": 1}` an object that template strings cannot convert).
 */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null), fc.boolean(), hostileNumber, fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(jsonKey, tie('value'), { maxKeys: 4 }),
  ),
})).value.map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** Arrays nested thousands deep: JSON.parse takes them, recursive code overflows the stack on them. */
export const deeplyNested: fc.Arbitrary<string> = fc.integer({ min: 5_000, max: 50_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);

/**
 * Text of a JSON file as an attacker or a crash might leave it: `base` serialised, cut short,
 * with bytes replaced, or replaced by random text.
 */
export function hostileJsonText(base: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const text = base.map((v) => JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 1, arbitrary: fc.tuple(text, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))) },
    { weight: 1, arbitrary: fc.tuple(text, fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([t, n, s]) => {
      const at = n % (t.length + 1);
      return t.slice(0, at) + s + t.slice(at + s.length);
    }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

/** A way to damage a file's bytes. */
export type ByteMutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'overwrite'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'append'; readonly bytes: Uint8Array };

/** Truncation, overwritten runs, insertions and appended garbage at random positions. */
export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

/** Applies mutations in order; positions wrap around the current length. */
export function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const m of mutations) {
    const at = m.kind === 'append' ? out.length : m.at % (out.length + 1);
    if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'overwrite') out.set(m.bytes.subarray(0, out.length - at), at);
    else {
      const next = new Uint8Array(out.length + m.bytes.length);
      next.set(out.subarray(0, at));
      next.set(m.bytes, at);
      next.set(out.subarray(at), at + m.bytes.length);
      out = next;
    }
  }
  return out;
}
