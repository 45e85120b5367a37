#!/usr/bin/env node
// Size budget per package: the packed tarball (what npm downloads, gzip) is compared with
// scripts/size-budget.json; a package without a budget fails too.
// Usage: node scripts/size.mjs [packedDir]   (run scripts/pack.mjs first)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const dir = resolve(process.argv[2] ?? join(root, 'packed'));
const budget = JSON.parse(readFileSync(join(root, 'scripts', 'size-budget.json'), 'utf8'));
const rows = [];
let failed = 0;
for (const t of readdirSync(dir).filter((f) => f.endsWith('.tgz')).sort()) {
  const name = '@emplace/' + t.replace(/^emplace-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
  const bytes = statSync(join(dir, t)).size;
  const limit = budget[name];
  const ok = limit !== undefined && bytes <= limit;
  if (!ok) failed++;
  rows.push(`${name.padEnd(22)} ${(bytes / 1024).toFixed(1).padStart(7)} kB  budget ${limit === undefined ? '(none)' : (limit / 1024).toFixed(0) + ' kB'}${ok ? '' : '  OVER'}`);
}
console.log('tarball sizes (gzip):\n' + rows.join('\n'));
if (failed) {
  console.error(`size: ${failed} package(s) over budget or without one (scripts/size-budget.json)`);
  process.exit(1);
}
