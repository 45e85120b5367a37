/**
 * Facility location benchmark: CFL and UFL on every OR-Library cap file, p-median on
 * every pmed file in the shared instances, and generated capa/capb/capc-like instances
 * (100 x 1000; the originals are not in shared/, see generate.ts). Every method of each
 * family, the published optimum, gap %, time, and the plain MIP through @emplace/lp with
 * the same time limit as the baseline of the `auto` method.
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/run.ts            # full run
 *   pnpm exec tsx --conditions=source benchmarks/facility/run.ts --quick    # a few instances
 *   ... --only=cfl,ufl,pmedian,pmedx,capx  --no-mip  --no-heuristics
 *   ... --only=capx --no-heuristics --no-mip --update   # refresh those rows of results/facility.json
 */
import { readFileSync, readdirSync } from 'node:fs';
import { hasSolution, type PlacementModel, type Result } from '@emplace/core';
import { readOrlibCap, readOrlibPmed } from '@emplace/io';
import { solveCfl, solvePMedian, solveUfl, type FacilitySolution } from '@emplace/facility';
import { gapPercent, instancePath, printTable, readOptima, repoRoot, timed, writeResults, type Cell } from '../lib/instances.js';
import { CAP_SETTINGS, generateCapLike, generatePmedText } from './generate.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const noMip = argv.includes('--no-mip');
const noHeur = argv.includes('--no-heuristics');
/** --update: re-run the selected rows and merge them into the full results file (MIP columns kept when --no-mip). */
const update = argv.includes('--update');
const onlyArg = argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const want = (s: string): boolean => !only || only.has(s);

type Family = 'cfl' | 'ufl' | 'pmedian';
type Solver = (model: PlacementModel, options: { method: string; timeLimitMs: number; p?: number }) => Promise<Result<FacilitySolution>>;
const SOLVERS: Record<Family, Solver> = {
  cfl: (m, o) => solveCfl(m, o),
  ufl: (m, o) => solveUfl(m, o),
  pmedian: (m, o) => solvePMedian(m, { ...o, p: o.p! }),
};
const HEURISTICS: Record<Family, string[]> = {
  cfl: ['greedy', 'local-search', 'lagrangian'],
  ufl: ['greedy', 'local-search', 'lagrangian'],
  pmedian: ['greedy', 'interchange', 'lagrangian'],
};

const rows: Record<string, Cell>[] = [];

interface Instance {
  family: Family;
  name: string;
  model: PlacementModel;
  p?: number | undefined;
  optimum?: number | undefined;
  limitMs: number;
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')) || a.localeCompare(b);
}

const instances: Instance[] = [];
const capDir = instancePath('cflp');
const capFiles = readdirSync(capDir).filter((f) => /^cap\d+\.txt$/.test(f)).sort(byNumber);
const capQuick = new Set(['cap41', 'cap64', 'cap71', 'cap84', 'cap114', 'cap124', 'cap131']);
const cflOpt = readOptima('cflp');
const uflOpt = readOptima('cflp', 'optima_ufl.json');
for (const family of ['cfl', 'ufl'] as const) {
  if (!want(family)) continue;
  for (const f of capFiles) {
    const name = f.replace(/\.txt$/, '');
    if (quick && !capQuick.has(name)) continue;
    const { model } = readOrlibCap(readFileSync(`${capDir}/${f}`, 'utf8'), { name });
    instances.push({ family, name, model, optimum: (family === 'cfl' ? cflOpt : uflOpt)[name]?.value, limitMs: 10_000 });
  }
}
if (want('pmedian')) {
  const pmedDir = instancePath('pmed');
  const pmedOpt = readOptima('pmed');
  const files = readdirSync(pmedDir).filter((f) => /^pmed\d+\.txt$/.test(f)).sort(byNumber);
  for (const f of files) {
    const name = f.replace(/\.txt$/, '');
    if (quick && !['pmed1', 'pmed6', 'pmed10', 'pmed16', 'pmed25'].includes(name)) continue;
    const inst = readOrlibPmed(readFileSync(`${pmedDir}/${f}`, 'utf8'), { name });
    instances.push({ family: 'pmedian', name, model: inst.model, p: inst.p, optimum: pmedOpt[name]?.value, limitMs: 10_000 });
  }
}
if (want('pmedx')) {
  // pmed26..pmed40 sizes (600-900 nodes, p up to 200) are not in shared/: generated ones.
  const sizes: [number, number][] = quick ? [[900, 90]] : [[600, 60], [700, 140], [800, 10], [800, 200], [900, 10], [900, 90], [900, 200]];
  for (const [n, p] of sizes) {
    const inst = readOrlibPmed(generatePmedText(n, Math.round((n * n) / 50), p, n + p), { name: `gen-pmed-${n}-${p}` });
    instances.push({ family: 'pmedian', name: inst.name, model: inst.model, p, limitMs: 10_000 });
  }
}
if (want('capx')) {
  for (const set of ['capa', 'capb', 'capc'] as const) {
    for (const cap of CAP_SETTINGS[set]) {
      if (quick && !(set === 'capc' && cap === 5000)) continue;
      instances.push({ family: 'cfl', name: `gen-${set}-${cap}`, model: generateCapLike(set, cap), limitMs: quick ? 20_000 : 55_000 });
    }
  }
}

