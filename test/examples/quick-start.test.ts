import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

describe('examples/quick-start.ts (the README quick start)', () => {
  it('trains, generates and saves', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wordforge-quick-start-'));
    try {
      const run = spawnSync(process.execPath, [tsx, join(root, 'examples/quick-start.ts')], {
        cwd, encoding: 'utf8', env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), WORDFORGE_BACKEND: 'wasm' },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      const losses = lines.slice(0, 10).map((l) => Number(l.split(' ')[1]));
      expect(losses[9]).toBeLessThan(losses[0]! / 4);
      expect([...lines[10]!]).toHaveLength(20); // 20 generated characters
      expect(existsSync(join(cwd, 'runs/poem-model/model.safetensors'))).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
