/**
 * Coverage models benchmark (issue 19, item 6): LSCP, MCLP, p-dispersion and N-1
 * survivable placement on OR-Library pmed1-10 (100 and 200 vertices; every vertex a client
 * of demand 1 and a candidate site, shortest-path distances, p from the file).
 *
 * Per instance and model: the heuristic (value, ms), the exact method of @emplace/kcenter
 * (value, status, ms), the heuristic's gap to the optimum, and, when python3 with scipy is
 * installed, HiGHS native (scipy.optimize.milp) on the textbook MIP of the same model
 * without emplace's reductions, in the same run; `timeRatio` = emplace exact ms / HiGHS ms
 * (HiGHS timed inside Python around milp(), excluding process start and JSON transfer).
 *
 * Parameters, from the published p-center optimum r* of each file (pmed/optima_pcenter.json):
 * LSCP at R = round(0.8 r*) (needs more than p sites), MCLP with k = p at R = round(0.8 r*),
 * survivable (2 sites within L) at L = max(r*, largest distance from a client to its second
 * nearest site: the smallest bound at which every client can have two sites), p-dispersion
 * with k = p.
 *
 *   pnpm exec tsx --conditions=source benchmarks/uncertainty/coverage.ts [--quick] [--limit S] [--no-scipy] [--only pmed1,pmed6]
 *
 * Alone it writes benchmarks/results/uncertainty-coverage.json; benchmarks/uncertainty/run.ts
 * calls runCoverageBenchmark() and stores the rows with the rest of the family.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { PlacementModel, Result } from '@emplace/core';
import { readOrlibPmed } from '@emplace/io';
import { solveLscp, solveMclp, solvePDispersion, solveSurvivable } from '@emplace/kcenter';
import { LinearModel, solveLp } from '@emplace/lp';
import { gapPercent, instancePath, printTable, readOptima, timed, writeResults, type Cell } from '../lib/instances.js';

export interface CoverageBenchOptions {
  /** pmed1 and pmed6 only, short limits. */
  quick?: boolean;
  /** Time limit of every exact solve (emplace and HiGHS), ms. Default 60 s (20 s quick). */
  limitMs?: number;
  /** Compare with HiGHS native through scipy when available (default true). */
  scipy?: boolean;
  /** Instance names to run (default pmed1-10). */
  only?: readonly string[];
}

export interface CoverageBenchOutput {
  rows: Record<string, Cell>[];
  summary: Record<string, unknown>;
}

const ALL = ['pmed1', 'pmed2', 'pmed3', 'pmed4', 'pmed5', 'pmed6', 'pmed7', 'pmed8', 'pmed9', 'pmed10'];

/** True when `python3 -c 'import scipy'` works. */
export function scipyAvailable(): boolean {
  const r = spawnSync('python3', ['-c', 'import scipy.optimize, numpy'], { stdio: 'ignore' });
  return r.status === 0;
}

// Reads the compiled MIP as JSON on stdin, solves it with scipy.optimize.milp (HiGHS) and
// prints status, objective, dual bound and the seconds spent inside milp().
const SCIPY_SCRIPT = `
import sys, json, time
import numpy as np
from scipy.optimize import milp, LinearConstraint, Bounds
from scipy.sparse import csr_matrix
d = json.load(sys.stdin)
big = lambda a: np.where(np.abs(np.array(a, dtype=float)) >= 1e299, np.sign(a) * np.inf, a)
sign = -1.0 if d['sense'] == 'max' else 1.0
c = sign * np.array(d['c'], dtype=float)
A = csr_matrix((d['val'], d['idx'], d['start']), shape=(d['m'], d['n']))
cons = [LinearConstraint(A, big(d['rl']), big(d['ru']))] if d['m'] > 0 else []
t = time.perf_counter()
r = milp(c, constraints=cons, integrality=np.array(d['int']), bounds=Bounds(big(d['lb']), big(d['ub'])), options={'time_limit': d['tl'], 'mip_rel_gap': d['gap']})
s = time.perf_counter() - t
bound = getattr(r, 'mip_dual_bound', None)
print(json.dumps({'status': int(r.status), 'message': str(r.message), 'objective': None if r.x is None else float(sign * r.fun + d['offset']), 'bound': None if bound is None else float(sign * bound + d['offset']), 'seconds': s}))
`;

interface ScipyAnswer {
  status: number;
  message: string;
  objective: number | null;
  bound: number | null;
  seconds: number;
}

function solveWithScipy(lp: LinearModel, limitMs: number): ScipyAnswer | { error: string } {
  const m = lp.compile();
  const fin = (a: Float64Array): number[] => Array.from(a, (v) => (v === Infinity ? 1e300 : v === -Infinity ? -1e300 : v));
  const payload = JSON.stringify({
    sense: m.sense,
    n: m.numCols,
    m: m.numRows,
    c: Array.from(m.colCost),
    lb: fin(m.colLower),
    ub: fin(m.colUpper),
    int: Array.from(m.colType, (t) => (t === 0 ? 0 : 1)),
    start: Array.from(m.rowStart),
    idx: Array.from(m.rowIndex),
    val: Array.from(m.rowValue),
    rl: fin(m.rowLower),
    ru: fin(m.rowUpper),
    offset: m.offset,
    tl: limitMs / 1000,
    gap: 1e-9,
  });
  const r = spawnSync('python3', ['-c', SCIPY_SCRIPT], { input: payload, encoding: 'utf8', timeout: limitMs + 60_000, maxBuffer: 1 << 24 });
  if (r.status !== 0) return { error: (r.stderr || String(r.error ?? 'failed')).trim().split('\n').slice(-1)[0]! };
  return JSON.parse(r.stdout) as ScipyAnswer;
}

