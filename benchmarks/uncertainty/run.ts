/**
 * Placement under uncertainty and over time (issue 19):
 *
 * 1. Competitive ratios measured over seeded arrival orders, against emplace's exact
 *    offline solvers:
 *    - Meyerson's online facility location on OR-Library pmed graphs as uniform-cost UFL
 *      (every vertex a client and a candidate site, shortest-path distances, opening cost
 *      f = the mean distance x n / (2 p): a regime where the optimum opens a few sites),
 *      random orders (guarantee 4 in expectation) and the file order; and on OR-Library cap
 *      files (non-uniform costs, clients not at sites: O(log n), no constant);
 *    - incremental doubling k-center on pmed graphs (k = p), random orders (guarantee 8 after
 *      every arrival), offline optimum from kcenter's exact search (checked against the
 *      published p-center optima).
 * 2. SAA gap and time as the scenario count K grows (10, 100, 1,000, 10,000): cap71
 *    (16 sites, 50 clients) as two-stage UFL with generated scenarios (lognormal demand per
 *    client, sigma 0.3; each site fails with probability 0.05, at most one at a time; lost
 *    demand at a penalty). Exact optimum by the UFL-equivalent branch-and-bound when K <=
 *    1,000 (time reported); SAA with M = 10 sample problems of N = 50 scenarios, the
 *    candidate evaluated exactly on the K scenarios; lower/upper 95 % bounds, gap, time, and
 *    whether the bracket holds the exact optimum.
 * 3. Coverage models (benchmarks/uncertainty/coverage.ts, when present): LSCP, MCLP,
 *    p-dispersion and N-1 survivable against HiGHS native.
 *
 *   pnpm bench uncertainty            # or: pnpm exec tsx --conditions=source benchmarks/uncertainty/run.ts [--quick] [--no-coverage]
 *   ... run.ts --only saa             # re-run sections (online, saa, coverage), keeping the others' rows
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPlacementModel, hasSolution, type PlacementModel } from '@emplace/core';
import { createScenarioSet, generateScenarios, measureOnlineFacility, onlineFacilityLocation, solveSaa, solveStochastic } from '@emplace/facility';
import { readOrlibCap, readOrlibPmed } from '@emplace/io';
import { measureIncrementalKCenter } from '@emplace/kcenter';
import { instancePath, printTable, readOptima, resultsDir, timed, writeResults, type Cell } from '../lib/instances.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const withCoverage = !argv.includes('--no-coverage');
// --only online,saa,coverage: re-run some sections, keeping the other rows of the results file.
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? new Set((argv[onlyIdx + 1] ?? '').split(',')) : null;
const sections = only ?? new Set(['online', 'saa', 'coverage']);
const sectionOf = (row: Record<string, Cell>): string => (String(row['section']).startsWith('online') ? 'online' : String(row['section']));
const here = dirname(fileURLToPath(import.meta.url));

const rows: Record<string, Cell>[] = [];
const summary: Record<string, unknown> = { quick };
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const ms = (x: number): number => Math.round(x * 10) / 10;

function pmed(name: string): { model: PlacementModel; p: number } {
  const inst = readOrlibPmed(readFileSync(instancePath('pmed', `${name}.txt`), 'utf8'), { name });
  return { model: inst.model, p: inst.p };
}

/** The pmed graph as a uniform-cost UFL: f = mean distance x n / (2p). */
function pmedUfl(model: PlacementModel, p: number): { model: PlacementModel; f: number } {
  let sum = 0;
  for (let t = 0; t < model.cost.length; t++) sum += model.cost[t]!;
  const mean = sum / model.cost.length;
  const f = Math.round((mean * model.nClients) / (2 * p));
  return { model: createPlacementModel({ sites: model.siteIds.map((id) => ({ id, openingCost: f })), clients: model.clientIds.map((id) => ({ id })), cost: model.cost }), f };
}

