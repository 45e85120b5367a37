import { runStepsAsync, runStepsUnlessStopped, type PlacementModel, type SolveRun } from '@emplace/core';
import type { BackendName } from '@emplace/lp';
import { exactCapacitatedSearch, InfeasibleCapacities } from './capacitated.js';
import { runKCenterAsync, type KCenterResult } from './common.js';
import { buildCoverAsync, greedyCover, greedyFill, type CoverProblem } from './cover.js';
import { coverSearchAsync, type CoverSearchAnswer } from './cover-search.js';
import { minCoverMip, type CoverAnswer, type MipSettings } from './covering-mip.js';
import { evaluateOpen } from './evaluate.js';
import { gonzalezCore } from './gonzalez.js';
import { bottleneckSteps } from './hochbaum-shmoys.js';
import type { KCenterInstance } from './instance.js';
import { localSearchAsync } from './local-search.js';
import { exactOutlierSearch } from './outliers.js';
import { nextRadiusAbove, pickOrder, radiusLadderSteps, thresholdPick } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

/** Node budget of the depth-first covering decision before the MIP is asked instead (coverSearch also caps its work). */
const COVER_SEARCH_NODES = 200_000;
/** Work (incidence steps) of the depth-first decision: about half a second on this machine. */
const COVER_SEARCH_WORK = 1e8;
/**
 * Its work once a depth-first decision of the search ran out of budget: the subsets only grow
 * and the radii left are the ones near the answer, so the next questions are as hard, and
 * the MIP (started by then) settles most of them in 40-65 ms. On a generated pmed-style
 * 500-node p = 50 instance (compare/run.ts --generated --seed=6121, pcenter-500-p50) four
 * questions at r = 21 ran out after 112-527 ms each, 1.17 s of the 2.1 s solve.
 */
const COVER_SEARCH_WORK_AFTER_MISS = COVER_SEARCH_WORK / 16;

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
 * for the next radii. Every phase yields to the event loop (`run.tick()`), so an abort is
 * seen within a few milliseconds and returns the incumbent.
 */
export async function exactSearch(inst: KCenterInstance, run: SolveRun, backend: BackendName): Promise<SearchOutcome> {
  const search = new RadiusSearch(inst, run, backend);
  await search.approximate();
  if (search.best.radius > search.bound) await search.bisect();
  return search.outcome();
}

/** The state of the exact radius search: incumbent, proven bound, the clients found hard so far, counters. */
class RadiusSearch {
  best!: KCenterSolution;
  bound = 0;
  readonly stats = { radiiTested: 0, mipSolves: 0, subsetMax: 0, packingNo: 0, greedyYes: 0, coverSearchMisses: 0 };
  readonly settings: MipSettings;
  /** Centres free to place (k minus the pre-opened sites). */
  readonly free: number;
  readonly order: Int32Array;
  readonly marked: Uint8Array;
  /** Clients that were hard once (picked by a packing test, critical, or left uncovered by a subset cover). */
  readonly hard = new Set<number>();

  constructor(
    readonly inst: KCenterInstance,
    readonly run: SolveRun,
    backend: BackendName,
  ) {
    this.settings = { backend, deadline: run.deadline, signal: run.options.signal };
    this.free = inst.k - inst.mustOpen.length;
    this.order = pickOrder(inst);
    this.marked = new Uint8Array(inst.nC);
  }