/** The textbook MIPs, without reductions. */
function coverRows(lp: LinearModel, model: PlacementModel, y0: number, R: number, level: number): void {
  const { nSites: nS, nClients: nC, cost } = model;
  for (let j = 0; j < nC; j++) {
    const idx: number[] = [];
    for (let s = 0; s < nS; s++) if (cost[s * nC + j]! <= R) idx.push(y0 + s);
    lp.addGe(idx, new Float64Array(idx.length).fill(1), level);
  }
}

function lscpMip(model: PlacementModel, R: number, level = 1): LinearModel {
  const lp = new LinearModel('min');
  const y0 = lp.addVariables(model.nSites, { type: 'binary', obj: 1 });
  coverRows(lp, model, y0, R, level);
  return lp;
}

function mclpMip(model: PlacementModel, R: number, k: number): LinearModel {
  const { nSites: nS, nClients: nC, cost } = model;
  const lp = new LinearModel('max');
  const y0 = lp.addVariables(nS, { type: 'binary' });
  const z0 = lp.addVariables(nC, { lb: 0, ub: 1 });
  for (let j = 0; j < nC; j++) {
    lp.setObjective(z0 + j, model.demand[j]!);
    const idx = [z0 + j];
    const coef = [1];
    for (let s = 0; s < nS; s++) if (cost[s * nC + j]! <= R) { idx.push(y0 + s); coef.push(-1); }
    lp.addLe(idx, coef, 0);
  }
  lp.addLe(Int32Array.from({ length: nS }, (_, s) => y0 + s), new Float64Array(nS).fill(1), k);
  return lp;
}

/** Kuby (1987): max D subject to D <= d_st + M (2 - x_s - x_t) for every pair, sum x = k. */
function dispersionMip(model: PlacementModel, k: number): LinearModel {
  const n = model.nSites;
  const d = model.cost;
  let M = 0;
  for (let t = 0; t < d.length; t++) M = Math.max(M, d[t]!);
  const lp = new LinearModel('max');
  const x0 = lp.addVariables(n, { type: 'binary' });
  const D = lp.addVariable({ lb: 0, ub: M, obj: 1 });
  for (let s = 0; s < n; s++) for (let t = s + 1; t < n; t++) lp.addLe([D, x0 + s, x0 + t], [1, M, M], Math.min(d[s * n + t]!, d[t * n + s]!) + 2 * M);
  lp.addEq(Int32Array.from({ length: n }, (_, s) => x0 + s), new Float64Array(n).fill(1), k);
  return lp;
}

const ms = (x: number): number => Math.round(x * 10) / 10;

