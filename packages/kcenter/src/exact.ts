import type { PlacementModel, SolveRun } from '@emplace/core';
import type { BackendName } from '@emplace/lp';
import { exactCapacitatedSearch, InfeasibleCapacities } from './capacitated.js';
import { runKCenterAsync, type KCenterResult } from './common.js';
import { buildCover, greedyCover, greedyFill, type CoverProblem } from './cover.js';
import { coverSearch } from './cover-search.js';
import { minCoverMip, type CoverAnswer, type MipSettings } from './covering-mip.js';
import { evaluateOpen } from './evaluate.js';
import { gonzalezCore } from './gonzalez.js';
import { bottleneckCore } from './hochbaum-shmoys.js';
import type { KCenterInstance } from './instance.js';
import { localSearchCore } from './local-search.js';
import { exactOutlierSearch } from './outliers.js';
import { nextRadiusAbove, pickOrder, radiusLadder, thresholdPick } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

/** Node budget of the depth-first covering decision before the MIP is asked instead (coverSearch also caps its work). */
const COVER_SEARCH_NODES = 200_000;

export interface SearchOutcome {
  solution: KCenterSolution;
  bound: number;
  proven: boolean;
  stats: Record<string, number>;
}

/**
 * Exact vertex k-center: binary search over the sorted distinct distances inside the
 * window [packing bound, best approximate radius] (a factor 2 on metric data), each
 * radius decided by the covering question.
 *
 * A covering question is answered by, in order: the Hochbaum-Shmoys packing test (a
 * quick "no"), the reductions of buildCover, a greedy cover (a quick "yes"), and finally
 * an exact set-cover MIP through @emplace/lp on a small subset of the clients that grows
 * only with clients the current centres leave uncovered (Contardo, Iori & Kramer 2019):
 * a minimum cover of the subset above K proves "no"; one that covers everybody (directly
 * or after a greedy repair) proves "yes". Clients that were hard once stay in the subset
 * for the next radii.
 */