const fmtS = (ms: number): number => Math.round(ms) / 1000;

for (const inst of instances) {
  const solve = SOLVERS[inst.family];
  const size = `${inst.model.nSites}x${inst.model.nClients}${inst.p !== undefined ? ` p=${inst.p}` : ''}`;
  const big = inst.model.nSites * inst.model.nClients > 20_000;
  const methods = [...(noHeur ? [] : HEURISTICS[inst.family].filter((m) => !(big && inst.family === 'cfl' && m === 'local-search'))), 'auto'];
  for (const method of methods) {
    const opts = { method, timeLimitMs: inst.limitMs, ...(inst.p !== undefined ? { p: inst.p } : {}) };
    const { value: r, ms } = await timed(() => solve(inst.model, opts));
    const row: Record<string, Cell> = {
      family: inst.family,
      instance: inst.name,
      size,
      method,
      status: r.status,
      objective: hasSolution(r) ? r.objective : null,
      optimum: inst.optimum ?? null,
      'gap %': hasSolution(r) && inst.optimum !== undefined ? round(gapPercent(r.objective, inst.optimum), 4) : null,
      'proven gap %': hasSolution(r) && r.bound !== undefined ? round(100 * (r.gap ?? 0), 4) : null,
      'time s': fmtS(ms),
      'mip objective': null,
      'mip status': null,
      'mip time s': null,
      'vs mip': null,
    };
    const mipTooLarge = inst.family === 'pmedian' && inst.model.nSites > 500;
    if (method === 'auto' && !noMip && mipTooLarge) row['mip status'] = 'not run (n > 500: the model alone exceeds the limit)';
    if (method === 'auto' && !noMip && !mipTooLarge) {
      let mip: Result<FacilitySolution> | undefined;
      let mipMs = 0;
      try {
        const t = await timed(() => solve(inst.model, { ...opts, method: 'mip' }));
        mip = t.value;
        mipMs = t.ms;
      } catch (err) {
        row['mip status'] = `error: ${String((err as Error).message).slice(0, 40)}`;
      }
      if (mip) {
        row['mip objective'] = hasSolution(mip) ? mip.objective : null;
        row['mip status'] = mip.status;
        row['mip time s'] = fmtS(mipMs);
        row['vs mip'] = compare(r, ms, mip, mipMs);
      }
    }
    rows.push(row);
    console.error(`${inst.family} ${inst.name} ${method}: ${r.status} ${hasSolution(r) ? r.objective : ''} ${(ms / 1000).toFixed(2)} s ${row['vs mip'] ?? ''}`);
  }
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** Ours vs the MIP: who reached the better (or equal) objective, and how much faster. */
function compare(ours: Result<FacilitySolution>, oursMs: number, mip: Result<FacilitySolution>, mipMs: number): string {
  if (!hasSolution(ours)) return 'ours: no solution';
  if (!hasSolution(mip)) return 'mip: no solution';
  const rel = (ours.objective - mip.objective) / Math.max(1e-9, Math.abs(mip.objective));
  if (rel < -1e-9) return `better than mip (${round(100 * -rel, 4)} %)`;
  if (rel > 1e-9) return `mip better (${round(100 * rel, 4)} %)`;
  if (ours.status === 'optimal' && mip.status !== 'optimal') return 'equal, only ours proved';
  const ratio = mipMs / Math.max(1, oursMs);
  return ratio >= 1 ? `equal, ${round(ratio, 1)}x faster` : `equal, mip ${round(1 / ratio, 1)}x faster`;
}

if (update) {
  // Merge into the full results: replace rows with the same instance and method, keep the rest.
  const previous = JSON.parse(readFileSync(`${repoRoot}/benchmarks/results/facility.json`, 'utf8')) as { rows: Record<string, Cell>[] };
  const key = (r: Record<string, Cell>): string => `${r['family']}|${r['instance']}|${r['method']}`;
  const fresh = new Map(rows.map((r) => [key(r), r]));
  const merged: Record<string, Cell>[] = [];
  for (const old of previous.rows) {
    const r = fresh.get(key(old));
    if (!r) {
      merged.push(old);
      continue;
    }
    if (noMip && old['mip status'] !== null && old['mip status'] !== undefined) {
      for (const c of ['mip objective', 'mip status', 'mip time s']) r[c] = old[c];
      r['vs mip'] = compareValues(r, old);
    }
    merged.push(r);
    fresh.delete(key(old));
  }
  merged.push(...fresh.values());
  rows.length = 0;
  rows.push(...merged);
}

/** 'vs mip' from table cells (used when the MIP columns come from an earlier run). */
function compareValues(r: Record<string, Cell>, old: Record<string, Cell>): string | null {
  const ours = r['objective'];
  const mip = old['mip objective'];
  if (typeof ours !== 'number') return 'ours: no solution';
  if (typeof mip !== 'number') return 'mip: no solution';
  const rel = (ours - mip) / Math.max(1e-9, Math.abs(mip));
  if (rel < -1e-9) return `better than mip (${round(100 * -rel, 4)} %)`;
  if (rel > 1e-9) return `mip better (${round(100 * rel, 4)} %)`;
  if (r['status'] === 'optimal' && old['mip status'] !== 'optimal') return 'equal, only ours proved';
  const ratio = (old['mip time s'] as number) / Math.max(1e-3, r['time s'] as number);
  return ratio >= 1 ? `equal, ${round(ratio, 1)}x faster` : `equal, mip ${round(1 / ratio, 1)}x faster`;
}

printTable(rows);

const summary: Record<string, unknown> = {};
for (const family of ['cfl', 'ufl', 'pmedian'] as const) {
  const autoRows = rows.filter((r) => r['family'] === family && r['method'] === 'auto' && !String(r['instance']).startsWith('gen-'));
  const small = autoRows.filter((r) => /^(\d+)x/.test(String(r['size'])) && Number(/^(\d+)x/.exec(String(r['size']))![1]) <= 200);
  if (autoRows.length === 0) continue;
  const gaps = autoRows.map((r) => r['gap %']).filter((g): g is number => typeof g === 'number');
  summary[family] = {
    instances: autoRows.length,
    proved: autoRows.filter((r) => r['status'] === 'optimal').length,
    optimumReached: gaps.filter((g) => g <= 1e-6).length,
    avgGapPercent: gaps.length ? round(gaps.reduce((a, b) => a + b, 0) / gaps.length, 5) : null,
    worstGapPercent: gaps.length ? Math.max(...gaps) : null,
    maxTimeS: Math.max(...autoRows.map((r) => r['time s'] as number)),
    provedUpTo200Sites: `${small.filter((r) => r['status'] === 'optimal').length}/${small.length}`,
    fasterOrBetterThanMip: autoRows.filter((r) => typeof r['vs mip'] === 'string' && /faster|better than|only ours/.test(r['vs mip'] as string)).length,
  };
}
const genPmed = rows.filter((r) => String(r['instance']).startsWith('gen-pmed') && r['method'] === 'auto');
if (genPmed.length > 0) {
  summary['pmedx-generated'] = {
    instances: genPmed.length,
    maxProvenGapPercent: Math.max(...genPmed.map((r) => (typeof r['proven gap %'] === 'number' ? (r['proven gap %'] as number) : Infinity))),
    maxTimeS: Math.max(...genPmed.map((r) => r['time s'] as number)),
  };
}
const gen = rows.filter((r) => String(r['instance']).startsWith('gen-cap') && r['method'] === 'auto');
if (gen.length > 0) {
  summary['capx-generated'] = {
    instances: gen.length,
    maxProvenGapPercent: Math.max(...gen.map((r) => (typeof r['proven gap %'] === 'number' ? (r['proven gap %'] as number) : Infinity))),
    maxTimeS: Math.max(...gen.map((r) => r['time s'] as number)),
  };
}
console.log(JSON.stringify(summary, null, 2));
// Partial runs (--quick, --only, --no-*) never overwrite the full results.
const partial = !update && (quick || only !== undefined || noMip || noHeur);
// The single-source rows (benchmarks/facility/sscfl.ts --write) live in the same file: keep them.
const previousSscfl = partial ? undefined : readPreviousSscfl();
const file = writeResults(partial ? 'facility-partial' : 'facility', {
  rows,
  summary,
  ...(previousSscfl !== undefined ? { sscfl: previousSscfl } : {}),
  notes: [
    'gen-pmed-* rows are generated pmed-like graphs (n^2/50 edges, costs 1..100) of the pmed26..40 sizes; no MIP baseline there (the model alone exceeds the limit).',
    'gen-cap* rows are generated capa/capb/capc-like instances (benchmarks/facility/generate.ts, fixed seeds), not the OR-Library files; no published optimum applies: see proven gap %.',
    'Timings were taken on a shared 2-core machine while other jobs ran; they are inflated.',
  ],
});
console.error(`wrote ${file}`);

function readPreviousSscfl(): unknown {
  const path = `${process.env.EMPLACE_RESULTS_DIR ?? `${repoRoot}/benchmarks/results`}/facility.json`;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { sscfl?: unknown }).sscfl;
  } catch {
    return undefined;
  }
}
