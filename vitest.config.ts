import { defineConfig } from 'vitest/config';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

// Tests run against the TypeScript sources of every workspace package, not their
// built output, so `vitest` needs no build step and always sees the current code.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@emplace\/([a-z-]+)$/, replacement: resolve(root, 'packages/$1/src/index.ts') },
    ],
  },
  test: {
    setupFiles: ['./vitest.setup.ts'],
    include: ['packages/*/test/**/*.test.ts', 'benchmarks/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
