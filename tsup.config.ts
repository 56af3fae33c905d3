import { defineConfig } from 'tsup';

// Library build: ESM + CJS with declarations. Every @tensorflow package stays external (one copy of
// tfjs-core per process); the bundled tfjs gradient configs (src/backend/generated) are inlined.
// Entries share code through chunks (the CLI and the subpath entries reuse the library's modules
// instead of each carrying a copy), and source maps carry mappings without the sources' text:
// stack traces still name src/ files and lines, and the tarball stays small.
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
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  shims: true,
  target: 'node20',
  splitting: true,
  external: [/^@tensorflow\//],
});