export async function exactSearch(inst: KCenterInstance, run: SolveRun, backend: BackendName): Promise<SearchOutcome> {
  const g = gonzalezCore(inst, run);
  let best = evaluateOpen(inst, g.open);
  // Each improvement goes to options.onIncumbent (a pool returns it if the worker is killed).
  run.incumbent(best.radius, () => best, true);
  const hs = bottleneckCore(inst, run, g.bound, best.radius);
  if (hs && hs.solution.radius < best.radius) best = hs.solution;
  let bound = Math.max(g.bound, hs?.bound ?? 0);
  const ls = localSearchCore(inst, run, best.open);
  const lsSol = evaluateOpen(inst, ls.open);
  if (lsSol.radius < best.radius) best = lsSol;
  run.incumbent(best.radius, () => best, true);
  run.progress({ phase: 'approximation', incumbent: best.radius, bound }, true);
  const stats = { radiiTested: 0, mipSolves: 0, subsetMax: 0, packingNo: 0, greedyYes: 0 };
  if (best.radius <= bound) return { solution: best, bound: best.radius, proven: true, stats };

  const settings: MipSettings = { backend, deadline: run.deadline, signal: run.options.signal };
  const free = inst.k - inst.mustOpen.length;
  const order = pickOrder(inst);
  const marked = new Uint8Array(inst.nC);
  const hard = new Set<number>(g.picks);
  if (hs && hs.solution.criticalClient >= 0) hard.add(hs.solution.criticalClient);

  // Any set of open sites met on the way may improve the incumbent.
  const offer = (open: ArrayLike<number>): KCenterSolution => {
    const sol = evaluateOpen(inst, open);
    if (sol.radius < best.radius) {
      best = sol;
      run.incumbent(sol.radius, () => sol, true);
    }
    return sol;
  };
  const decide = async (r: number): Promise<CoverAnswer> => {
    const pick = thresholdPick(inst, r, free, order, marked);
    if (pick.exceeded) {
      stats.packingNo++;
      return { answer: 'no', lowerBound: Infinity };
    }
    for (const j of pick.picks) hard.add(j);
    const tb = performance.now();
    const cp = buildCover(inst, r);
    const K = free - cp.forced.length;
    run.progress({ phase: 'reduce', incumbent: best.radius, bound, message: `r=${r}: reduced in ${(performance.now() - tb).toFixed(0)} ms to ${cp.clients.length}/${cp.openClients} clients, ${cp.sites.length} sites, ${cp.forced.length} forced, K=${K}` }, true);
    if (cp.uncoverable >= 0 || K < 0) return { answer: 'no', lowerBound: Infinity };
    if (await run.tick()) return { answer: 'unknown', lowerBound: 0 };
    const toOpen = (positions: readonly number[]): number[] => [...cp.forced, ...positions.map((p) => cp.sites[p]!)];
    if (cp.clients.length === 0) return { answer: 'yes', sites: toOpen([]) };
    const greedy = greedyCover(cp, K);
    if (greedy) {
      stats.greedyYes++;
      return { answer: 'yes', sites: toOpen(greedy) };
    }
    return coverBySubsets(inst, cp, K, hard, settings, stats, toOpen, run, offer);
  };

  // Invariant: `bound` is the smallest radius not refuted (a candidate or the packing
  // bound), best.radius is feasible; each step tests the median candidate between them.
  let slowDecisions = false;
  while (bound < best.radius) {
    if (await run.tick()) break;
    const ladder = radiusLadder(inst, bound, best.radius);
    const cand = ladder.values;
    // Bisection; once a radius has taken long to decide, step a quarter of the way up
    // instead: refutations close to the bound are cheap, and each one raises it.
    const mid = Math.floor((cand.length - 1) * (slowDecisions ? 0.25 : 0.5));
    if (cand.length < 2 || !(cand[mid]! < best.radius)) {
      // Only the incumbent radius is left: it is optimal.
      bound = best.radius;
      break;
    }
    const r = cand[mid]!;
    stats.radiiTested++;
    const t0 = performance.now();
    const ans = await decide(r);
    if (performance.now() - t0 > 5000) slowDecisions = true;
    if (ans.answer === 'yes') offer(ans.sites);
    if (ans.answer === 'no') {
      bound = Math.max(bound, ladder.exact ? cand[mid + 1]! : nextRadiusAbove(inst, r));
    } else if (ans.answer === 'unknown') {
      run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
      break;
    }
    run.progress({ phase: 'radius-search', incumbent: best.radius, bound, iterations: stats.radiiTested });
  }
  const proven = bound >= best.radius;
  if (proven) bound = best.radius;
  return { solution: best, bound, proven, stats };
}

