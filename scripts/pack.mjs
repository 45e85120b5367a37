#!/usr/bin/env node
// Packs every publishable package (what `pnpm publish` would upload) into ./packed/ and
// checks each tarball: dist JavaScript + .d.ts, README, CHANGELOG and LICENSE only; no
// build info, source maps or sources; a published manifest with no `source` condition and
// no `workspace:` ranges, whose every export target is in the tarball.
// Needs a build first (`pnpm build`). Usage: node scripts/pack.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = resolve(process.argv[2] ?? join(root, 'packed'));
rmSync(out, { recursive: true, force: true });
// The CLI's help catalog (dist/catalog.json) must match the compiled families.
execFileSync(process.execPath, [join(root, 'scripts', 'cli-catalog.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
mkdirSync(out, { recursive: true });
execFileSync('npx', ['-y', 'pnpm@10', '-r', '--filter', './packages/*', 'pack', '--pack-destination', out], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const problems = [];
const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz')).sort();
for (const t of tarballs) {
  const file = join(out, t);
  const entries = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).map((e) => e.replace(/^package\//, ''));
  const manifest = JSON.parse(execFileSync('tar', ['xzf', file, '-O', 'package/package.json'], { encoding: 'utf8' }));
  const bad = (msg) => problems.push(`${t}: ${msg}`);
  for (const e of entries) {
    const allowed = e === 'package.json' || e === 'README.md' || e === 'CHANGELOG.md' || e === 'LICENSE' || /^dist\/.*\.(js|d\.ts)$/.test(e) || e === 'dist/catalog.json';
    if (!allowed) bad(`unexpected file ${e}`);
  }
  for (const need of ['LICENSE', 'README.md', 'CHANGELOG.md']) if (!entries.includes(need)) bad(`no ${need}`);
  const text = JSON.stringify(manifest);
  if (text.includes('"source"')) bad('the published exports still carry the `source` condition');
  // (sideEffects may still name src/ files: harmless, and bundlers of the sources need them)
  if (JSON.stringify({ ...manifest, sideEffects: undefined }).includes('./src/')) bad('the published manifest points into src/');
  if (text.includes('workspace:')) bad('a workspace: range survived packing');
  if (manifest.license !== 'MIT') bad('license is not MIT');
  if (manifest.type !== 'module') bad('not "type": "module"');
  if (!manifest.repository || !manifest.publishConfig || manifest.publishConfig.access !== 'public') bad('repository / publishConfig.access missing');
  if (!manifest.exports?.['./package.json']) bad('no ./package.json export');
  for (const [sub, target] of Object.entries(manifest.exports ?? {})) {
    if (sub === './package.json') continue;
    for (const cond of ['types', 'import', 'default']) {
      const p = target?.[cond];
      if (typeof p !== 'string') bad(`export ${sub} has no ${cond}`);
      else if (!entries.includes(p.replace(/^\.\//, ''))) bad(`export ${sub} ${cond} -> ${p} is not in the tarball`);
    }
  }
  for (const p of Object.values(manifest.bin ?? {})) if (!entries.includes(p.replace(/^\.\//, ''))) bad(`bin ${p} is not in the tarball`);
}
if (tarballs.length === 0) problems.push('no tarball produced');
for (const p of problems) console.error(`pack: ${p}`);
console.log(`pack: ${tarballs.length} tarballs in ${out}${problems.length ? `, ${problems.length} problem(s)` : ', all checks passed'}`);
if (problems.length) process.exit(1);