  /** Gonzalez, Hochbaum-Shmoys and swap local search: the incumbent and the packing bound to start from. */
  async approximate(): Promise<void> {
    const { inst, run } = this;
    const g = gonzalezCore(inst, run);
    this.best = evaluateOpen(inst, g.open);
    // Each improvement goes to options.onIncumbent (a pool returns it if the worker is killed).
    run.incumbent(this.best.radius, () => this.best, true);
    for (const j of g.picks) this.hard.add(j);
    this.bound = g.bound;
    if (await run.tick()) return;
    const hs = await runStepsAsync(bottleneckSteps(inst, run, g.bound, this.best.radius), run);
    if (hs) {
      this.offerSolution(hs.solution);
      this.bound = Math.max(this.bound, hs.bound);
      if (hs.solution.criticalClient >= 0) this.hard.add(hs.solution.criticalClient);
    }
    if (await run.tick()) return;
    const ls = await localSearchAsync(inst, run, this.best.open);
    this.offer(ls.open);
    run.progress({ phase: 'approximation', incumbent: this.best.radius, bound: this.bound }, true);
  }

  /**
   * Invariant: `bound` is the smallest radius not refuted (a candidate or the packing
   * bound), best.radius is feasible; each step tests the median candidate between them.
   */
  async bisect(): Promise<void> {
    const { inst, run, stats } = this;
    let slowDecisions = false;
    while (this.bound < this.best.radius) {
      if (await run.tick()) break;
      // The scans of the matrix yield (a 2000 x 2000 one is 4M distances); a stop part way ends the search.
      const ladder = await runStepsUnlessStopped(radiusLadderSteps(inst, this.bound, this.best.radius), run);
      if (!ladder) break;
      const cand = ladder.values;
      // Bisection; once a radius has taken long to decide, step a quarter of the way up
      // instead: refutations close to the bound are cheap, and each one raises it.
      const mid = Math.floor((cand.length - 1) * (slowDecisions ? 0.25 : 0.5));
      if (cand.length < 2 || !(cand[mid]! < this.best.radius)) {
        // Only the incumbent radius is left: it is optimal.
        this.bound = this.best.radius;
        break;
      }
      const r = cand[mid]!;
      stats.radiiTested++;
      const t0 = performance.now();
      const ans = await this.decide(r);
      if (performance.now() - t0 > 5000) slowDecisions = true;
      if (ans.answer === 'yes') {
        // A yes at r must bring the incumbent to r or below, else the interval would not shrink.
        if (this.offer(ans.sites).radius > r) throw new Error(`kcenter exact: the cover found at radius ${r} is not a plan within it (internal)`);
      }
      if (ans.answer === 'no') {
        this.bound = Math.max(this.bound, ladder.exact ? cand[mid + 1]! : nextRadiusAbove(inst, r));
      } else if (ans.answer === 'unknown') {
        run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
        break;
      }
      run.progress({ phase: 'radius-search', incumbent: this.best.radius, bound: this.bound, iterations: stats.radiiTested });
    }
  }

  outcome(): SearchOutcome {
    const proven = this.bound >= this.best.radius;
    return { solution: this.best, bound: proven ? this.best.radius : this.bound, proven, stats: this.stats };
  }

  /** Any set of open sites met on the way may improve the incumbent. */
  offer(open: ArrayLike<number>): KCenterSolution {
    const sol = evaluateOpen(this.inst, open);
    this.offerSolution(sol);
    return sol;
  }

  private offerSolution(sol: KCenterSolution): void {
    if (sol.radius < this.best.radius) {
      this.best = sol;
      this.run.incumbent(sol.radius, () => sol, true);
    }
  }

