/**
 * Benchmark of @emplace/mechanism (issue 8 targets):
 *   exact Shapley n = 10..25 (time, memory), sampling error and coverage vs exact,
 *   weighted voting on real bodies and on 50..200 random players, VCG on CATS-like auctions.
 * Run: pnpm exec tsx --conditions=source benchmarks/mechanism/run.ts [--quick]
 */
import { createGame, hasSolution, Rng } from '@emplace/core';
import { createWeightedVotingGame, shapleyExact, shapleySampling, vcgAuction, weightedVotingPower, winnerDetermination, votingPowerSolve, type SamplingVariant } from '@emplace/mechanism';
import { printTable, writeResults, type Cell } from '../lib/instances.js';
import { catsLike } from './cats.js';

const quick = process.argv.includes('--quick');
const rows: Record<string, Cell>[] = [];
const summary: Record<string, unknown> = {};

// ---------------------------------------------------------------- exact Shapley
/** A cheap characteristic function: v(S) = (sum of weights)^1.5 + 3 |S| (superadditive, not symmetric). */
function cheapGame(n: number) {
  const w = Int32Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 13));
  return createGame({
    players: n,
    value: {
      mask: (m) => {
        let s = 0;
        let c = 0;
        for (let r = m; r !== 0; r &= r - 1) {
          s += w[31 - Math.clz32(r & -r)]!;
          c++;
        }
        return s * s + 3 * c; // integer valued: exact fractions
      },
    },
  });
}

/** Baseline: the textbook table method (store all 2^n values, then sum marginal contributions). */
function tableShapley(n: number, f: (m: number) => number): Float64Array {
  const size = 2 ** n;
  const v = new Float64Array(size);
  for (let m = 0; m < size; m++) v[m] = f(m);
  const wt = new Float64Array(n);
  let binom = 1;
  for (let s = 0; s < n; s++) {
    wt[s] = 1 / (n * binom);
    binom = (binom * (n - 1 - s)) / (s + 1);
  }
  const phi = new Float64Array(n);
  const pop = (x: number) => { let c = 0; for (; x; x &= x - 1) c++; return c; };
  for (let m = 0; m < size; m++) {
    const s = pop(m);
    for (let i = 0; i < n; i++) if (!(m & (1 << i))) phi[i]! += wt[s]! * (v[m | (1 << i)]! - v[m]!);
  }
  return phi;
}

const exactSizes = quick ? [10, 15, 20] : [10, 15, 20, 22, 24, 25];
const exactRows: Record<string, Cell>[] = [];
for (const n of exactSizes) {
  const g = cheapGame(n);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await shapleyExact(g);
  const ms = performance.now() - t0;
  const cpuUsed = process.cpuUsage(c0);
  const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  const heapMiB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024; // peak resident set so far (KiB -> MiB)
  if (!hasSolution(r)) throw new Error(`exact n=${n}: ${r.status}`);
  let baselineMs: number | undefined;
  let maxDiff: number | undefined;
  if (n <= 22) {
    const b0 = performance.now();
    const ref = tableShapley(n, g.valueOfMask!);
    baselineMs = performance.now() - b0;
    maxDiff = 0;
    for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - r.solution.values[i]!));
  }
  const target = n === 20 ? 2000 : n === 25 ? 60000 : undefined;
  exactRows.push({
    instance: `cheap-${n}`, size: `n=${n}, 2^${n} coalitions`, method: 'shapley:exact', 'time ms': Math.round(ms), 'cpu ms': Math.round(cpuMs), 'target ms': target,
    met: target === undefined ? '' : ms < target ? 'yes' : 'NO', 'heap MiB': Math.round(heapMiB * 10) / 10, 'peak RSS MiB': Math.round(maxRssMiB), 'table bytes MiB': (8 * 2 ** n) / 2 ** 20,
    exact: r.solution.exact !== undefined, 'baseline (2^n table) ms': baselineMs === undefined ? undefined : Math.round(baselineMs), 'max |diff|': maxDiff,
  });
}
console.log('\nExact Shapley (Gray-code streaming enumeration; baseline = textbook 2^n table):');
printTable(exactRows);
rows.push(...exactRows.map((r) => ({ section: 'exact', ...r })));

