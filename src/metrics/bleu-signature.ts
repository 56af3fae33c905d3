/**
 * The sacrebleu release whose BLEU and chrF semantics this module reproduces; it is the
 * `version` field of our signatures, so that they read like sacrebleu's and compare with them.
 */
export const SACREBLEU_VERSION = '2.5.1';

/**
 * Formats a sacrebleu-style reproducibility signature: `key:value` pairs joined by `|`, with
 * `nrefs` first and `version` last, as sacrebleu 2.x prints them (Post 2018,
 * https://aclanthology.org/W18-6319/).
 *
 * @param nrefs - references per segment, or `'var'`
 * @param fields - the metric's own fields, in sacrebleu's order
 * @returns e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1`
 * @example
 * ```ts
 * formatSignature(1, [['case', 'mixed'], ['eff', 'no'], ['tok', '13a'], ['smooth', 'exp']]);
 * ```
 */
export function formatSignature(
  nrefs: number | 'var',
  fields: ReadonlyArray<readonly [string, string | number]>,
): string {
  const pairs: ReadonlyArray<readonly [string, string | number]> = [
    ['nrefs', nrefs], ...fields, ['version', SACREBLEU_VERSION],
  ];
  return pairs.map(([key, value]) => `${key}:${value}`).join('|');
}
