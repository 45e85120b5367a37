#!/usr/bin/env node
// The "Methods and guarantees" section of each solver package's README, generated from the
// package's method tables (packages/<pkg>/src/methods.ts, exported as `methodTables`) between
//   <!-- methods:begin -->  and  <!-- methods:end -->
// Usage (after `tsc -b`):  node scripts/methods-table.mjs --write | --check
//   --write  rewrites the sections;  --check  exits 1 naming every README that drifted.
// packages/cli/test/readme-methods.test.ts runs the same comparison on the sources, so
// `pnpm test` (and CI) fails when a table changes without its README.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BEGIN = '<!-- methods:begin: generated from src/methods.ts by `node scripts/methods-table.mjs --write`; do not edit -->';
export const END = '<!-- methods:end -->';

/** The packages that declare method tables. */
export const TABLE_PACKAGES = ['facility', 'kcenter', 'assignment', 'steiner', 'graph', 'flows', 'spectral', 'mechanism', 'pareto'];

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function optionRows(table) {
  const names = table.methods.map((m) => m.method);
  return table.options.map((o) => {
    const type = o.choices ? o.choices.map((c) => `\`${c}\``).join(o.type === 'list' ? ', ' : ' | ') + (o.type === 'list' ? ' (list)' : '') : o.type;
    const methods = o.methods === undefined || o.methods.length === names.length ? 'all' : o.methods.join(', ');
    const def = o.required ? 'required' : o.default === undefined ? '' : `\`${String(o.default)}\``;
    return `| \`${o.name}\` | ${cell(type)} | ${cell(def)} | ${cell(methods)} | ${cell(o.description)} |`;
  });
}

/** Markdown of the tables: per family, its methods with guarantees, then its options. */
export function renderMethods(tables) {
  const out = [];
  for (const table of tables) {
    out.push(`### \`${table.family}\` (${table.modelKind} model): ${cell(table.summary)}`, '');
    out.push('| Method | Guarantee | What it does |', '| --- | --- | --- |');
    for (const m of table.methods) out.push(`| \`${table.family}:${m.method}\` | ${cell(m.guarantee)} | ${cell(m.description)} |`);
    out.push('');
    if (table.options.length > 0) {
      out.push('| Option | Type | Default | Methods | What it does |', '| --- | --- | --- | --- | --- |', ...optionRows(table), '');
    }
  }
  out.push('Every method also takes the options of every solver: `timeLimitMs`, `signal`, `seed`, `onProgress`, `onIncumbent` (docs/concepts.md).');
  return out.join('\n');
}

/** `readme` with the generated section replaced; undefined when it has no markers. */
export function withMethods(readme, tables) {
  const a = readme.indexOf('<!-- methods:begin');
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return undefined;
  return `${readme.slice(0, a)}${BEGIN}\n\n${renderMethods(tables)}\n\n${readme.slice(b)}`;
}

async function main(mode) {
  const root = new URL('../', import.meta.url);
  const drift = [];
  for (const pkg of TABLE_PACKAGES) {
    const { methodTables } = await import(new URL(`packages/${pkg}/dist/index.js`, root).href);
    const path = fileURLToPath(new URL(`packages/${pkg}/README.md`, root));
    const readme = readFileSync(path, 'utf8');
    const next = withMethods(readme, methodTables);
    if (next === undefined) {
      drift.push(`${path}: no "<!-- methods:begin -->" ... "${END}" markers`);
      continue;
    }
    if (next === readme) continue;
    if (mode === '--write') writeFileSync(path, next);
    else drift.push(`${path}: methods table differs from src/methods.ts (run node scripts/methods-table.mjs --write)`);
  }
  for (const d of drift) console.error(d);
  if (mode === '--write') console.log(`methods tables: ${TABLE_PACKAGES.length} READMEs checked`);
  process.exit(drift.length > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const mode = process.argv[2];
  if (mode !== '--write' && mode !== '--check') {
    console.error('usage: node scripts/methods-table.mjs --write | --check');
    process.exit(2);
  }
  await main(mode);
}
