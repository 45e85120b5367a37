import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/* Shared by the headless-Chromium tests: where Chromium and the repository are, and esbuild. */

/** Headless Chromium (Debian's package); CHROMIUM_PATH overrides it. The tests skip when it is missing. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The repository root. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

/** esbuild as vite/vitest install it (pnpm's store), without a dependency of our own. */
export function loadEsbuild(): EsbuildLike | undefined {
  const store = join(root, 'node_modules', '.pnpm');
  const dir = existsSync(store) ? readdirSync(store).find((d) => /^esbuild@\d/.test(d)) : undefined;
  if (!dir) return undefined;
  return createRequire(join(store, dir, 'node_modules', 'esbuild', 'package.json'))('esbuild') as EsbuildLike;
}
