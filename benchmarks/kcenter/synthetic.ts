/**
 * pmed-like stand-ins for OR-Library pmed26..pmed40 (not in the shared instances): random
 * connected graphs with the same n, edge count and p, integer edge costs uniform in
 * 1..100 (Beasley 1990's generator), shortest-path distances. Seeded, so every run is the
 * same. Prints the exact search per instance (radius, proof, time).
 *
 *   pnpm exec tsx --conditions=source benchmarks/kcenter/synthetic.ts [--only 26,40] [--limit 60]
 */
import { createPlacementModel, Rng, shortestPathClosure } from '@emplace/core';
import { solveKCenter } from '@emplace/kcenter';
import { printTable, timed, type Cell } from '../lib/instances.js';

const SPECS: [number, number, number, number][] = [
  [26, 600, 7200, 5], [27, 600, 7200, 10], [28, 600, 7200, 60], [29, 600, 7200, 120], [30, 600, 7200, 200],
  [31, 700, 9800, 5], [32, 700, 9800, 10], [33, 700, 9800, 70], [34, 700, 9800, 140],
  [35, 800, 12800, 5], [36, 800, 12800, 10], [37, 800, 12800, 80],
  [38, 900, 16200, 5], [39, 900, 16200, 10], [40, 900, 16200, 90],
];
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const only = flag('--only')?.split(',').map(Number);
const limitMs = Number(flag('--limit') ?? 60) * 1000;

export function syntheticPmed(id: number, n: number, m: number, seed = id): Float64Array {
  const rng = new Rng(1000 + seed);
  const d = new Float64Array(n * n).fill(Infinity);
  for (let v = 0; v < n; v++) d[v * n + v] = 0;
  const perm = rng.permutation(n);
  let edges = 0;
  const add = (i: number, j: number): void => {
    const w = 1 + rng.int(100);
    d[i * n + j] = d[j * n + i] = w;
    edges++;
  };
  for (let t = 1; t < n; t++) add(perm[t]!, perm[rng.int(t)]!);
  while (edges < m) {
    const i = rng.int(n);
    const j = rng.int(n);
    if (i !== j) add(i, j);
  }
  return shortestPathClosure(d, n);
}

if (process.argv[1]?.endsWith("synthetic.ts")) await main();
async function main(): Promise<void> {
const rows: Record<string, Cell>[] = [];
for (const [id, n, m, p] of SPECS) {
  if (only && !only.includes(id)) continue;
  const model = createPlacementModel({ sites: n, clients: n, cost: syntheticPmed(id, n, m) });
  const g = await timed(() => solveKCenter(model, { method: 'gonzalez', k: p }));
  const h = await timed(() => solveKCenter(model, { method: 'hochbaum-shmoys', k: p }));
  const e = await timed(() => solveKCenter(model, { method: 'exact', k: p, timeLimitMs: limitMs }));
  rows.push({
    instance: `synthetic-pmed${id}`, n, p,
    gonzalez: g.value.objective ?? null, 'G ms': Math.round(g.ms),
    hs: h.value.objective ?? null, 'HS ms': Math.round(h.ms),
    exact: e.value.objective ?? null, bound: e.value.bound ?? null, status: e.value.status, 'exact s': Math.round(e.ms / 100) / 10,
  });
  console.error(JSON.stringify(rows[rows.length - 1]), JSON.stringify(e.value.stats));
}
printTable(rows);
}
