import { ModelError, requireInteger, runSteps, runStepsAsync, SolveRun, yieldToEventLoop, type PlacementModel, type Result, type Steps } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { runUntilStop } from './common.js';
import { evaluateCoverage, prepareCoverageSteps, type CoverageData } from './coverage-instance.js';
import type { CoverageSolution, MclpOptions } from './coverage-types.js';

export type MclpResult = Result<CoverageSolution>;

/**
 * The MCLP after reductions: clients already covered by a pre-opened site are a constant;
 * clients with the same covering sites are merged (demands added); clients with no free
 * covering site are dropped; a site whose merged clients are all covered by another kept
 * site is dropped (some optimum never needs it: swapping it for the dominating site, or
 * for any unused site when that one is open too, loses nothing).
 */
interface ReducedMclp {
  /** Free sites to choose from (instance indices). */
  sites: Int32Array;
  /** Merged clients: demand and CSR -> positions in `sites`. */
  weight: Float64Array;
  start: Int32Array;
  adj: Int32Array;
  /** Same relation, site position -> merged clients. */
  sStart: Int32Array;
  sAdj: Int32Array;
  /** Demand already covered by pre-opened sites. */
  base: number;
  /** Free sites to open: k minus pre-opened. */
  K: number;
}

interface Setup {
  run: SolveRun;
  data: CoverageData;
  k: number;
}

function* setupSteps(model: PlacementModel, opts: MclpOptions, method: string, run: SolveRun, onlySites?: (must: readonly number[], openable: readonly number[]) => number[]): Steps<Setup | MclpResult> {
  const data = yield* prepareCoverageSteps(model, opts.radius, { capacities: false, family: 'mclp' }, onlySites);
  if (opts.k === undefined) throw new ModelError('options.k', 'is required: the number of sites to open');
  const k = requireInteger('options.k', opts.k, 0);
  if (data.mustOpen.length > k) {
    return run.unsolved({
      status: 'infeasible',
      guarantee: method === 'exact' ? { kind: 'exact' } : { kind: 'heuristic' },
      certificate: { reason: `${data.mustOpen.length} sites are pre-opened (mustOpen) but k = ${k}`, fields: Array.from(data.mustOpen, (s) => `sites[${s}].mustOpen`) },
      warnings: data.warnings,
    });
  }
  return { run, data, k };
}

function setup(model: PlacementModel, options: MclpOptions | undefined, method: string): Setup | MclpResult {
  const run = new SolveRun(options ?? {}, `mclp:${method}`, 'max');
  return runSteps(setupSteps(model, options ?? {}, method, run));
}

/**
 * setup yielding to the event loop inside the scans of the cost matrix (issue 13: setup,
 * reduction and the MIP build held the loop 30-70 ms on 500 x 500); no-solution when the
 * run stops before the covering relation is built (there is no plan yet).
 */
async function setupAsync(model: PlacementModel, options: MclpOptions | undefined, method: string): Promise<Setup | MclpResult> {
  // The registry's model checks before this call read the whole cost matrix: the event loop gets its turn first.
  await yieldToEventLoop();
  const run = new SolveRun(options ?? {}, `mclp:${method}`, 'max');
  const s = await runUntilStop(setupSteps(model, options ?? {}, method, run), run);
  return s ?? firstSitesPlan(model, options ?? {}, method, run);
}

/**
 * The plan of a run stopped before its covering relation was built (the input is valid:
 * prepareCoverageSteps validates before its first pause): the pre-opened sites and the
 * first allowed ones up to k, with their true coverage from k rows of the cost matrix (a
 * fraction of a millisecond), instead of no solution. Not optimized; the bound is the
 * total demand.
 */
