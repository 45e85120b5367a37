/**
 * lambda2 on generated graph families of the held-out sizes (30-50k nodes), emplace's
 * built CLI in a fresh process per solve (solver time = its elapsedMs, as in
 * benchmarks/compare) against scipy eigsh shift-invert (sigma = -1e-3, SuperLU, values
 * only, warm: timed inside one Python process) on the same largest component and weights.
 *
 *   npx tsx --conditions=source benchmarks/spectral/families.ts [--seed S] [--repeat R] [--only a,b] [--n N]
 *
 * Families: road-like planar graphs (relative neighbourhood graphs, unweighted and with
 * 1/length weights), stochastic block models, Watts-Strogatz small worlds, a
 * preferential-attachment core with many degree-1 nodes, log-normal weighted geometric
 * graphs, 3-d k-nearest-neighbour graphs, random recursive trees with 1 % extra edges. Seeds differ from benchmarks/compare's.
 * Writes benchmarks/results/spectral-families.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '@emplace/core';
import { largestComponent } from '@emplace/spectral';
import { printTable, writeResults, type Cell } from '../lib/instances.js';
import { hairyCoreGraph, knnGraph, nearTreeGraph, roadLikeGraph, stochasticBlockGraph, wattsStrogatzGraph, weightedGeometricGraph } from './generators.js';

const here = fileURLToPath(import.meta.url);
const repoRoot = resolve(here, '../../..');
const argv = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const seed = arg('--seed', 101);
const repeat = arg('--repeat', 3);
const n = arg('--n', 40_000);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1]!.split(',')) : undefined;

const FAMILIES: Record<string, (s: number) => Graph> = {
  road: (s) => roadLikeGraph(n, s),
  'road-weighted': (s) => roadLikeGraph(n, s, true),
  sbm: (s) => stochasticBlockGraph(n, 20, 9, 1, s),
  'watts-strogatz': (s) => wattsStrogatzGraph(n, 10, 0.1, s),
  'hairy-core': (s) => hairyCoreGraph(n, Math.floor(n / 2), s),
  'rgg-weighted': (s) => weightedGeometricGraph(n, Math.sqrt(8 / (Math.PI * n)), s),
  'knn-3d': (s) => knnGraph(n, 8, s),
  'near-tree': (s) => nearTreeGraph(n, Math.floor(n / 100), s),
};

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

interface CliRun {
  ms: number;
  lambda2: number;
  method: string;
  relativeResidual: number;
  iterations: number;
}

function cliSolve(file: string): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, 'packages/cli/dist/bin.js'), 'solve', 'fiedler', file, '--format', 'edge-list', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`emplace failed: ${(r.stderr ?? '').slice(0, 300)}`);
  const d = JSON.parse(line) as { elapsedMs: number; objective: number; stats: { eigenMethod: string; relativeResidual: number; iterations: number } };
  return { ms: d.elapsedMs, lambda2: d.objective, method: d.stats.eigenMethod, relativeResidual: d.stats.relativeResidual, iterations: d.stats.iterations };
}

interface ScipyRun {
  lambda2: number;
  residual: number;
  valuesOnlySeconds: number[];
}

/** Seconds after which the reference is stopped (SuperLU's fill on graphs with hubs runs for many minutes); its time is then a lower bound. */
const REFERENCE_LIMIT_S = arg('--reference-limit', 30);

function scipySolve(file: string): ScipyRun | { error: string } {
  try {
    const out = execFileSync('python3', [resolve(here, '../scipy_ref.py'), file, 'eigsh', String(Math.max(2, repeat))], { timeout: REFERENCE_LIMIT_S * 1000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (JSON.parse(out) as { eigsh: ScipyRun }).eigsh;
  } catch (err) {
    return { error: (err as { code?: string }).code === 'ETIMEDOUT' ? `time-limit ${REFERENCE_LIMIT_S} s` : String((err as Error).message).split('\n')[0]! };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'emplace-families-'));
const rows: Record<string, Cell>[] = [];
try {
  for (const [name, make] of Object.entries(FAMILIES)) {
    if (only && !only.has(name)) continue;
    const g = largestComponent(make(seed)).graph;
    const weighted = Array.from(g.edgeW).some((w) => w !== 1);
    const cliFile = join(dir, `${name}.txt`);
    const refFile = join(dir, `${name}.ref.txt`);
    const lines: string[] = [];
    for (let e = 0; e < g.m; e++) lines.push(weighted ? `${g.edgeU[e]} ${g.edgeV[e]} ${g.edgeW[e]}` : `${g.edgeU[e]} ${g.edgeV[e]}`);
    writeFileSync(cliFile, lines.join('\n') + '\n');
    writeFileSync(refFile, `${g.n} ${g.m}\n` + lines.join('\n') + '\n');
    const runs: CliRun[] = [];
    for (let r = 0; r < repeat; r++) runs.push(cliSolve(cliFile));
    const ref = scipySolve(refFile);
    const ms = median(runs.map((r) => r.ms));
    const first = runs[0]!;
    const row: Record<string, Cell> = { family: name, nodes: g.n, edges: g.m, weighted, method: first.method, iterations: first.iterations, emplaceMs: ms, lambda2: first.lambda2, relResidual: Math.max(...runs.map((r) => r.relativeResidual)) };
    if ('error' in ref) row['scipy'] = ref.error;
    else {
      const refMs = 1000 * median(ref.valuesOnlySeconds);
      row['scipyMs'] = refMs;
      row['ratio'] = ms / refMs;
      row['scipyLambda2'] = ref.lambda2;
      row['lambda2RelDiff'] = Math.abs(first.lambda2 - ref.lambda2) / Math.abs(ref.lambda2);
    }
    rows.push(row);
    console.error(JSON.stringify(row));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(rows, ['family', 'nodes', 'edges', 'weighted', 'method', 'iterations', 'emplaceMs', 'scipyMs', 'scipy', 'ratio', 'lambda2', 'lambda2RelDiff', 'relResidual']);
const ratios = rows.map((r) => r['ratio']).filter((x): x is number => typeof x === 'number');
// A run of some families (--only) gets a file of its own, so that it does not overwrite the full table.
const file = writeResults(only ? `spectral-families-${[...only].join('-')}` : 'spectral-families', {
  rows,
  summary: { seed, repeat, n, worstRatio: Math.max(...ratios), note: 'emplace: built CLI, a fresh process per solve, median elapsedMs; scipy: eigsh values only in a warm process, median. Shared 2-core machine.' },
});
console.log(`wrote ${file}`);
