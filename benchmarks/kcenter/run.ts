/**
 * k-center benchmark: every OR-Library pmed instance in the shared instances (p-center
 * optima in pmed/optima_pcenter.json), plus a 20,000-client x 500-site random geometric
 * instance generated here with a fixed seed.
 *
 *   pnpm exec tsx --conditions=source benchmarks/kcenter/run.ts            # full run
 *   pnpm exec tsx --conditions=source benchmarks/kcenter/run.ts --quick    # 5 pmed files, short limits
 *   options: --limit S (exact and baseline time limit, default 60), --no-baseline, --only pmed7,pmed12
 *
 * Per pmed instance: Gonzalez, Hochbaum-Shmoys and local search (radius, ratio to the
 * optimum, proven bound), the exact search (radius, proven, time) and the baseline: the
 * standard p-center MIP (min z; sum_s x_sj = 1; x_sj <= y_s; sum y = k; sum_s d_sj x_sj <= z)
 * through @emplace/lp (HiGHS) with the same time limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createPlacementModel, euclideanMatrix, Rng, type PlacementModel, type Result } from '@emplace/core';
import { readOrlibPmed } from '@emplace/io';
import { solveKCenter, type KCenterSolution } from '@emplace/kcenter';
import { LinearModel, solveLp } from '@emplace/lp';
import { gapPercent, instancePath, printTable, readOptima, timed, writeResults, type Cell } from '../lib/instances.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const limitMs = Number(flag('--limit') ?? (quick ? 20 : 60)) * 1000;
const withBaseline = !argv.includes('--no-baseline');
const only = flag('--only')?.split(',');

const optima = readOptima('pmed', 'optima_pcenter.json');
const files = readdirSync(instancePath('pmed'))
  .filter((f) => /^pmed\d+\.txt$/.test(f))
  .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
const quickSet = ['pmed1', 'pmed6', 'pmed11', 'pmed16', 'pmed21'];
const names = files.map((f) => f.replace('.txt', '')).filter((n) => (only ? only.includes(n) : quick ? quickSet.includes(n) : true));

const rows: Record<string, Cell>[] = [];
const summary: Record<string, unknown> = { limitMs, quick };

function ms(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The standard p-center MIP through @emplace/lp (the baseline every specialised method must beat). */
async function baselineMip(model: PlacementModel, k: number, timeLimitMs: number): Promise<{ radius?: number; bound?: number; status: string }> {
  const { nSites: nS, nClients: nC, cost } = model;
  if (nS * nC > 1_000_000) return { status: `not run: ${nS * nC} assignment variables` };
  const lp = new LinearModel('min');
  const y0 = lp.addVariables(nS, { type: 'binary' });
  const x0 = lp.addVariables(nS * nC, { lb: 0, ub: 1 });
  const z = lp.addVariable({ lb: 0, obj: 1 });
  for (let j = 0; j < nC; j++) {
    const idx = Int32Array.from({ length: nS }, (_, s) => x0 + s * nC + j);
    lp.addEq(idx, new Float64Array(nS).fill(1), 1);
    const rIdx = [...idx, z];
    const rCoef = [...Array.from({ length: nS }, (_, s) => cost[s * nC + j]!), -1];
    lp.addLe(rIdx, rCoef, 0);
  }
  for (let s = 0; s < nS; s++) for (let j = 0; j < nC; j++) lp.addLe([x0 + s * nC + j, y0 + s], [1, -1], 0);
  lp.addEq(Int32Array.from({ length: nS }, (_, s) => y0 + s), new Float64Array(nS).fill(1), k);
  const sol = await solveLp(lp, { timeLimitMs });
  if (sol.status !== 'optimal' && sol.status !== 'feasible') return { status: sol.status, ...(sol.bound !== undefined ? { bound: sol.bound } : {}) };
  // Recompute the radius of the opened sites (nearest open site per client).
  let radius = 0;
  for (let j = 0; j < nC; j++) {
    let best = Infinity;
    for (let s = 0; s < nS; s++) if (sol.solution.x[y0 + s]! > 0.5 && cost[s * nC + j]! < best) best = cost[s * nC + j]!;
    radius = Math.max(radius, best);
  }
  return { status: sol.status, radius, ...(sol.bound !== undefined ? { bound: sol.bound } : {}) };
}