/** Runs the coverage benchmark and returns its rows and summary (prints nothing). */
export async function runCoverageBenchmark(opts: CoverageBenchOptions = {}): Promise<CoverageBenchOutput> {
  const quick = opts.quick === true;
  const limitMs = opts.limitMs ?? (quick ? 20_000 : 60_000);
  const withScipy = opts.scipy !== false && scipyAvailable();
  const names = opts.only ?? (quick ? ['pmed1', 'pmed6'] : ALL);
  const pcenter = readOptima('pmed', 'optima_pcenter.json');
  const rows: Record<string, Cell>[] = [];
  // Instantiate the HiGHS WebAssembly module once before timing anything.
  const warm = new LinearModel('min');
  warm.addVariable({ type: 'binary', obj: 1 });
  await solveLp(warm);
  for (const name of names) {
    const inst = readOrlibPmed(readFileSync(instancePath('pmed', `${name}.txt`), 'utf8'));
    const model = inst.model;
    const p = inst.p;
    const rStar = pcenter[name]?.value;
    if (rStar === undefined) continue;
    const R = Math.round(0.8 * rStar);
    // Survivable bound: r*, raised where needed so that every client has two sites within it.
    let L = rStar;
    const n = model.nSites;
    for (let j = 0; j < n; j++) {
      let d1 = Infinity;
      let d2 = Infinity;
      for (let s = 0; s < n; s++) {
        const v = model.cost[s * n + j]!;
        if (v < d1) { d2 = d1; d1 = v; } else if (v < d2) d2 = v;
      }
      L = Math.max(L, d2);
    }
    type Any = Result<unknown>;
    const cases: { model: string; param: string; sense: 'min' | 'max'; greedy: () => Promise<Any>; exact: () => Promise<Any>; mip: () => LinearModel }[] = [
      { model: 'lscp', param: `R=${R}`, sense: 'min', greedy: () => solveLscp(model, { method: 'greedy', radius: R }), exact: () => solveLscp(model, { method: 'exact', radius: R, timeLimitMs: limitMs }), mip: () => lscpMip(model, R) },
      { model: 'mclp', param: `k=${p} R=${R}`, sense: 'max', greedy: () => solveMclp(model, { method: 'greedy', radius: R, k: p }), exact: () => solveMclp(model, { method: 'exact', radius: R, k: p, timeLimitMs: limitMs }), mip: () => mclpMip(model, R, p) },
      { model: 'pdispersion', param: `k=${p}`, sense: 'max', greedy: () => solvePDispersion(model, { method: 'greedy', k: p }), exact: () => solvePDispersion(model, { method: 'exact', k: p, timeLimitMs: limitMs }), mip: () => dispersionMip(model, p) },
      { model: 'survivable', param: `L=${L}`, sense: 'min', greedy: () => solveSurvivable(model, { method: 'greedy', radius: L }), exact: () => solveSurvivable(model, { method: 'exact', radius: L, timeLimitMs: limitMs }), mip: () => lscpMip(model, L, 2) },
    ];
    for (const c of cases) {
      const g = await timed(() => c.greedy());
      const e = await timed(() => c.exact());
      const row: Record<string, Cell> = {
        instance: name,
        n: model.nSites,
        model: c.model,
        param: c.param,
        heuristic: g.value.objective ?? null,
        heuristicMs: ms(g.ms),
        exact: e.value.objective ?? null,
        exactStatus: e.value.status,
        bound: e.value.bound ?? null,
        exactMs: ms(e.ms),
      };
      if (e.value.status === 'optimal' && g.value.objective !== undefined && e.value.objective !== undefined) {
        row['heuristicGapPct'] = Math.round(1000 * gapPercent(g.value.objective, e.value.objective, c.sense)) / 1000;
      }
      if (withScipy) {
        const s = solveWithScipy(c.mip(), limitMs);
        if ('error' in s) row['highs'] = `error: ${s.error}`;
        else {
          row['highsObjective'] = s.objective;
          row['highsStatus'] = s.status === 0 ? 'optimal' : s.status === 1 ? 'limit' : s.status === 2 ? 'infeasible' : s.message.slice(0, 40);
          row['highsMs'] = ms(1000 * s.seconds);
          row['timeRatio'] = s.seconds > 0 ? Number((e.ms / (1000 * s.seconds)).toPrecision(3)) : null;
          if (s.status === 0 && e.value.status === 'optimal' && s.objective !== null && e.value.objective !== undefined && Math.abs(s.objective - e.value.objective) > 1e-6 * Math.max(1, Math.abs(s.objective))) {
            row['mismatch'] = true;
          }
        }
      }
      rows.push(row);
    }
  }
  const byModel: Record<string, unknown> = {};
  for (const m of ['lscp', 'mclp', 'pdispersion', 'survivable']) {
    const rs = rows.filter((r) => r['model'] === m);
    const ratios = rs.map((r) => r['timeRatio']).filter((x): x is number => typeof x === 'number');
    const gaps = rs.map((r) => r['heuristicGapPct']).filter((x): x is number => typeof x === 'number');
    byModel[m] = {
      instances: rs.length,
      provenOptimal: rs.filter((r) => r['exactStatus'] === 'optimal').length,
      highsOptimal: rs.filter((r) => r['highsStatus'] === 'optimal').length,
      geomeanTimeRatio: ratios.length > 0 ? Number(Math.exp(ratios.reduce((a, x) => a + Math.log(Math.max(x, 1e-6)), 0) / ratios.length).toPrecision(3)) : null,
      meanHeuristicGapPct: gaps.length > 0 ? Math.round((1000 * gaps.reduce((a, x) => a + x, 0)) / gaps.length) / 1000 : null,
      maxHeuristicGapPct: gaps.length > 0 ? Math.max(...gaps) : null,
      mismatches: rs.filter((r) => r['mismatch'] === true).length,
    };
  }
  return { rows, summary: { limitMs, quick, scipy: withScipy, byModel } };
}

const COLUMNS = ['instance', 'n', 'model', 'param', 'heuristic', 'heuristicMs', 'exact', 'exactStatus', 'bound', 'exactMs', 'heuristicGapPct', 'highsObjective', 'highsStatus', 'highsMs', 'timeRatio', 'highs', 'mismatch'];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const limit = flag('--limit');
  const only = flag('--only')?.split(',');
  const opts: CoverageBenchOptions = { quick, scipy: !argv.includes('--no-scipy') };
  if (limit !== undefined) opts.limitMs = Number(limit) * 1000;
  if (only !== undefined) opts.only = only;
  if (opts.scipy !== false && !scipyAvailable()) console.log('python3 with scipy not found: the HiGHS-native comparison is skipped');
  const out = await runCoverageBenchmark(opts);
  printTable(out.rows, COLUMNS.filter((c) => out.rows.some((r) => r[c] !== undefined)));
  console.log(JSON.stringify(out.summary, null, 2));
  console.log(`wrote ${writeResults('uncertainty-coverage', { rows: out.rows, summary: out.summary })}`);
}
