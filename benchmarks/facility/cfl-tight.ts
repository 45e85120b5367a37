/**
 * Split-demand CFL with TIGHT capacities (issue 17 item 3): generated Cornuejols-style
 * instances (generateCornuejols, capacity ratio 3-5), emplace `cfl` `auto` at a time limit,
 * against reference values obtained once by a long run of HiGHS native (scipy.optimize.milp on
 * the strong formulation, as benchmarks/compare/reference.py builds it) and cached in
 * benchmarks/results/cfl-tight-reference.json with the generator seeds, HiGHS's status, best
 * solution, dual bound and gap: a reference is `proven` only when HiGHS says optimal, otherwise
 * it is `best-known` (the gap to it is then an upper bound on the gap to the optimum, and the
 * gap to HiGHS's dual bound is reported too).
 *
 *   pnpm exec tsx --conditions=source benchmarks/facility/cfl-tight.ts [--size=100x400] [--seeds=0,1,2,3,4] [--limit=20000] [--method=auto] [--write]
 *   pnpm exec tsx --conditions=source benchmarks/facility/cfl-tight.ts --reference [--seeds=0] [--ref-limit=300]   (needs python3 + scipy)
 *   pnpm exec tsx --conditions=source benchmarks/facility/cfl-tight.ts --long [--seeds=0] [--long-limit=150]
 *
 * --long adds a long emplace `auto` run to the cached reference; the comparison's reference is then
 * the better of the two plans (`referenceSource` says which), and its bound the best of the two
 * proofs: `proven` only when that bound meets the plan.
 *
 * Instance k (k = 0, 1, ...) of a size: capacity ratio 3 + 0.5 (k mod 5), generator seed 17000 + 100 k + S + C.
 * --fresh=19001,19002,... replaces the k instances by fresh ones of the same family: generator seed g,
 * capacity ratio 3 + 0.5 (g mod 5) (named fresh-SxC-rR-gG; their references are cached in the same file).
 * --write stores the rows in benchmarks/results/cfl-tight.json (under the key SxC-method-limit, with -L appended by --label=L).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSolution, type PlacementModel } from '@emplace/core';
import { checkSolution, solveCfl } from '@emplace/facility';
import { generateCornuejols } from './generate.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const [S, C] = arg('size', '100x400').split('x').map(Number) as [number, number];
const seeds = arg('seeds', '0,1,2,3,4').split(',').map(Number);
const fresh = arg('fresh', '').split(',').filter((x) => x !== '').map(Number);
const refFile = new URL('../results/cfl-tight-reference.json', import.meta.url);
const outFile = new URL('../results/cfl-tight.json', import.meta.url);

interface Instance {
  name: string;
  sites: number;
  clients: number;
  ratio: number;
  generatorSeed: number;
  model: PlacementModel;
}

function instance(k: number): Instance {
  const ratio = 3 + 0.5 * (k % 5);
  const generatorSeed = 17000 + 100 * k + S + C;
  return { name: `tight-${S}x${C}-r${ratio.toFixed(1)}-k${k}`, sites: S, clients: C, ratio, generatorSeed, model: generateCornuejols(S, C, ratio, generatorSeed) };
}

/** A fresh instance of the same family (held-out style): generator seed g, ratio 3 + 0.5 (g mod 5). */
function freshInstance(g: number): Instance {
  const ratio = 3 + 0.5 * (g % 5);
  return { name: `fresh-${S}x${C}-r${ratio.toFixed(1)}-g${g}`, sites: S, clients: C, ratio, generatorSeed: g, model: generateCornuejols(S, C, ratio, g) };
}

/** The instances of this run: --fresh generator seeds, else the benchmark's k = --seeds. */
const instances = (): Instance[] => (fresh.length > 0 ? fresh.map(freshInstance) : seeds.map(instance));

