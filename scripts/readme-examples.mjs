#!/usr/bin/env node
// Type-checks the "## Example" block of every package README against the sources (the
// README template asks for a runnable example): each first ```ts block after "## Example"
// is written to a temporary directory and compiled with the repository's strict settings.
// Usage: node scripts/readme-examples.mjs   (exit 1 with tsc's errors when one does not compile)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'emplace-readme-examples-'));
const checked = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  let readme;
  try {
    readme = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
  } catch {
    continue;
  }
  const at = readme.indexOf('## Example');
  const block = at < 0 ? null : /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) continue;
  writeFileSync(join(dir, `${pkg}.ts`), `${block[1]}\nexport {};\n`);
  checked.push(pkg);
}
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      baseUrl: root,
      paths: { '@emplace/*': ['packages/*/src/index.ts'] },
    },
    include: [join(dir, '*.ts')],
  }),
);
const tsc = spawnSync('npx', ['tsc', '-p', join(dir, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
const errors = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((l) => l.includes(dir) || l.includes('emplace-readme-examples-'));
for (const e of errors) console.error(e.replace(dir, 'README example'));
console.log(`README examples: ${checked.length} checked (${checked.join(', ')}), ${errors.length} errors`);
process.exit(errors.length > 0 ? 1 : 0);