  /** The covering question at radius r: packing test, reductions, greedy cover, then covers of growing client subsets. */
  async decide(r: number): Promise<CoverAnswer> {
    const { inst, run, stats } = this;
    const pick = thresholdPick(inst, r, this.free, this.order, this.marked);
    if (pick.exceeded) {
      stats.packingNo++;
      return { answer: 'no', lowerBound: Infinity };
    }
    for (const j of pick.picks) this.hard.add(j);
    const tb = performance.now();
    const cp = await buildCoverAsync(inst, r, run);
    if (cp === undefined) return { answer: 'unknown', lowerBound: 0 };
    const K = this.free - cp.forced.length;
    run.progress({ phase: 'reduce', incumbent: this.best.radius, bound: this.bound, message: `r=${r}: reduced in ${(performance.now() - tb).toFixed(0)} ms to ${cp.clients.length}/${cp.openClients} clients, ${cp.sites.length} sites, ${cp.forced.length} forced, K=${K}` }, true);
    if (cp.uncoverable >= 0 || K < 0) return { answer: 'no', lowerBound: Infinity };
    if (await run.tick()) return { answer: 'unknown', lowerBound: 0 };
    // The cover problem leaves out the pre-opened sites (their clients are served already), so a
    // cover is a plan only with them: without them a "yes" would not lower the incumbent and the
    // bisection would test the same radius forever.
    const toOpen = (positions: readonly number[]): number[] => [...inst.mustOpen, ...cp.forced, ...positions.map((p) => cp.sites[p]!)];
    if (cp.clients.length === 0) return { answer: 'yes', sites: toOpen([]) };
    const greedy = greedyCover(cp, K);
    if (greedy) {
      stats.greedyYes++;
      return { answer: 'yes', sites: toOpen(greedy) };
    }
    return new SubsetCover(this, cp, K, toOpen).decide();
  }
}

/**
 * The covering question at one radius by covers of a growing subset of its clients: a
 * subset that needs more than K sites proves "no"; a cover of the subset that covers
 * everybody (directly, after a greedy repair or a swap search) proves "yes"; otherwise
 * clients it leaves uncovered join the subset.
 */
class SubsetCover {
  readonly inSubset: Uint8Array;
  readonly subset: number[] = [];
  readonly chosenMark: Uint8Array;
  /** A solve took long: ask the MIP for any cover within K rather than a minimum one. */
  slow = false;

  constructor(
    readonly search: RadiusSearch,
    readonly cp: CoverProblem,
    readonly K: number,
    readonly toOpen: (positions: readonly number[]) => number[],
  ) {
    const n = cp.clients.length;
    this.inSubset = new Uint8Array(n);
    this.chosenMark = new Uint8Array(cp.sites.length);
    for (let c = 0; c < n; c++) if (search.hard.has(cp.clients[c]!)) this.add(c);
    if (this.subset.length === 0) addSpread(cp, Array.from({ length: n }, (_, c) => c), (c) => this.add(c), n);
  }

  add(c: number): void {
    if (!this.inSubset[c]) {
      this.inSubset[c] = 1;
      this.subset.push(c);
    }
  }

  async decide(): Promise<CoverAnswer> {
    const { cp, K, subset, search } = this;
    const { run, stats } = search;
    for (;;) {
      if (await run.tick()) return { answer: 'unknown', lowerBound: 0 };
      stats.mipSolves++;
      stats.subsetMax = Math.max(stats.subsetMax, subset.length);
      const tm = performance.now();
      const res = await this.coverSubset();
      if (res === undefined) return { answer: 'unknown', lowerBound: 0 };
      if (performance.now() - tm > 400) this.slow = true;
      run.progress({ phase: 'cover-mip', message: `r=${cp.r}: subset of ${subset.length} clients -> min cover ${res.value ?? '?'} (bound ${res.lowerBound}, ${res.status}) in ${(performance.now() - tm).toFixed(0)} ms` }, true);
      if (res.lowerBound > K) return { answer: 'no', lowerBound: res.lowerBound };
      if (!res.sites) return { answer: 'unknown', lowerBound: res.lowerBound };
      const uncovered = this.uncoveredBy(res.sites);
      if (res.sites.length <= K) {
        const yes = await this.completeCover(res.sites, uncovered);
        if (yes) return yes;
      }
      if (res.status === 'stopped') return { answer: 'unknown', lowerBound: res.lowerBound };
      if (uncovered.length === 0) return { answer: 'no', lowerBound: res.lowerBound }; // optimal cover of everyone > K
      const before = subset.length;
      addSpread(cp, uncovered, (c) => this.add(c), Math.max(20, Math.ceil(subset.length / 2)));
      for (let q = before; q < subset.length; q++) search.hard.add(cp.clients[subset[q]!]!);
    }
  }