interface Reference {
  name: string;
  sites: number;
  clients: number;
  ratio: number;
  generatorSeed: number;
  solver: string;
  timeLimitS: number;
  status: string;
  /** 'proven' when HiGHS proved optimality (within its mip_rel_gap 1e-6), else 'best-known'. */
  kind: 'proven' | 'best-known';
  objective: number | null;
  dualBound: number | null;
  gapPercent: number | null;
  seconds: number;
  measuredAt: string;
  loadAverage1m: number;
  /** A long emplace run (--long): its plan can be better than HiGHS's, its bound is a proof too. */
  emplaceLong?: { method: string; timeLimitS: number; status: string; objective: number | null; bound: number | null; seconds: number; measuredAt: string; loadAverage1m: number; stats: string };
}

/** The best known plan value and the best proven lower bound over HiGHS and the long emplace run, with where each comes from. */
function bestKnown(ref: Reference | undefined): { value: number | null; source: string | null; bound: number | null; proven: boolean } {
  if (!ref) return { value: null, source: null, bound: null, proven: false };
  let value = ref.objective;
  let source: string | null = value === null ? null : 'highs';
  const long = ref.emplaceLong;
  if (long?.objective !== null && long?.objective !== undefined && (value === null || long.objective < value - 1e-9 * Math.abs(value))) {
    value = long.objective;
    source = `emplace-${long.timeLimitS}s`;
  }
  const bounds = [ref.dualBound, long?.bound ?? null].filter((b): b is number => b !== null && Number.isFinite(b));
  const bound = bounds.length ? Math.max(...bounds) : null;
  const proven = value !== null && bound !== null && bound >= value - 1e-6 * Math.abs(value);
  return { value, source, bound, proven };
}

type RefDoc = { description: string; references: Record<string, Reference> };
const readRefs = (): RefDoc =>
  existsSync(refFile) ? (JSON.parse(readFileSync(refFile, 'utf8')) as RefDoc) : { description: 'HiGHS native (scipy.optimize.milp, strong formulation x_ij <= y_i, mip_rel_gap 1e-6, one thread) on generateCornuejols instances; see benchmarks/facility/cfl-tight.ts', references: {} };

/** The strong formulation, built with numpy (the same model as reference.py's `cfl` job), solved by HiGHS; prints one JSON line. */
const PYTHON = String.raw`
import json, sys, time
import numpy as np
import scipy, scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
job = json.load(open(sys.argv[1]))
m, n = job["m"], job["n"]
f = np.array(job["f"], float); cap = np.array(job["cap"], float); d = np.array(job["d"], float)
c = np.array(job["c"], float).reshape(m, n)
nv = m + m * n
obj = np.concatenate([f, c.ravel()])
xi = np.arange(m * n)
I = xi // n; J = xi % n
# sum_i x_ij = 1
A1 = sp.csr_matrix((np.ones(m * n), (J, m + xi)), shape=(n, nv))
# sum_j d_j x_ij - cap_i y_i <= 0
A2 = sp.csr_matrix((np.concatenate([d[J], -cap]), (np.concatenate([I, np.arange(m)]), np.concatenate([m + xi, np.arange(m)]))), shape=(m, nv))
# x_ij - y_i <= 0
A3 = sp.csr_matrix((np.concatenate([np.ones(m * n), -np.ones(m * n)]), (np.concatenate([xi, xi]), np.concatenate([m + xi, I]))), shape=(m * n, nv))
A = sp.vstack([A1, A2, A3]).tocsr()
lo = np.concatenate([np.ones(n), -np.inf * np.ones(m + m * n)])
hi = np.concatenate([np.ones(n), np.zeros(m + m * n)])
integ = np.concatenate([np.ones(m), np.zeros(m * n)])
t0 = time.perf_counter()
res = milp(obj, constraints=[LinearConstraint(A, lo, hi)], integrality=integ, bounds=Bounds(np.zeros(nv), np.ones(nv)),
           options={"mip_rel_gap": 1e-6, "disp": False, "time_limit": job["timeLimit"]})
sec = time.perf_counter() - t0
print(json.dumps({"status": {0: "optimal", 1: "time-limit"}.get(res.status, "status-%d" % res.status),
  "objective": float(res.fun) if res.x is not None else None,
  "dualBound": float(getattr(res, "mip_dual_bound", float("nan"))) if getattr(res, "mip_dual_bound", None) is not None else None,
  "gap": float(res.mip_gap) if getattr(res, "mip_gap", None) is not None else None,
  "seconds": sec, "scipy": scipy.__version__}))
`;