function firstSitesPlan(model: PlacementModel, opts: MclpOptions, method: string, run: SolveRun): MclpResult {
  const guarantee = method === 'exact' ? ({ kind: 'exact' } as const) : ({ kind: 'heuristic' } as const);
  let k = 0;
  const pick = (must: readonly number[], openable: readonly number[]): number[] => {
    const chosen = new Set(must);
    for (const site of openable) {
      if (chosen.size >= k) break;
      chosen.add(site);
    }
    return Array.from(chosen).sort((a, b) => a - b);
  };
  if (opts.k === undefined) throw new ModelError('options.k', 'is required: the number of sites to open');
  k = requireInteger('options.k', opts.k, 0);
  const setup = runSteps(setupSteps(model, opts, method, run, pick));
  if ('status' in setup) return setup;
  const { data } = setup;
  const sol = evaluateCoverage(data, padTo(data, Array.from(data.openable), k));
  return run.solved({
    solution: sol,
    objective: sol.coveredDemand,
    bound: Math.max(sol.coveredDemand, data.totalDemand),
    guarantee,
    stats: { reducedSites: 0, reducedClients: 0 },
    warnings: [...data.warnings, `stopped before the covering relation was built: the first ${k} allowed sites (pre-opened ones first), not optimized`],
  });
}

/** Clients of the reduction between two checkpoints, and candidate sites of its dominance test. */
const REDUCE_CLIENTS_PER_STEP = 256;
const REDUCE_SITES_PER_STEP = 16;

/**
 * The reductions of ReducedMclp, as steps (the reduced problem is the same however it is
 * driven). With `stop`, a stop seen in the site dominance test ends it: the sites not yet
 * tested are kept (fewer reductions, the same problem).
 */
export function* reduceSteps(data: CoverageData, k: number, stop?: () => boolean): Steps<ReducedMclp> {
  const { nC, nS, cStart, cAdj, isMust, demand } = data;
  let base = 0;
  const key = new Map<string, number>();
  const groupWeight: number[] = [];
  const groupSites: number[][] = [];
  const buf: number[] = [];
  for (let j = 0; j < nC; j++) {
    if (j % REDUCE_CLIENTS_PER_STEP === REDUCE_CLIENTS_PER_STEP - 1) yield;
    buf.length = 0;
    let byMust = false;
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) {
      const s = cAdj[t]!;
      if (isMust[s]) { byMust = true; break; }
      buf.push(s);
    }
    if (byMust) { base += demand[j]!; continue; }
    if (buf.length === 0 || demand[j] === 0) continue;
    const id = buf.join(',');
    const g = key.get(id);
    if (g === undefined) {
      key.set(id, groupSites.length);
      groupSites.push(buf.slice());
      groupWeight.push(demand[j]!);
    } else groupWeight[g]! += demand[j]!;
  }
  yield;
  const kept = yield* undominatedSitesSteps(nS, groupSites, stop);
  yield;
  const { start, adj, sStart, sAdj } = reducedRelation(nS, kept, groupSites);
  return { sites: Int32Array.from(kept), weight: Float64Array.from(groupWeight), start, adj, sStart, sAdj, base, K: k - data.mustOpen.length };
}

/**
 * Site dominance over bitsets of merged clients: heaviest sites first, a site is dropped
 * when a kept site covers a superset of its clients. The kept sites, ascending.
 */