  /**
   * A cover of the subset: a small question is settled by a depth-first search (no MIP
   * start-up), the MIP takes the rest. Small subsets ask for a minimum cover (its slack
   * below K helps the greedy repair); once a solve gets slow, the decision form (any cover
   * with <= K sites) lets the backend stop at its first solution. Undefined when the run stops.
   */
  private async coverSubset(): Promise<Awaited<ReturnType<typeof minCoverMip>> | CoverSearchAnswer | undefined> {
    const { search, cp, subset, K } = this;
    const dfsAns = await coverSearchAsync(cp, subset, K, COVER_SEARCH_NODES, search.run, search.stats.coverSearchMisses > 0 ? COVER_SEARCH_WORK_AFTER_MISS : COVER_SEARCH_WORK);
    if (dfsAns === null && search.run.shouldStop()) return undefined;
    if (dfsAns === null) search.stats.coverSearchMisses++;
    return dfsAns ?? (await minCoverMip(cp, subset, search.settings, this.slow ? K : undefined));
  }

  /** Clients (positions) that no site of `sites` covers. */
  private uncoveredBy(sites: readonly number[]): number[] {
    const { cp, chosenMark } = this;
    chosenMark.fill(0);
    for (const s of sites) chosenMark[s] = 1;
    const uncovered: number[] = [];
    for (let c = 0; c < cp.clients.length; c++) {
      let ok = false;
      for (let t = cp.start[c]!; t < cp.start[c + 1]! && !ok; t++) if (chosenMark[cp.adj[t]!]) ok = true;
      if (!ok) uncovered.push(c);
    }
    return uncovered;
  }

  /** A cover of everybody within K from a subset cover: itself, its greedy repair, or a swap search from the repair. */
  private async completeCover(sites: number[], uncovered: readonly number[]): Promise<CoverAnswer | undefined> {
    const { cp, K, toOpen, search } = this;
    if (uncovered.length === 0) return { answer: 'yes', sites: toOpen(sites) };
    const repaired = greedyFill(cp, K, sites);
    if (repaired.complete) return { answer: 'yes', sites: toOpen(repaired.chosen) };
    // Swap local search on the k-center objective from the repaired sites: a cover
    // within r that the subset MIP alone would need many more rounds to reach.
    const open = toOpen(repaired.chosen);
    const { inst, run } = search;
    const ls = await localSearchAsync(inst, run, [...inst.mustOpen, ...open], Math.min(1000, Math.max(50, 0.05 * run.remainingMs())));
    const sol = search.offer(ls.open);
    if (sol.radius <= cp.r) return { answer: 'yes', sites: Array.from(sol.open) };
    return undefined;
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
        if (!err.proven) {
          // The MIP was cut short (abort or time limit), which its own status does not mark on the run.
          run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
          return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, warnings: [err.reason] });
        }
        return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: err.reason, fields: ['sites[].capacity', 'clients[].demand'] } });
      }
      throw err;
    }
    if (out.solution.radius === Infinity) return uncoverable(run, out, inst.z);
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

/**
 * No k sites serve every client (`allowed` pairs, forbidden sites): proven when the search
 * finished, since it then refuted a cover at every finite radius; otherwise a limit stopped it.
 */
function uncoverable(run: SolveRun, out: SearchOutcome, z: number): KCenterResult {
  if (!out.proven) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats: out.stats });
  return run.unsolved({
    status: 'infeasible',
    guarantee: { kind: 'exact' },
    certificate: {
      reason: `no k sites serve every client${z > 0 ? ` but ${z} outliers` : ''} through the allowed pairs: the exact search refuted a cover at every finite radius`,
      fields: ['allowed', 'sites[].forbidden', 'options.k'],
    },
    stats: out.stats,
  });
}
