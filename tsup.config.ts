import { defineConfig } from 'tsup';

// Library build: ESM + CJS with declarations. Every @tensorflow package stays external (one copy of
// tfjs-core per process); the bundled tfjs gradient configs (src/backend/generated) are inlined.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'tokenizers/index': 'src/tokenizers/index.ts',
    'data/index': 'src/data/index.ts',
    // tokenizeDocuments({ workers }) starts this file beside the bundle (dist/data/tokenize-worker.js)
    'data/tokenize-worker': 'src/data/pack/tokenize-worker.ts',
    'metrics/index': 'src/metrics/index.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
  external: [/^@tensorflow\//],
});