// ---------------------------------------------------------------- sampling
const nS = 12;
const sGame = (() => {
  const w = Array.from({ length: nS }, (_, i) => 1 + ((i * 31) % 9));
  const W = w.reduce((a, b) => a + b, 0);
  return createGame({ players: nS, value: { mask: (m) => { let s = 0; for (let i = 0; i < nS; i++) if (m & (1 << i)) s += w[i]!; return s >= W / 2 ? s : 0.5 * s; } } });
})();
const ref = (await shapleyExact(sGame)).solution!.values;
const vN = sGame.valueOfMask!(2 ** nS - 1);
const range = 2 * vN;
const samplingRows: Record<string, Cell>[] = [];
const seeds = quick ? 20 : 100;
for (const [variant, interval] of [['permutation', 'bernstein'], ['antithetic', 'bernstein'], ['stratified', 'bernstein'], ['permutation', 'normal'], ['antithetic', 'normal'], ['stratified', 'normal']] as const) {
  let covered = 0, total = 0, worstErr = 0, evals = 0, ms = 0, reached = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const t0 = performance.now();
    const r = await shapleySampling(sGame, { variant: variant as SamplingVariant, interval, range, relativePrecision: 0.01, confidence: 0.95, seed, maxSamples: 2e6 });
    ms += performance.now() - t0;
    if (!hasSolution(r)) continue;
    evals += r.solution.evaluations;
    if (r.solution.reachedPrecision) reached++;
    for (let i = 0; i < nS; i++) {
      total++;
      const err = Math.abs(r.solution.values[i]! - ref[i]!);
      worstErr = Math.max(worstErr, err / vN);
      if (r.solution.lower[i]! <= ref[i]! && ref[i]! <= r.solution.upper[i]!) covered++;
    }
  }
  samplingRows.push({
    instance: `threshold-${nS}`, method: `shapley:${variant}`, interval, target: '+/-0.01 v(N) @95%', seeds,
    'reached %': (100 * reached) / seeds, 'coverage %': Math.round((1000 * covered) / total) / 10, 'max |err|/v(N)': worstErr,
    'mean evals': Math.round(evals / seeds), 'mean ms': Math.round(ms / seeds),
  });
}
console.log(`\nShapley sampling, n = ${nS}, precision +/-0.01 v(N) at 95 % (range bound 2 v(N) for Bernstein), ${seeds} seeds:`);
printTable(samplingRows);
rows.push(...samplingRows.map((r) => ({ section: 'sampling', ...r })));

