import { assert } from '../utils/assert.js';
import { ConfigError, ShapeError } from '../utils/errors.js';

/** A validated corpus: hypotheses, their non-empty references, and the reference count. */
export interface MetricCorpus {
  /** One string per segment. */
  readonly hypotheses: readonly string[];
  /** Per segment, its references with empty strings dropped (never empty). */
  readonly references: readonly (readonly string[])[];
  /** References per segment, or `'var'` when segments have different numbers (signature `nrefs`). */
  readonly nrefs: number | 'var';
}

/**
 * A short description of a value for error messages: its kind and a JSON excerpt (at most 60
 * characters).
 *
 * @param value - any value
 * @returns e.g. `number 3`, `array ["a",1]`, `undefined`
 * @example
 * ```ts
 * describeValue(['a', 1]); // 'array ["a",1]'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return `${kind} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/**
 * Checks a list of segments: an array whose every item is a string.
 *
 * @param value - the candidate list
 * @param what - its name in messages, e.g. `bleu: hypotheses`
 * @example
 * ```ts
 * checkStringList(['a', 'b'], 'selfBleu: texts');
 * ```
 */
export function checkStringList(value: unknown, what: string): asserts value is string[] {
  assert(Array.isArray(value), ConfigError,
    () => `${what} must be an array of strings, got ${describeValue(value)}`);
  value.forEach((item, i) => assert(typeof item === 'string', ConfigError,
    () => `${what}[${i}] must be a string, got ${describeValue(item)}`));
}

/**
 * Validates the inputs of a corpus metric (BLEU, chrF) and prepares its references the way
 * sacrebleu does: empty reference strings are dropped (so segments may have different numbers of
 * references), and a segment left without any reference is an error. Note that our references
 * are one list per hypothesis, where sacrebleu takes a list of reference streams.
 *
 * @param hypotheses - one string per segment
 * @param references - per segment, a non-empty list of reference strings
 * @param fn - the calling function's name, for messages
 * @returns the validated corpus
 * @throws ConfigError when an argument or item has the wrong type
 * @throws ShapeError when the lengths differ or a segment has no non-empty reference
 * @example
 * ```ts
 * prepareCorpus(['a cat'], [['the cat', '']], 'bleu').nrefs; // 1
 * ```
 */
export function prepareCorpus(hypotheses: unknown, references: unknown, fn: string): MetricCorpus {
  checkStringList(hypotheses, `${fn}: hypotheses`);
  assert(Array.isArray(references), ConfigError, () =>
    `${fn}: references must be an array with one array of reference strings per hypothesis, `
    + `got ${describeValue(references)}`);
  assert(references.length === hypotheses.length, ShapeError, () =>
    `${fn}: got ${hypotheses.length} hypotheses but ${references.length} reference lists `
    + '(one list of references per hypothesis)');
  const counts = new Set<number>();
  const prepared = references.map((refs: unknown, i) => {
    checkStringList(refs, `${fn}: references[${i}]`);
    const kept = refs.filter((ref) => ref !== '');
    assert(kept.length > 0, ShapeError, () =>
      `${fn}: references[${i}] must hold at least one non-empty reference, got ${describeValue(refs)}`);
    counts.add(kept.length);
    return kept;
  });
  return { hypotheses, references: prepared, nrefs: nrefsLabel(counts) };
}

/**
 * The signature's `nrefs` for a set of per-segment reference counts: the count when all
 * segments agree, `'var'` when they differ, 0 for no segments.
 *
 * @param counts - the distinct reference counts seen
 * @returns the `nrefs` value
 * @example
 * ```ts
 * nrefsLabel(new Set([2])); // 2
 * nrefsLabel(new Set([1, 2])); // 'var'
 * ```
 */
export function nrefsLabel(counts: ReadonlySet<number>): number | 'var' {
  if (counts.size > 1) return 'var';
  return counts.size === 1 ? (counts.values().next().value as number) : 0;
}
