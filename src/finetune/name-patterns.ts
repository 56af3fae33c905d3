/**
 * The RegExp source of a dotted-name glob: `*` matches within one segment (no `.`), `**` across
 * segments, everything else literally. Unanchored: callers add the anchors they need.
 *
 * @param glob - e.g. `backbone.blocks.*.attn`
 * @returns the RegExp source, e.g. `backbone\.blocks\.[^.]*\.attn`
 * @example
 * ```ts
 * new RegExp(`^${globSource('blocks.*.attn')}$`).test('blocks.3.attn'); // true
 * ```
 */
export function globSource(glob: string): string {
  return glob.split('**').map((part) => part.split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]*')).join('.*');
}

/**
 * A tester that searches `pattern` in a string without the state a global (`g`) RegExp keeps
 * between calls.
 *
 * @param pattern - any RegExp
 * @returns `(text) => boolean`
 * @example
 * ```ts
 * regExpTester(/attn/g)('blocks.0.attn.qkv'); // true, every time
 * ```
 */
export function regExpTester(pattern: RegExp): (text: string) => boolean {
  const stateless = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return (text) => stateless.test(text);
}