let provedCount = 0;
let worstExactMs = 0;
let worstApproxMs = 0;
for (const name of names) {
  const inst = readOrlibPmed(readFileSync(instancePath('pmed', `${name}.txt`), 'utf8'), { name });
  const k = inst.p;
  const opt = optima[name]?.value;
  const size = `${inst.n}/${k}`;
  const row = (method: string, r: Result<KCenterSolution>, time: number, extra: Record<string, Cell> = {}): void => {
    const radius = r.objective;
    rows.push({
      instance: name,
      'n/k': size,
      method,
      radius: radius ?? null,
      optimum: opt ?? 'none published',
      'gap %': radius !== undefined && opt !== undefined ? gapPercent(radius, opt) : null,
      ratio: radius !== undefined && opt !== undefined ? Math.round((radius / opt) * 1000) / 1000 : null,
      bound: r.bound ?? null,
      status: r.status,
      'time ms': ms(time),
      ...extra,
    });
  };
  for (const method of ['gonzalez', 'hochbaum-shmoys', 'local'] as const) {
    const { value, ms: t } = await timed(() => solveKCenter(inst.model, { method, k }));
    if (method !== 'local') worstApproxMs = Math.max(worstApproxMs, t);
    row(method, value, t);
  }
  const { value: ex, ms: tEx } = await timed(() => solveKCenter(inst.model, { method: 'exact', k, timeLimitMs: limitMs }));
  worstExactMs = Math.max(worstExactMs, tEx);
  if (ex.status === 'optimal') provedCount++;
  let baseline: Cell = null;
  if (withBaseline) {
    const { value: b, ms: tB } = await timed(() => baselineMip(inst.model, k, limitMs));
    baseline = `${b.status}${b.radius !== undefined ? ` r=${b.radius}` : ''}${b.bound !== undefined ? ` lb=${Math.round(b.bound * 100) / 100}` : ''} ${(tB / 1000).toFixed(1)} s`;
  }
  row('exact', ex, tEx, { proved: ex.status === 'optimal', baseline });
  const agree = opt === undefined ? 'no published optimum: our proved value shown' : ex.objective === opt ? 'matches published optimum' : `DIFFERS from published ${opt}`;
  console.error(`${name}: exact ${ex.status} ${ex.objective} (${agree}) in ${(tEx / 1000).toFixed(2)} s${baseline ? `; baseline ${baseline}` : ''}`);
}

// 20,000 clients x 500 sites, uniform in a 1000 x 1000 square, fixed seed.
async function geometric(): Promise<void> {
  const rng = new Rng(20260);
  const nC = 20000;
  const nS = 500;
  const k = 20;
  const clients = new Float64Array(2 * nC).map(() => rng.next() * 1000);
  const sites = new Float64Array(2 * nS).map(() => rng.next() * 1000);
  const model = createPlacementModel({ sites: nS, clients: nC, cost: euclideanMatrix(sites, clients, 2) });
  const name = 'geo-20000x500';
  const size = `${nC}x${nS}/${k}`;
  const push = (method: string, r: Result<KCenterSolution>, time: number, extra: Record<string, Cell> = {}): void => {
    rows.push({
      instance: name,
      'n/k': size,
      method,
      radius: r.objective ?? null,
      optimum: 'unknown',
      'gap %': r.gap !== undefined ? Math.round(r.gap * 10000) / 100 : null,
      ratio: r.objective !== undefined && r.bound ? Math.round((r.objective / r.bound) * 1000) / 1000 : null,
      bound: r.bound ?? null,
      status: r.status,
      'time ms': ms(time),
      ...extra,
    });
  };
  const g = await timed(() => solveKCenter(model, { method: 'gonzalez', k }));
  push('gonzalez', g.value, g.ms);
  const h = await timed(() => solveKCenter(model, { method: 'hochbaum-shmoys', k }));
  push('hochbaum-shmoys', h.value, h.ms);
  const l = await timed(() => solveKCenter(model, { method: 'local', k }));
  push('local', l.value, l.ms);
  const e = await timed(() => solveKCenter(model, { method: 'exact', k, timeLimitMs: quick ? 20_000 : 60_000 }));
  const base = withBaseline ? await baselineMip(model, k, limitMs) : undefined;
  push('exact', e.value, e.ms, { proved: e.value.status === 'optimal', baseline: base ? base.status : null });
  summary['geometric'] = {
    gonzalezRadiusOverBound: g.value.objective! / g.value.bound!,
    gonzalezMs: g.ms,
    exact: { status: e.value.status, radius: e.value.objective, bound: e.value.bound, gap: e.value.gap, ms: e.ms },
  };
  console.error(`${name}: gonzalez ${g.value.objective?.toFixed(2)} (bound ${g.value.bound?.toFixed(2)}, ratio to bound ${(g.value.objective! / g.value.bound!).toFixed(3)}) in ${g.ms.toFixed(0)} ms; exact ${e.value.status} ${e.value.objective?.toFixed(2)} bound ${e.value.bound?.toFixed(2)} gap ${((e.value.gap ?? 0) * 100).toFixed(2)} % in ${(e.ms / 1000).toFixed(1)} s`);
}
if (!only) await geometric();

summary['pmedProved'] = `${provedCount}/${names.length}`;
summary['worstExactMs'] = worstExactMs;
summary['worstGonzalezOrHsMs'] = worstApproxMs;
printTable(rows, ['instance', 'n/k', 'method', 'radius', 'optimum', 'gap %', 'ratio', 'bound', 'status', 'time ms', 'proved', 'baseline']);
console.log(`\nproved optimal: ${provedCount}/${names.length} pmed instances; slowest exact ${(worstExactMs / 1000).toFixed(2)} s; slowest Gonzalez/HS ${worstApproxMs.toFixed(1)} ms`);
console.log('timings were taken on a shared 2-core machine; other jobs running at the same time inflate them');
const file = writeResults('kcenter', { rows, summary });
console.log(`results: ${file}`);