function* undominatedSitesSteps(nS: number, groupSites: readonly number[][], stop?: () => boolean): Steps<number[]> {
  const n = groupSites.length;
  const words = (n + 31) >>> 5;
  const siteClients: number[][] = Array.from({ length: nS }, () => []);
  for (let c = 0; c < n; c++) for (const s of groupSites[c]!) siteClients[s]!.push(c);
  const cand: number[] = [];
  for (let s = 0; s < nS; s++) if (siteClients[s]!.length > 0) cand.push(s);
  const kept: number[] = [];
  if (words * cand.length <= 4_000_000) {
    const bits = new Uint32Array(nS * words);
    for (const s of cand) for (const c of siteClients[s]!) bits[s * words + (c >>> 5)]! |= 1 << (c & 31);
    cand.sort((a, b) => siteClients[b]!.length - siteClients[a]!.length || a - b);
    for (let q = 0; q < cand.length; q++) {
      // Each candidate is tested against every kept site (O(kept x words)).
      if (q % REDUCE_SITES_PER_STEP === REDUCE_SITES_PER_STEP - 1) {
        yield;
        // Stopped (the test was 25 ms of a 50 ms stretch after an abort at 2000 x 2000): keep the rest.
        if (stop?.()) {
          kept.push(...cand.slice(q));
          break;
        }
      }
      const s = cand[q]!;
      let dominated = false;
      for (const t of kept) {
        if (siteClients[t]!.length < siteClients[s]!.length) break;
        let sub = true;
        for (let w = 0; w < words; w++) {
          const a = bits[s * words + w]!;
          if ((a & bits[t * words + w]!) !== a) { sub = false; break; }
        }
        if (sub) { dominated = true; break; }
      }
      if (!dominated) kept.push(s);
    }
  } else {
    kept.push(...cand);
  }
  return kept.sort((a, b) => a - b);
}

/** The merged clients' covering relation over the kept sites, both ways (CSR, positions in `kept`). */
function reducedRelation(nS: number, kept: readonly number[], groupSites: readonly number[][]): { start: Int32Array; adj: Int32Array; sStart: Int32Array; sAdj: Int32Array } {
  const n = groupSites.length;
  const pos = new Int32Array(nS).fill(-1);
  kept.forEach((s, p) => (pos[s] = p));
  // Counted, then filled into typed arrays (a growing number[] of every entry was 19-34 ms
  // after a stop at 2000 x 2000, when the dominance test keeps every site).
  const start = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) {
    let count = 0;
    for (const s of groupSites[c]!) if (pos[s]! >= 0) count++;
    start[c + 1] = start[c]! + count;
  }
  const adj = new Int32Array(start[n]!);
  for (let c = 0, t = 0; c < n; c++) for (const s of groupSites[c]!) if (pos[s]! >= 0) adj[t++] = pos[s]!;
  const m = kept.length;
  const sStart = new Int32Array(m + 1);
  for (let t = 0; t < adj.length; t++) sStart[adj[t]! + 1]!++;
  for (let p = 0; p < m; p++) sStart[p + 1]! += sStart[p]!;
  const sAdj = new Int32Array(adj.length);
  const fill = sStart.slice(0, m);
  for (let c = 0; c < n; c++) for (let t = start[c]!; t < start[c + 1]!; t++) sAdj[fill[adj[t]!]!++] = c;
  return { start, adj, sStart, sAdj };
}

/**
 * Greedy maximum coverage on the reduced problem. Also an upper bound: at every step,
 * covered + the K largest marginal gains bounds the optimum (coverage is submodular).
 */
/** Steps: a checkpoint after each site chosen (each scans every site). */
function* greedy(r: ReducedMclp, run: SolveRun): Steps<{ chosen: number[]; upper: number }> {
  const m = r.sites.length;
  const gain = new Float64Array(m);
  for (let p = 0; p < m; p++) for (let t = r.sStart[p]!; t < r.sStart[p + 1]!; t++) gain[p]! += r.weight[r.sAdj[t]!]!;
  const covered = new Uint8Array(r.weight.length);
  const chosen: number[] = [];
  let value = 0;
  let upper = Infinity;
  const top = new Float64Array(m);
  const bound = (): number => {
    top.set(gain);
    top.sort();
    let s = value;
    for (let q = 0; q < Math.min(r.K, m); q++) s += top[m - 1 - q]!;
    return s;
  };
  while (chosen.length < r.K) {
    upper = Math.min(upper, bound());
    let best = -1;
    for (let p = 0; p < m; p++) if (gain[p]! > 0 && (best < 0 || gain[p]! > gain[best]!)) best = p;
    if (best < 0) break;
    chosen.push(best);
    value += gain[best]!;
    for (let t = r.sStart[best]!; t < r.sStart[best + 1]!; t++) {
      const c = r.sAdj[t]!;
      if (covered[c]) continue;
      covered[c] = 1;
      for (let q = r.start[c]!; q < r.start[c + 1]!; q++) gain[r.adj[q]!]! -= r.weight[c]!;
    }
    yield;
    if (run.shouldStop()) break;
  }
  upper = Math.min(upper, bound());
  return { chosen, upper: r.base + upper };
}

