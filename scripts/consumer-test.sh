#!/usr/bin/env bash
# Consumer test: what a user of the published packages gets. Packs every package (as
# `pnpm publish` would), checks the tarballs and their size budget, installs them with npm
# into a fresh temporary project (no workspace links; dependencies from the registry), then
#   1. runs the README's code example (marker <!-- ci:consumer-example -->) from plain Node ESM,
#   2. typechecks a strict TypeScript consumer under NodeNext and under bundler resolution,
#   3. runs the `emplace` bin of the installed @emplace/cli.
# Usage: bash scripts/consumer-test.sh   (after `pnpm install`; builds first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/emplace-consumer-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log() { echo "consumer: $*"; }

log "build"
npx -y pnpm@10 -s build
log "pack + content checks"
node scripts/pack.mjs "$tmp/packed"
node scripts/size.mjs "$tmp/packed"

app="$tmp/app"
mkdir -p "$app"
cd "$app"
cat > package.json <<'JSON'
{ "name": "emplace-consumer", "version": "1.0.0", "private": true, "type": "module" }
JSON
log "npm install of $(ls "$tmp/packed"/*.tgz | wc -l) tarballs"
npm install --no-audit --no-fund --loglevel=error "$tmp"/packed/*.tgz >/dev/null
test ! -L node_modules/@emplace/core || { echo "consumer: @emplace/core is a link, not an installed tarball" >&2; exit 1; }

log "README example (plain Node ESM)"
awk '/<!-- ci:consumer-example -->/{found=1; next} found && /^```/{if (inblock) exit; inblock=1; next} found && inblock {print}' "$root/README.md" > readme-example.mjs
test -s readme-example.mjs || { echo "consumer: no code block after <!-- ci:consumer-example --> in README.md" >&2; exit 1; }
node readme-example.mjs > readme-example.out
cat readme-example.out | head -5

log "ESM-only packages: import works; require() works only where Node supports require(esm) (20.19+, 22.12+)"
node -e "require('@emplace/core')" 2>/dev/null && log "require(esm) supported by this Node" || log "require(esm) not supported by this Node (import it)"

log "TypeScript consumer (strict) under NodeNext and bundler resolution"
cat > consumer.ts <<'TS'
import { createPlacementModel, hasSolution, plan, data, facility, type Result, type PlanResult } from '@emplace/emplace';
import { ModelError, type PlacementModel } from '@emplace/core';
import { solveUfl, type FacilitySolution } from '@emplace/facility';
import { readInstance } from '@emplace/io';
import { readInstanceFile } from '@emplace/io/node';
import { runCli, type CliFamily } from '@emplace/cli';
import pkg from '@emplace/core/package.json' with { type: 'json' };

const model: PlacementModel = createPlacementModel({ sites: 2, clients: 2, cost: [[1, 2], [2, 1]], openingCost: [1, 1] });
const r: Result<FacilitySolution> = await solveUfl(model, { method: 'auto', timeLimitMs: 1000 });
if (hasSolution(r)) {
  const open: number = r.objective;
  console.log(open);
}
const p: Promise<PlanResult> = plan(data.demoWorld({ cities: 10 }), { latencyPrice: 1 });
void p;
void facility;
void readInstance;
void readInstanceFile;
const families: readonly CliFamily[] = [];
void families;
void runCli;
const version: string = pkg.version;
void version;
const e: Error = new ModelError('x', 'y');
void e;
TS
cat > tsconfig.nodenext.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
  "noEmit": true, "skipLibCheck": false, "types": ["node"], "lib": ["ES2022", "DOM"], "resolveJsonModule": true, "exactOptionalPropertyTypes": true },
  "files": ["consumer.ts"] }
JSON
cat > tsconfig.bundler.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "bundler", "strict": true,
  "noEmit": true, "skipLibCheck": false, "types": ["node"], "lib": ["ES2022", "DOM"], "resolveJsonModule": true },
  "files": ["consumer.ts"] }
JSON
# The TypeScript compiler and Node types of the repository (not part of the consumer's dependencies).
mkdir -p node_modules/@types
ln -s "$root/node_modules/@types/node" node_modules/@types/node
tsc="$root/node_modules/typescript/bin/tsc"
node "$tsc" -p tsconfig.nodenext.json
node "$tsc" -p tsconfig.bundler.json

log "browser bundle of the installed umbrella (esbuild, platform browser, no externals)"
cat > browser-entry.mjs <<'JS'
import { plan, data, lp } from '@emplace/emplace';
lp.configureHighs({ moduleUrl: '/highs.mjs' });
plan(data.demoWorld({ cities: 20 }), data.demoGoals, { timeLimitMs: 5000 }).then((r) => console.log(r.status));
JS
"$root/node_modules/.bin/esbuild" browser-entry.mjs --bundle --platform=browser --format=esm --outfile=browser-bundle.js --metafile=browser-meta.json --log-level=warning
node -e "const m = require('./browser-meta.json'); const bad = Object.keys(m.inputs).filter((p) => p.startsWith('node:') || /highs\/build\//.test(p)); if (bad.length) { console.error('consumer: the browser bundle reached', bad); process.exit(1); } console.log('consumer: browser bundle', (require('fs').statSync('browser-bundle.js').size / 1024).toFixed(0), 'kB, no Node built-in')"

log "the emplace bin"
bin="node_modules/.bin/emplace"
"$bin" --version
"$bin" --help > help.txt
awk 'length($0) > 100 { print "consumer: help line longer than 100 columns: " $0; bad=1 } END { exit bad }' help.txt
cat > tiny-cap.txt <<'CAP'
2 3
10 5
10 5
2
1 5
2
6 1
2
2 6
CAP
"$bin" solve cfl tiny-cap.txt --json > solve.json
node -e "const r = JSON.parse(require('fs').readFileSync('solve.json', 'utf8')); if (r.status !== 'optimal') { console.error('consumer: cfl status', r.status); process.exit(1); } console.log('consumer: cfl', r.status, r.objective)"
if "$bin" solve cfl tiny-cap.txt --time-limt 1 2> err.txt; then echo "consumer: a misspelled option was accepted" >&2; exit 1; fi
grep -q "did you mean --time-limit" err.txt
log "all checks passed"