function reference(inst: Instance, limitS: number): Reference {
  const { model } = inst;
  const dir = mkdtempSync(join(tmpdir(), 'cfl-tight-'));
  try {
    const job = join(dir, 'job.json');
    const script = join(dir, 'ref.py');
    writeFileSync(job, JSON.stringify({ m: model.nSites, n: model.nClients, f: Array.from(model.openingCost), cap: Array.from(model.capacity), d: Array.from(model.demand), c: Array.from(model.cost), timeLimit: limitS }));
    writeFileSync(script, PYTHON);
    const out = spawnSync('python3', [script, job], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (out.status !== 0) throw new Error(`python3 failed: ${out.stderr}`);
    const r = JSON.parse(out.stdout.trim().split('\n').pop()!) as { status: string; objective: number | null; dualBound: number | null; gap: number | null; seconds: number; scipy: string };
    return {
      name: inst.name,
      sites: inst.sites,
      clients: inst.clients,
      ratio: inst.ratio,
      generatorSeed: inst.generatorSeed,
      solver: `HiGHS via scipy ${r.scipy} milp`,
      timeLimitS: limitS,
      status: r.status,
      kind: r.status === 'optimal' ? 'proven' : 'best-known',
      objective: r.objective,
      dualBound: r.dualBound,
      gapPercent: r.gap === null ? null : Number((100 * r.gap).toFixed(5)),
      seconds: Number(r.seconds.toFixed(2)),
      measuredAt: new Date().toISOString(),
      loadAverage1m: loadavg()[0]!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (argv.includes('--reference')) {
  const limitS = Number(arg('ref-limit', '300'));
  for (const inst of instances()) {
    const ref = reference(inst, limitS);
    console.log(JSON.stringify(ref));
    // Re-read before writing: several locked runs may fill the file one seed at a time.
    const doc = readRefs();
    // A long emplace run cached for this instance stays (the two runs may be made in either order).
    const long = doc.references[inst.name]?.emplaceLong;
    doc.references[inst.name] = long ? { ...ref, emplaceLong: long } : ref;
    writeFileSync(refFile, JSON.stringify(doc, null, 2) + '\n');
  }
  process.exit(0);
}

if (argv.includes('--long')) {
  const limitS = Number(arg('long-limit', '150'));
  for (const inst of instances()) {
    const r = await solveCfl(inst.model, { method: 'auto', timeLimitMs: 1000 * limitS, seed: 1 });
    const doc = readRefs();
    // Fresh instances may have no HiGHS run: the long emplace run is then the only reference.
    const ref: Reference = doc.references[inst.name] ?? { name: inst.name, sites: inst.sites, clients: inst.clients, ratio: inst.ratio, generatorSeed: inst.generatorSeed, solver: 'none', timeLimitS: 0, status: 'not-run', kind: 'best-known', objective: null, dualBound: null, gapPercent: null, seconds: 0, measuredAt: new Date().toISOString(), loadAverage1m: loadavg()[0]! };
    doc.references[inst.name] = ref;
    // Keep the better of an earlier long run and this one (several long runs may be made).
    const prev = ref.emplaceLong;
    const long: NonNullable<Reference['emplaceLong']> = {
      method: 'cfl:auto',
      timeLimitS: limitS,
      status: r.status,
      objective: hasSolution(r) ? r.objective : null,
      bound: r.bound ?? null,
      seconds: Number(((r.stats.elapsedMs as number) / 1000).toFixed(2)),
      measuredAt: new Date().toISOString(),
      loadAverage1m: loadavg()[0]!,
      stats: JSON.stringify(r.stats),
    };
    const bestBound = Math.max(prev?.bound ?? -Infinity, long.bound ?? -Infinity);
    const keep = prev !== undefined && prev.objective !== null && (long.objective === null || prev.objective <= long.objective) ? prev : long;
    ref.emplaceLong = { ...keep, bound: bestBound === -Infinity ? null : bestBound };
    console.log(JSON.stringify({ name: inst.name, highs: ref.objective, emplaceLong: long.objective, kept: ref.emplaceLong.objective, bound: ref.emplaceLong.bound }));
    writeFileSync(refFile, JSON.stringify(doc, null, 2) + '\n');
  }
  process.exit(0);
}

const limitMs = Number(arg('limit', '20000'));
const method = arg('method', 'auto');
const refs = readRefs().references;
const rows: Record<string, string | number | boolean | null>[] = [];
const gaps: number[] = [];
for (const inst of instances()) {
  const ref = refs[inst.name];
  const best = bestKnown(ref);
  const cpu0 = process.cpuUsage();
  const r = await solveCfl(inst.model, { method, timeLimitMs: limitMs, seed: 1 });
  const cpu = process.cpuUsage(cpu0);
  const objective = hasSolution(r) ? r.objective : null;
  const refObj = best.value;
  const gap = objective !== null && refObj !== null ? (100 * (objective - refObj)) / refObj : null;
  if (gap !== null) gaps.push(gap);
  const row = {
    instance: inst.name,
    generatorSeed: inst.generatorSeed,
    method,
    status: r.status,
    objective,
    bound: r.bound ?? null,
    feasible: hasSolution(r) ? checkSolution(inst.model, 'cfl', r.solution).violations.length === 0 : null,
    reference: refObj,
    referenceSource: best.source,
    referenceKind: best.value === null ? null : best.proven ? 'proven' : 'best-known',
    highsObjective: ref?.objective ?? null,
    bestBound: best.bound,
    gapToReferencePercent: gap === null ? null : Number(gap.toFixed(4)),
    gapToBestBoundPercent: objective !== null && best.bound !== null ? Number(((100 * (objective - best.bound)) / best.bound).toFixed(4)) : null,
    provenGapPercent: objective !== null && r.bound !== undefined ? Number(((100 * (objective - r.bound)) / Math.max(1, Math.abs(objective))).toFixed(4)) : null,
    timeS: Number(((r.stats.elapsedMs as number) / 1000).toFixed(3)),
    // CPU of the whole process (the HiGHS worker thread included): on a shared machine, what the run really got.
    cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    stats: JSON.stringify(r.stats),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const mean = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null;
const worst = gaps.length ? Math.max(...gaps) : null;
const summary = { instances: rows.length, withReference: gaps.length, meanGapPercent: mean === null ? null : Number(mean.toFixed(4)), worstGapPercent: worst === null ? null : Number(worst.toFixed(4)), loadAverage1m: loadavg()[0] };
console.log(JSON.stringify(summary));
if (argv.includes('--write')) {
  const doc = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as Record<string, unknown>) : {};
  const generator = fresh.length > 0 ? 'generateCornuejols (benchmarks/facility/generate.ts), fresh generator seeds g, ratio 3 + 0.5 (g mod 5)' : 'generateCornuejols (benchmarks/facility/generate.ts), ratio 3 + 0.5 (k mod 5), seed 17000 + 100 k + S + C';
  const label = arg('label', '');
  doc[`${fresh.length > 0 ? 'fresh-' : ''}${S}x${C}-${method}-${limitMs}ms${label ? `-${label}` : ''}`] = { generator, limitMs, method, measuredAt: new Date().toISOString(), summary, rows };
  writeFileSync(outFile, JSON.stringify(doc, null, 2) + '\n');
  console.log('wrote', outFile.pathname);
}