// ---------------------------------------------------------------- weighted voting
// US Electoral College, 2010 apportionment (elections 2012-2020), 538 votes, quota 270.
const electoral: Record<string, number> = { AL: 9, AK: 3, AZ: 11, AR: 6, CA: 55, CO: 9, CT: 7, DE: 3, DC: 3, FL: 29, GA: 16, HI: 4, ID: 4, IL: 20, IN: 11, IA: 6, KS: 6, KY: 8, LA: 8, ME: 4, MD: 10, MA: 11, MI: 16, MN: 10, MS: 6, MO: 10, MT: 3, NE: 5, NV: 6, NH: 4, NJ: 14, NM: 5, NY: 29, NC: 15, ND: 3, OH: 18, OK: 7, OR: 7, PA: 20, RI: 4, SC: 9, SD: 3, TN: 11, TX: 38, UT: 6, VT: 3, VA: 13, WA: 12, WV: 5, WI: 10, WY: 3 };
const ecW = Object.values(electoral);
if (ecW.reduce((a, b) => a + b, 0) !== 538) throw new Error('electoral votes must sum to 538');
const bodies: { name: string; players: string[]; weights: number[]; quota: number; published?: { player: number; ss?: number; bz?: number; source: string }[] }[] = [
  { name: 'UN Security Council', players: ['P1', 'P2', 'P3', 'P4', 'P5', ...Array.from({ length: 10 }, (_, i) => `E${i + 1}`)], weights: [7, 7, 7, 7, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], quota: 39, published: [{ player: 0, ss: 0.1963, source: 'Felsenthal & Machover 1998; issue 8' }, { player: 5, ss: 0.001865, source: 'Felsenthal & Machover 1998; issue 8' }] },
  { name: 'EEC Council 1958', players: ['FR', 'DE', 'IT', 'BE', 'NL', 'LU'], weights: [4, 4, 4, 2, 2, 1], quota: 12, published: [{ player: 0, ss: 7 / 30, bz: 5 / 21, source: 'Felsenthal & Machover 1998, Table 2.1' }, { player: 3, ss: 3 / 20, bz: 3 / 21, source: 'idem' }, { player: 5, ss: 0, bz: 0, source: 'idem (Luxembourg null)' }] },
  { name: 'US Electoral College 2012-2020', players: Object.keys(electoral), weights: ecW, quota: 270 },
];
const votingRows: Record<string, Cell>[] = [];
/** Wall-clock min/median and the minimum CPU time of the process (less sensitive to other load). */
const timeIt = (f: () => unknown, reps: number): { min: number; median: number; cpu: number } => {
  const t: number[] = [];
  let cpu = Infinity;
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu = Math.min(cpu, (d.user + d.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return { min: t[0]!, median: t[Math.floor(t.length / 2)]!, cpu };
};
for (const body of bodies) {
  const p = weightedVotingPower(body.weights, body.quota)!;
  const { min, median, cpu } = timeIt(() => weightedVotingPower(body.weights, body.quota), 9);
  let check = '';
  if (body.published) {
    check = body.published.map((pub) => {
      const parts: string[] = [];
      if (pub.ss !== undefined) parts.push(`SS ${body.players[pub.player]} ${p.shapleyShubik[pub.player]!.toFixed(6)} vs ${pub.ss.toFixed(6)}`);
      if (pub.bz !== undefined) parts.push(`Bz ${p.banzhafIndex[pub.player]!.toFixed(6)} vs ${pub.bz.toFixed(6)}`);
      return parts.join(', ');
    }).join('; ');
  } else {
    const ca = body.players.indexOf('CA');
    const wy = body.players.indexOf('WY');
    check = `SS CA ${p.shapleyShubik[ca]!.toFixed(5)}, WY ${p.shapleyShubik[wy]!.toFixed(6)}; Banzhaf idx CA ${p.banzhafIndex[ca]!.toFixed(5)}`;
    // Independent check of the DP: antithetic sampling interval must contain the DP value.
    const g = createWeightedVotingGame({ players: body.players, weights: body.weights, quota: body.quota });
    const s = await shapleySampling(g, { variant: 'antithetic', precision: 0.002, seed: 1 });
    if (hasSolution(s)) check += `; sampled CA ${s.solution.lower[ca]!.toFixed(4)}..${s.solution.upper[ca]!.toFixed(4)} ${s.solution.lower[ca]! <= p.shapleyShubik[ca]! && p.shapleyShubik[ca]! <= s.solution.upper[ca]! ? 'contains DP' : 'MISSES DP'}`;
  }
  votingRows.push({ instance: body.name, size: `n=${body.weights.length}, q=${body.quota}`, method: 'shapley:weighted-voting', 'min ms': min, 'median ms': median, 'cpu ms': cpu, 'target ms': 100, check });
}
for (const n of quick ? [50, 100] : [50, 60, 100, 200]) {
  const rng = new Rng(n);
  const w = Array.from({ length: n }, () => 1 + rng.int(10000));
  const q = Math.floor(w.reduce((a, b) => a + b, 0) / 2) + 1;
  const p = weightedVotingPower(w, q)!;
  let sum = 0;
  for (const x of p.shapleyShubik) sum += x;
  const ss = timeIt(() => weightedVotingPower(w, q), n <= 100 ? 9 : 3);
  const bz = timeIt(() => weightedVotingPower(w, q, { shapleyShubik: false }), 9);
  votingRows.push({ instance: `random-${n}`, size: `n=${n}, w<=1e4, q=${q}`, method: 'shapley:weighted-voting', 'min ms': ss.min, 'median ms': ss.median, 'cpu ms': ss.cpu, 'target ms': n <= 60 ? 100 : undefined, check: `sum SS = ${sum.toFixed(12)}; Banzhaf alone min ${bz.min.toFixed(1)} ms; ${p.cells} cells` });
}
console.log('\nWeighted voting (Shapley-Shubik + Banzhaf by DP; min/median of repeated runs):');
printTable(votingRows);
rows.push(...votingRows.map((r) => ({ section: 'voting', ...r })));
const ecPower = weightedVotingPower(ecW, 270)!;
summary['electoralCollege'] = Object.fromEntries(Object.keys(electoral).map((s, i) => [s, { shapleyShubik: ecPower.shapleyShubik[i], banzhafIndex: ecPower.banzhafIndex[i] }]));
const unsc = await votingPowerSolve(createWeightedVotingGame({ players: 15, weights: bodies[0]!.weights, quota: 39 }));
summary['unscExact'] = hasSolution(unsc) ? [unsc.solution.exact![0], unsc.solution.exact![5]] : null;

// ---------------------------------------------------------------- VCG
const vcgSizes: [number, number][] = quick ? [[50, 10], [100, 20], [200, 30]] : [[50, 10], [100, 20], [200, 30], [300, 40], [400, 50]];
const vcgRows: Record<string, Cell>[] = [];
for (const kind of ['arbitrary', 'regions'] as const) {
  for (const [nb, ni] of vcgSizes) {
    const m = catsLike(kind, nb, ni, 1000 + nb + ni);
    const w0 = performance.now();
    const wdp = await winnerDetermination(m);
    const wdpMs = performance.now() - w0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await vcgAuction(m, { timeLimitMs: 120_000 });
    const ms = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    if (!hasSolution(r)) throw new Error(`vcg ${kind} ${nb}: ${r.status}`);
    const target = nb === 200 && ni === 30 ? 10_000 : undefined;
    vcgRows.push({
      instance: `${kind}-${nb}x${ni}`, size: `${nb} bids, ${ni} items, ${m.bidders.length} bidders`, method: 'vcg:clarke', status: r.status,
      welfare: r.objective, 'one WDP ms (baseline)': Math.round(wdpMs), 'WDP welfare': wdp.welfare, optimisations: r.solution.optimisations,
      'time ms': Math.round(ms), 'cpu ms': Math.round((cu.user + cu.system) / 1000), 'target ms': target, met: target === undefined ? '' : ms < target ? 'yes' : 'NO',
      revenue: Math.round(r.solution.revenue * 100) / 100, IR: r.solution.individuallyRational, 'budget bal.': r.solution.budgetBalanced,
    });
  }
}
console.log('\nVCG on CATS-like auctions (allocation + all Clarke payments, HiGHS through @emplace/lp):');
printTable(vcgRows);
rows.push(...vcgRows.map((r) => ({ section: 'vcg', ...r })));

const file = writeResults('mechanism', { rows, summary: { quick, ...summary } });
console.log(`\nwrote ${file}`);
console.log('Note: timings were taken on a shared 2-core machine while other benchmarks ran; they are inflated.');
