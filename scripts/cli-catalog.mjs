#!/usr/bin/env node
// Writes packages/cli/dist/catalog.json: every CLI family's name, description, formats,
// methods and options, so that `emplace --help` / `help <family>` answer without loading
// the solver packages. Run after `tsc -b` (the root `build` script and scripts/pack.mjs do).
import { writeFileSync } from 'node:fs';

const dist = new URL('../packages/cli/dist/', import.meta.url);
const { allFamilies } = await import(new URL('families/index.js', dist).href);
const families = allFamilies.map((f) => ({ name: f.name, description: f.description, formats: f.formats, methods: f.methods, ...(f.options ? { options: f.options } : {}) }));
writeFileSync(new URL('catalog.json', dist), JSON.stringify({ families }) + '\n');
console.log(`cli catalog: ${families.length} families`);
process.exit(0);
