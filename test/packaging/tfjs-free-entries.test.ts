import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every module reachable from `entry` through relative imports, as paths under src/. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (url: URL): void => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const source = readFileSync(url, 'utf8');
    for (const [, spec] of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/g)) {
      expect(spec, `${url.pathname} imports ${spec}`).not.toMatch(/tensorflow/);
      if (spec!.startsWith('.')) visit(new URL(spec!.replace(/\.js$/, '.ts'), url));
    }
  };
  visit(new URL(`../../src/${entry}`, import.meta.url));
  return [...seen].map((u) => u.split('/src/')[1]!).sort();
}

describe('the tfjs-free subpath entries (wordforge/tokenizers, /data, /metrics)', () => {
  // What each entry may reach besides its own folder: the tfjs-free layers below it (DESIGN.md).
  const below: Record<string, string[]> = { tokenizers: ['utils/'], metrics: ['utils/'], data: ['utils/', 'tokenizers/'] };
  it.each(['tokenizers', 'data', 'metrics'])('%s imports no tfjs, directly or through what it imports', (folder) => {
    const modules = reachable(`${folder}/index.ts`);
    expect(modules).toContain(`${folder}/index.ts`);
    const outside = modules.filter((m) => !m.startsWith(`${folder}/`) && !below[folder]!.some((allowed) => m.startsWith(allowed)));
    expect(outside, `only its own folder and ${below[folder]!.join(', ')}`).toEqual([]);
  });
});