async function coverBySubsets(
  inst: KCenterInstance,
  cp: CoverProblem,
  K: number,
  hard: Set<number>,
  settings: MipSettings,
  stats: { mipSolves: number; subsetMax: number },
  toOpen: (positions: readonly number[]) => number[],
  run: SolveRun,
  offer: (open: ArrayLike<number>) => KCenterSolution,
): Promise<CoverAnswer> {
  const n = cp.clients.length;
  const inSubset = new Uint8Array(n);
  const subset: number[] = [];
  const add = (c: number): void => {
    if (!inSubset[c]) {
      inSubset[c] = 1;
      subset.push(c);
    }
  };
  for (let c = 0; c < n; c++) if (hard.has(cp.clients[c]!)) add(c);
  if (subset.length === 0) addSpread(cp, Array.from({ length: n }, (_, c) => c), add, n);
  const chosenMark = new Uint8Array(cp.sites.length);
  let slow = false;
  for (;;) {
    if (await run.tick()) return { answer: 'unknown', lowerBound: 0 };
    stats.mipSolves++;
    stats.subsetMax = Math.max(stats.subsetMax, subset.length);
    const tm = performance.now();
    // Small subsets: minimum cover (its slack below K helps the greedy repair). Once a
    // solve gets slow, the decision form (any cover with <= K sites) lets the backend
    // stop at its first solution.
    // A small question is settled by a depth-first search (no MIP start-up); the MIP takes the rest.
    const dfsAns = coverSearch(cp, subset, K, COVER_SEARCH_NODES, () => run.shouldStop());
    const res = dfsAns ?? (await minCoverMip(cp, subset, settings, slow ? K : undefined));
    if (performance.now() - tm > 400) slow = true;
    run.progress({ phase: 'cover-mip', message: `r=${cp.r}: subset of ${subset.length} clients -> min cover ${res.value ?? '?'} (bound ${res.lowerBound}, ${res.status}) in ${(performance.now() - tm).toFixed(0)} ms` }, true);
    if (res.lowerBound > K) return { answer: 'no', lowerBound: res.lowerBound };
    if (!res.sites) return { answer: 'unknown', lowerBound: res.lowerBound };
    const sites = res.sites;
    chosenMark.fill(0);
    for (const s of sites) chosenMark[s] = 1;
    const uncovered: number[] = [];
    for (let c = 0; c < n; c++) {
      let ok = false;
      for (let t = cp.start[c]!; t < cp.start[c + 1]! && !ok; t++) if (chosenMark[cp.adj[t]!]) ok = true;
      if (!ok) uncovered.push(c);
    }
    if (sites.length <= K && uncovered.length === 0) return { answer: 'yes', sites: toOpen(sites) };
    if (sites.length <= K) {
      const repaired = greedyFill(cp, K, sites);
      if (repaired.complete) return { answer: 'yes', sites: toOpen(repaired.chosen) };
      // Swap local search on the k-center objective from the repaired sites: a cover
      // within r that the subset MIP alone would need many more rounds to reach.
      const open = toOpen(repaired.chosen);
      const ls = localSearchCore(inst, run, [...inst.mustOpen, ...open], Math.min(1000, Math.max(50, 0.05 * run.remainingMs())));
      const sol = offer(ls.open);
      if (sol.radius <= cp.r) return { answer: 'yes', sites: Array.from(sol.open) };
    }
    if (res.status === 'stopped') return { answer: 'unknown', lowerBound: res.lowerBound };
    if (uncovered.length === 0) return { answer: 'no', lowerBound: res.lowerBound }; // optimal cover of everyone > K
    const before = subset.length;
    addSpread(cp, uncovered, add, Math.max(20, Math.ceil(subset.length / 2)));
    for (let q = before; q < subset.length; q++) hard.add(cp.clients[subset[q]!]!);
  }
}

/**
 * Adds up to `cap` of `pool` to the subset, first clients whose candidate sites are
 * pairwise disjoint (each forces one more centre), then the rest in order.
 */
function addSpread(cp: CoverProblem, pool: readonly number[], add: (c: number) => void, cap: number): void {
  const used = new Uint8Array(cp.sites.length);
  const taken = new Uint8Array(pool.length);
  let count = 0;
  for (let q = 0; q < pool.length && count < cap; q++) {
    const c = pool[q]!;
    let free = true;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) if (used[cp.adj[t]!]) { free = false; break; }
    if (!free) continue;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) used[cp.adj[t]!] = 1;
    taken[q] = 1;
    add(c);
    count++;
  }
  for (let q = 0; q < pool.length && count < cap; q++) {
    if (taken[q]) continue;
    add(pool[q]!);
    count++;
  }
}

/** kcenter:exact. */
export function exact(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, options, 'exact', { kind: 'exact' }, async (inst, run) => {
    const backend = options?.backend ?? 'highs';
    let out: SearchOutcome;
    try {
      out = inst.capacitated
      ? await exactCapacitatedSearch(inst, run, backend)
      : inst.z > 0
        ? await exactOutlierSearch(inst, run, backend)
        : await exactSearch(inst, run, backend);
    } catch (err) {
      if (err instanceof InfeasibleCapacities) {
        if (!err.proven) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, warnings: [err.reason] });
        return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: err.reason, fields: ['sites[].capacity', 'clients[].demand'] } });
      }
      throw err;
    }
    return run.solved({
      solution: out.solution,
      objective: out.solution.radius,
      bound: out.bound,
      proven: out.proven,
      guarantee: { kind: 'exact' },
      stats: out.stats,
    });
  });
}
