/**
 * `pnpm example <name>`: runs the notebook-style example examples/notebooks/<name>.ts and
 * renders it to examples/out/<name>.md (prose, code, captured output, SVG figures).
 * `pnpm example` lists the examples; `pnpm example all` runs every one.
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from './lib/notebook.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'notebooks');
const outDir = join(here, 'out');
// A run killed hard (out of memory) leaves its generated module behind: clear such leftovers.
for (const f of readdirSync(dir)) if (f.startsWith('.run-')) rmSync(join(dir, f), { force: true });
const names = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.startsWith('.')).map((f) => f.replace(/\.ts$/, '')).sort();
const arg = process.argv[2];
if (!arg) {
  console.log(`usage: pnpm example <name> | all\n\nexamples: ${names.join(', ')}`);
  process.exit(0);
}
const todo = arg === 'all' ? names : [arg];
for (const name of todo) {
  if (!names.includes(name)) {
    console.error(`unknown example ${JSON.stringify(name)}; examples: ${names.join(', ')}`);
    process.exit(2);
  }
  const t0 = performance.now();
  process.stdout.write(`${name} ... `);
  await runNotebook(join(dir, `${name}.ts`), outDir);
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s -> ${join('examples', 'out', `${name}.md`)}`);
}