/**
 * Swap local search (first improvement): replace one chosen site by one unchosen site
 * when that covers more demand. The gain of every swap out of site p is computed in one
 * pass over the relation with per-client cover counts.
 */
function* swapSearch(r: ReducedMclp, chosenIn: readonly number[], run: SolveRun): Steps<{ chosen: number[]; swaps: number }> {
  const m = r.sites.length;
  const n = r.weight.length;
  const chosen = [...chosenIn];
  // Fill up to K with the best additions first (an initial set may be short).
  const isChosen = new Uint8Array(m);
  for (const p of chosen) isChosen[p] = 1;
  const count = new Int32Array(n);
  for (const p of chosen) for (let t = r.sStart[p]!; t < r.sStart[p + 1]!; t++) count[r.sAdj[t]!]!++;
  const lossOnly = new Uint8Array(n);
  const gainWith = new Float64Array(m);
  let swaps = 0;
  let improved = true;
  while (improved && !run.shouldStop()) {
    improved = false;
    yield;
    if (chosen.length < r.K) {
      // Free slots: add the best site (plain greedy step).
      let best = -1;
      let bestGain = 0;
      for (let p = 0; p < m; p++) {
        if (isChosen[p]) continue;
        let g = 0;
        for (let t = r.sStart[p]!; t < r.sStart[p + 1]!; t++) if (count[r.sAdj[t]!] === 0) g += r.weight[r.sAdj[t]!]!;
        if (g > bestGain) { bestGain = g; best = p; }
      }
      if (best >= 0) {
        chosen.push(best);
        isChosen[best] = 1;
        for (let t = r.sStart[best]!; t < r.sStart[best + 1]!; t++) count[r.sAdj[t]!]!++;
        improved = true;
        continue;
      }
    }
    for (let a = 0; a < chosen.length && !improved; a++) {
      const out = chosen[a]!;
      // Demand lost when `out` closes: its clients covered only by it.
      let loss = 0;
      for (let t = r.sStart[out]!; t < r.sStart[out + 1]!; t++) {
        const c = r.sAdj[t]!;
        if (count[c] === 1) { lossOnly[c] = 1; loss += r.weight[c]!; }
      }
      let best = -1;
      let bestGain = loss + 1e-9 * Math.max(1, loss);
      for (let p = 0; p < m; p++) {
        if (isChosen[p]) continue;
        let g = 0;
        for (let t = r.sStart[p]!; t < r.sStart[p + 1]!; t++) {
          const c = r.sAdj[t]!;
          if (count[c] === 0 || lossOnly[c]) g += r.weight[c]!;
        }
        gainWith[p] = g;
        if (g > bestGain) { bestGain = g; best = p; }
      }
      for (let t = r.sStart[out]!; t < r.sStart[out + 1]!; t++) lossOnly[r.sAdj[t]!] = 0;
      if (best >= 0) {
        for (let t = r.sStart[out]!; t < r.sStart[out + 1]!; t++) count[r.sAdj[t]!]!--;
        for (let t = r.sStart[best]!; t < r.sStart[best + 1]!; t++) count[r.sAdj[t]!]!++;
        isChosen[out] = 0;
        isChosen[best] = 1;
        chosen[a] = best;
        swaps++;
        improved = true;
      }
      yield;
      if (run.shouldStop()) break;
    }
  }
  return { chosen, swaps };
}

/** Open sites from positions in the reduced problem (pre-opened first). */
function toOpen(data: CoverageData, r: ReducedMclp, chosen: readonly number[]): number[] {
  return [...data.mustOpen, ...chosen.map((p) => r.sites[p]!)];
}

