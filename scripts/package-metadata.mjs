#!/usr/bin/env node
// Normalises the publish metadata of every packages/*/package.json (read-modify-write:
// dependencies and any field this script does not own are kept as they are).
// Run: node scripts/package-metadata.mjs   (idempotent; `--check` fails if anything would change)
import { readFileSync, writeFileSync, readdirSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = 'https://github.com/emplace-js/emplace';
const check = process.argv.includes('--check');
let drift = 0;
const root = new URL('..', import.meta.url).pathname;

const KEYWORDS = {
  core: ['placement-model', 'result-envelope'],
  lp: ['linear-programming', 'mip', 'highs', 'glpk'],
  io: ['or-library', 'steinlib', 'graphml', 'matrix-market'],
  graph: ['graph', 'shortest-path', 'max-flow', 'minimum-spanning-tree'],
  facility: ['facility-location', 'p-median', 'ufl', 'cfl'],
  kcenter: ['k-center', 'p-center'],
  assignment: ['generalized-assignment', 'scheduling'],
  steiner: ['steiner-tree'],
  spectral: ['spectral-graph-theory', 'fiedler', 'laplacian'],
  mechanism: ['shapley', 'vcg', 'auction', 'mechanism-design'],
  pareto: ['multi-objective', 'nsga-ii', 'hypervolume', 'pareto'],
  flows: ['min-cost-flow', 'multi-commodity-flow', 'gomory-hu'],
  kube: ['kubernetes', 'karmada', 'kueue', 'open-cluster-management'],
  cli: ['cli'],
  pool: ['worker-threads', 'web-workers', 'worker-pool'],
  emplace: ['placement', 'planner'],
};

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const before = readFileSync(file, 'utf8');
  const pkg = JSON.parse(before);
  if (dir === 'emplace') pkg.name = '@emplace/emplace';
  pkg.license = 'MIT';
  pkg.author = 'The emplace authors';
  pkg.homepage = `${REPO}/tree/main/packages/${dir}#readme`;
  pkg.repository = { type: 'git', url: `git+${REPO}.git`, directory: `packages/${dir}` };
  pkg.bugs = { url: `${REPO}/issues` };
  pkg.keywords = [...new Set(['emplace', 'optimization', 'operations-research', 'multi-cluster', ...(KEYWORDS[dir] ?? [])])];
  pkg.files = ['dist', '!dist/.tsbuildinfo', '!dist/**/*.map', 'README.md', 'CHANGELOG.md', 'LICENSE'];
  // Workspace development resolves `source` (TypeScript sources); the published manifest
  // (pnpm's publishConfig override) points at dist only.
  const publishExports = {};
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    if (sub === './package.json') continue;
    const t = typeof target === 'string' ? { import: target } : target;
    const js = t.import ?? t.default;
    const types = t.types ?? js.replace(/\.js$/, '.d.ts');
    const dev = { ...(t.source ? { source: t.source } : {}), types, import: js, default: js };
    pkg.exports[sub] = dev;
    publishExports[sub] = { types, import: js, default: js };
  }
  pkg.exports['./package.json'] = './package.json';
  publishExports['./package.json'] = './package.json';
  pkg.publishConfig = { access: 'public', provenance: true, exports: publishExports };
  // The "browser" replacement map (Node-only modules -> browser stand-ins): without src/ entries.
  if (pkg.browser && typeof pkg.browser === 'object') {
    pkg.publishConfig.browser = Object.fromEntries(Object.entries(pkg.browser).filter(([k]) => !k.startsWith('./src/')));
  }
  const ordered = {};
  const order = ['name', 'version', 'description', 'keywords', 'homepage', 'bugs', 'repository', 'license', 'author', 'type', 'sideEffects', 'exports', 'browser', 'main', 'types', 'bin', 'files', 'engines', 'publishConfig'];
  for (const k of order) if (k in pkg) ordered[k] = pkg[k];
  for (const k of Object.keys(pkg)) if (!(k in ordered)) ordered[k] = pkg[k];
  const after = JSON.stringify(ordered, null, 2) + '\n';
  if (after !== before) {
    drift++;
    if (check) console.error(`packages/${dir}/package.json: metadata out of date`);
    else writeFileSync(file, after);
  }
  const changelog = join(root, 'packages', dir, 'CHANGELOG.md');
  if (!existsSync(changelog)) {
    drift++;
    if (check) console.error(`packages/${dir}/CHANGELOG.md missing`);
    else writeFileSync(changelog, `# ${pkg.name}\n\n## ${pkg.version}\n\n- First public version: ESM-only, Node 20+ and browsers; see README.md.\n`);
  }
  const license = join(root, 'packages', dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')) {
    drift++;
    if (check) console.error(`packages/${dir}/LICENSE missing or different from the root LICENSE`);
    else copyFileSync(join(root, 'LICENSE'), license);
  }
}
if (check && drift > 0) process.exit(1);