// ------------------------------------------------------------------ 1. competitive ratios
if (sections.has('online')) {

const runs = quick ? 10 : 30;
const pmedNames = quick ? ['pmed1', 'pmed6'] : ['pmed1', 'pmed2', 'pmed3', 'pmed4', 'pmed5', 'pmed6', 'pmed7', 'pmed8'];
const onlineRatios: number[] = [];
for (const name of pmedNames) {
  const { model: g, p } = pmed(name);
  const { model, f } = pmedUfl(g, p);
  const t = await timed(() => measureOnlineFacility(model, { runs, seed: 1, order: 'random' }));
  const rep = t.value;
  onlineRatios.push(rep.meanRatio);
  const given = onlineFacilityLocation(model, { order: 'given', seed: 1 });
  rows.push({
    section: 'online-ufl',
    instance: name,
    size: `${model.nSites}x${model.nClients} f=${f}`,
    order: `random x${runs}`,
    offline: r3(rep.offline),
    offlineProven: rep.offlineProven,
    meanRatio: r3(rep.meanRatio),
    stdError: r3(rep.stdError),
    maxRatio: r3(rep.maxRatio),
    guarantee: rep.guarantee ?? 'O(log n)',
    givenOrderRatio: hasSolution(given) ? r3(given.objective / rep.offline) : null,
    ms: ms(t.ms),
  });
  console.log(`online-ufl ${name}: mean ratio ${rep.meanRatio.toFixed(3)} (max ${rep.maxRatio.toFixed(3)}) vs OPT ${rep.offline}`);
}
for (const name of quick ? ['cap71'] : ['cap71', 'cap101', 'cap131']) {
  const inst = readOrlibCap(readFileSync(instancePath('cflp', `${name}.txt`), 'utf8'), { name });
  const m = inst.model;
  const model = createPlacementModel({ sites: m.siteIds.map((id, i) => ({ id, openingCost: m.openingCost[i]! })), clients: m.clientIds.map((id) => ({ id })), cost: m.cost });
  const t = await timed(() => measureOnlineFacility(model, { runs, seed: 1, order: 'random' }));
  const rep = t.value;
  rows.push({
    section: 'online-ufl',
    instance: name,
    size: `${model.nSites}x${model.nClients} (clients not at sites)`,
    order: `random x${runs}`,
    offline: r3(rep.offline),
    offlineProven: rep.offlineProven,
    meanRatio: r3(rep.meanRatio),
    stdError: r3(rep.stdError),
    maxRatio: r3(rep.maxRatio),
    guarantee: rep.guarantee ?? 'O(log n)',
    ms: ms(t.ms),
  });
  console.log(`online-ufl ${name}: mean ratio ${rep.meanRatio.toFixed(3)} (max ${rep.maxRatio.toFixed(3)})`);
}

const pcenter = readOptima('pmed', 'optima_pcenter.json');
const kRatios: number[] = [];
for (const name of quick ? ['pmed1', 'pmed6'] : ['pmed1', 'pmed2', 'pmed3', 'pmed4', 'pmed5', 'pmed6', 'pmed7', 'pmed8', 'pmed9', 'pmed10']) {
  const { model, p } = pmed(name);
  const t = await timed(() => measureIncrementalKCenter(model, { k: p, runs, seed: 1, order: 'random' }));
  const rep = t.value;
  kRatios.push(rep.maxRatio);
  rows.push({
    section: 'online-kcenter',
    instance: name,
    size: `${model.nSites} vertices, k=${p}`,
    order: `random x${runs}`,
    offline: rep.offline,
    offlineProven: rep.offlineProven,
    published: pcenter[name]?.value ?? null,
    meanRatio: r3(rep.meanRatio),
    maxRatio: r3(rep.maxRatio),
    guarantee: 8,
    ms: ms(t.ms),
  });
  console.log(`online-kcenter ${name}: mean ratio ${rep.meanRatio.toFixed(3)} max ${rep.maxRatio.toFixed(3)} (OPT ${rep.offline})`);
}
summary['onlineUfl'] = { instances: onlineRatios.length, worstMeanRatio: r3(Math.max(...onlineRatios)), guarantee: 4 };
summary['incrementalKCenter'] = { instances: kRatios.length, worstRatio: r3(Math.max(...kRatios)), guarantee: 8 };

}

// ------------------------------------------------------------------ 2. SAA vs scenario count