/**
 * Adds arbitrary unused openable sites until k are open: extra sites never reduce the
 * coverage, and the caller asked for k.
 */
function padTo(data: CoverageData, open: number[], k: number): number[] {
  const used = new Set(open);
  for (const s of data.openable) {
    if (used.size >= k) break;
    if (!used.has(s)) { used.add(s); open.push(s); }
  }
  return open;
}

/**
 * Greedy MCLP with swap local search: at least (1 - 1/e) of the optimum (maximum
 * coverage is monotone submodular), and a proven upper bound from the greedy's marginal
 * gains.
 */
export function mclpGreedy(model: PlacementModel, options?: MclpOptions): MclpResult {
  const s = setup(model, options, 'greedy');
  return 'status' in s ? s : runSteps(mclpGreedySteps(s, options));
}

/** `mclpGreedy` yielding to the event loop in the greedy and the swaps (the registry's `mclp:greedy`). */
export async function mclpGreedyAsync(model: PlacementModel, options?: MclpOptions): Promise<MclpResult> {
  const s = await setupAsync(model, options, 'greedy');
  return 'status' in s ? s : runStepsAsync(mclpGreedySteps(s, options), s.run);
}

function* mclpGreedySteps(s: Setup, options: MclpOptions | undefined): Steps<MclpResult> {
  const { run, data, k } = s;
  const r = yield* reduceSteps(data, k, () => run.shouldStop());
  const g = yield* greedy(r, run);
  let start = g.chosen;
  if (options?.initial !== undefined) {
    const pos = new Map<number, number>();
    r.sites.forEach((site, p) => pos.set(site, p));
    start = [];
    Array.from(options.initial).forEach((site, i) => {
      const si = requireInteger(`options.initial[${i}]`, site, 0, data.nS - 1);
      const p = pos.get(si);
      if (p !== undefined && !start.includes(p)) start.push(p);
    });
    start = start.slice(0, r.K);
  }
  const ls = yield* swapSearch(r, start, run);
  const sol = evaluateCoverage(data, padTo(data, toOpen(data, r, ls.chosen), k));
  const ratio = 1 / (1 - 1 / Math.E);
  return run.solved({
    solution: sol,
    objective: sol.coveredDemand,
    bound: Math.max(sol.coveredDemand, Math.min(g.upper, data.totalDemand)),
    guarantee: options?.initial !== undefined ? { kind: 'heuristic' } : { kind: 'approximation', ratio },
    stats: { swaps: ls.swaps, reducedSites: r.sites.length, reducedClients: r.weight.length },
    warnings: data.warnings,
  });
}

/**
 * Exact MCLP through @emplace/lp on the reduced problem: max sum w_c z_c subject to
 * z_c <= sum of y over the sites covering c, sum y <= K, y binary, 0 <= z <= 1 (z is
 * integral at an optimum), warm-started from greedy + swap.
 */
export async function mclpExact(model: PlacementModel, options?: MclpOptions): Promise<MclpResult> {
  const s = await setupAsync(model, options, 'exact');
  if ('status' in s) return s;
  const { run, data, k } = s;
  // Finished after a stop too (its dominance test cut short): the greedy then gives the incumbent.
  const r = await runStepsAsync(reduceSteps(data, k, () => run.shouldStop()), run);
  const g = await runStepsAsync(greedy(r, run), run);
  const ls = await runStepsAsync(swapSearch(r, g.chosen, run), run);
  let chosen = ls.chosen;
  let bound = Math.min(g.upper, data.totalDemand);
  const m = r.sites.length;
  const n = r.weight.length;
  const value = (ch: readonly number[]): number => evaluateCoverage(data, toOpen(data, r, ch)).coveredDemand;
  let incumbent = value(chosen);
  const stats: Record<string, number> = { reducedSites: m, reducedClients: n, mip: 0 };
  if (m <= r.K) {
    chosen = Array.from({ length: m }, (_, p) => p);
    incumbent = value(chosen);
    bound = incumbent;
  } else if (incumbent < bound - 1e-9 * Math.max(1, bound) && !run.shouldStop()) {
    stats['mip'] = 1;
    // Stopped while the model was built: the local-search incumbent is the answer.
    const built = await runUntilStop(mipSteps(r, chosen), run);
    if (built === undefined) return finish(run, data, r, k, chosen, bound, stats);
    const { lp, warm, y0 } = built;
    const remaining = run.remainingMs();
    const res = await solveLp(lp, {
      backend: options?.backend ?? 'highs',
      ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
      ...(run.options.signal ? { signal: run.options.signal } : {}),
      warmStart: warm,
      mipRelGap: 1e-9,
    });
    if (res.stoppedBy !== 'converged') run.markStopped(res.stoppedBy);
    if (res.status === 'optimal' || res.status === 'feasible') {
      const mine: number[] = [];
      for (let p = 0; p < m; p++) if (res.solution.x[y0 + p]! > 0.5) mine.push(p);
      const v = value(mine);
      if (v > incumbent) { incumbent = v; chosen = mine; }
    }
    if (res.status === 'optimal' && res.objective !== undefined) bound = Math.min(bound, Math.max(incumbent, res.objective));
    else if (res.bound !== undefined) bound = Math.min(bound, res.bound);
  }
  return finish(run, data, r, k, chosen, bound, stats);
}

/** The exact method's result: the chosen sites padded to k, proven when they reach the bound. */
function finish(run: SolveRun, data: CoverageData, r: ReducedMclp, k: number, chosen: readonly number[], bound: number, stats: Record<string, number>): MclpResult {
  const sol = evaluateCoverage(data, padTo(data, toOpen(data, r, chosen), k));
  // The backend's bound carries rounding noise: within the tolerance the incumbent is optimal.
  const proven = sol.coveredDemand >= bound - 1e-9 * Math.max(1, Math.abs(bound));
  return run.solved({ solution: sol, objective: sol.coveredDemand, bound: proven ? sol.coveredDemand : Math.max(bound, sol.coveredDemand), proven, guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
}

/**
 * The reduced MIP (see mclpExact) and its warm start from `chosen`, as steps: a checkpoint
 * every REDUCE_CLIENTS_PER_STEP merged clients (one row each).
 */
function* mipSteps(r: ReducedMclp, chosen: readonly number[]): Steps<{ lp: LinearModel; warm: Float64Array; y0: number }> {
  const m = r.sites.length;
  const n = r.weight.length;
  const lp = new LinearModel('max');
  const y0 = lp.addVariables(m, { type: 'binary' });
  const z0 = lp.addVariables(n, { lb: 0, ub: 1 });
  for (let c = 0; c < n; c++) {
    if (c % REDUCE_CLIENTS_PER_STEP === REDUCE_CLIENTS_PER_STEP - 1) yield;
    lp.setObjective(z0 + c, r.weight[c]!);
    const idx = [z0 + c];
    const coef = [1];
    for (let t = r.start[c]!; t < r.start[c + 1]!; t++) { idx.push(y0 + r.adj[t]!); coef.push(-1); }
    lp.addLe(idx, coef, 0);
  }
  lp.addLe(Int32Array.from({ length: m }, (_, p) => y0 + p), new Float64Array(m).fill(1), r.K);
  lp.setObjectiveOffset(r.base);
  const warm = new Float64Array(m + n);
  const cov = new Uint8Array(n);
  for (const p of chosen) {
    warm[y0 + p] = 1;
    for (let t = r.sStart[p]!; t < r.sStart[p + 1]!; t++) cov[r.sAdj[t]!] = 1;
  }
  for (let c = 0; c < n; c++) warm[z0 + c] = cov[c]!;
  return { lp, warm, y0 };
}