if (sections.has('saa')) {
  const inst = readOrlibCap(readFileSync(instancePath('cflp', 'cap71.txt'), 'utf8'), { name: 'cap71' });
  const m = inst.model;
  // Serving costs of cap71 are per whole client; a lost client costs 3x its dearest serving cost.
  let maxCost = 0;
  for (let t = 0; t < m.cost.length; t++) maxCost = Math.max(maxCost, m.cost[t]!);
  const model = createPlacementModel({ sites: m.siteIds.map((id, i) => ({ id, openingCost: m.openingCost[i]! })), clients: m.clientIds.map((id) => ({ id })), cost: m.cost });
  const penalty = 3 * maxCost;
  const counts = quick ? [10, 100, 1000] : [10, 100, 1000, 10_000];
  const saaRows: Record<string, Cell>[] = [];
  for (const K of counts) {
    const scen = generateScenarios(model, K, { seed: 7, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 });
    const set = createScenarioSet(model, scen, { penalty });
    let exactValue: number | null = null;
    let exactBound: number | null = null;
    let exactMs: number | null = null;
    let exactStatus = 'not run (K > 1,000)';
    if (K <= 1000) {
      const t = await timed(() => solveStochastic(set, { method: 'ufl-equivalent', timeLimitMs: quick ? 60_000 : 300_000 }));
      exactMs = ms(t.ms);
      exactStatus = t.value.status;
      if (hasSolution(t.value)) exactValue = t.value.objective;
      if (t.value.bound !== undefined) exactBound = t.value.bound;
    }
    const t = await timed(() => solveSaa(set, { replications: 10, samples: 50, evaluationSamples: 10_000, seed: 11 }));
    const res = t.value;
    if (!hasSolution(res)) {
      saaRows.push({ section: 'saa', instance: 'cap71', scenarios: K, saaStatus: res.status });
      continue;
    }
    const st = res.solution.statistics;
    const row: Record<string, Cell> = {
      section: 'saa',
      instance: 'cap71',
      scenarios: K,
      exact: exactValue === null ? null : r3(exactValue),
      exactStatus,
      exactBound: exactBound === null ? null : r3(exactBound),
      exactMs,
      saaLower: r3(st.lowerBound),
      saaUpper: r3(st.upperBound),
      'saaGap %': r3(100 * st.relativeGap),
      saaMs: ms(t.ms),
      candidates: st.candidates,
      exactEvaluation: st.exactEvaluation,
      // Only a proven optimum can check the bracket.
      bracketHoldsExact: exactStatus !== 'optimal' || exactValue === null ? null : st.lowerBound <= exactValue + 1e-6 && exactValue <= st.upperBound + 1e-6,
      'upperVsExact %': exactStatus !== 'optimal' || exactValue === null ? null : r3((100 * (st.upperEstimate - exactValue)) / exactValue),
    };
    saaRows.push(row);
    rows.push(row);
    console.log(`saa K=${K}: [${st.lowerBound.toFixed(1)}, ${st.upperBound.toFixed(1)}] gap ${(100 * st.relativeGap).toFixed(2)} % in ${(t.ms / 1000).toFixed(1)} s; exact ${exactValue ?? '-'} (${exactStatus}, ${exactMs ?? '-'} ms)`);
  }
  summary['saa'] = { instance: 'cap71', M: 10, N: 50, confidence: 0.95, scenarioCounts: counts };
}

// ------------------------------------------------------------------ 3. coverage models

const coverageFile = resolve(here, 'coverage.ts');
if (sections.has('coverage') && withCoverage && existsSync(coverageFile)) {
  const mod = (await import(pathToFileURL(coverageFile).href)) as { runCoverageBenchmark?: (o: { quick?: boolean }) => Promise<{ rows: Record<string, Cell>[]; summary: Record<string, unknown> }> };
  if (typeof mod.runCoverageBenchmark === 'function') {
    const cov = await mod.runCoverageBenchmark({ quick });
    for (const r of cov.rows) rows.push({ section: 'coverage', ...r });
    summary['coverage'] = cov.summary;
  }
}

if (only) {
  // Keep what was not re-run from the previous results.
  const previous = resolve(resultsDir(), 'uncertainty.json');
  if (existsSync(previous)) {
    const old = JSON.parse(readFileSync(previous, 'utf8')) as { rows?: Record<string, Cell>[]; summary?: Record<string, unknown> };
    const keep = (old.rows ?? []).filter((r) => !only.has(sectionOf(r)));
    rows.unshift(...keep);
    const keyOf: Record<string, string> = { onlineUfl: 'online', incrementalKCenter: 'online', saa: 'saa', coverage: 'coverage' };
    for (const [k, v] of Object.entries(old.summary ?? {})) if (!(k in summary) && !only.has(keyOf[k] ?? '')) summary[k] = v;
  }
  const order = ['online', 'saa', 'coverage'];
  rows.sort((a, b) => order.indexOf(sectionOf(a)) - order.indexOf(sectionOf(b)));
}

printTable(rows);
console.log('timings were taken on a shared 2-core machine with other jobs running; they are inflated and noisy');
const file = writeResults('uncertainty', { rows, summary, notes: ['Timings on a shared, loaded 2-core machine.'] });
console.log(`results: ${file}`);
