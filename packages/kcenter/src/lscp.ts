import { argsortStableSteps, runSteps, runStepsAsync, SolveRun, stepsUnlessStopped, yieldToEventLoop, type Guarantee, type PlacementModel, type Result, type Steps } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { coverSteps, greedyFill, type CoverProblem } from './cover.js';
import { minCoverMip } from './covering-mip.js';
import { asCoverInstance, evaluateCoverage, harmonic, prepareCoverageSteps, uncoverableClients, type CoverageData } from './coverage-instance.js';
import { runUntilStop } from './common.js';
import { greedyMulticoverSteps } from './coverage-greedy.js';
import { coverSwapSteps } from './coverage-swap.js';
import type { CoverageSolution, LscpOptions } from './coverage-types.js';

export type LscpResult = Result<CoverageSolution>;

/**
 * Location set covering (Toregas et al. 1971): open the fewest sites so that every client
 * has an open site within the radius; pre-opened sites count, optionally with capacities
 * (each client served whole by one covering site). The objective is the number of open
 * sites, pre-opened ones included.
 */
interface LscpSetup {
  run: SolveRun;
  data: CoverageData;
  capacitated: boolean;
}

function setup(model: PlacementModel, options: LscpOptions | undefined, method: string): LscpSetup | LscpResult {
  const run = new SolveRun(options ?? {}, `lscp:${method}`, 'min');
  return runSteps(setupSteps(model, options ?? {}, method, run));
}

/** setup yielding to the event loop inside the scans of the cost matrix; no-solution when the run stops first. */
async function setupAsync(model: PlacementModel, options: LscpOptions | undefined, method: string): Promise<LscpSetup | LscpResult> {
  // The registry's model checks before this call read the whole cost matrix (10-25 ms on
  // 500 x 500): the event loop gets its turn before the scans here start.
  await yieldToEventLoop();
  const run = new SolveRun(options ?? {}, `lscp:${method}`, 'min');
  const s = await runUntilStop(setupSteps(model, options ?? {}, method, run), run);
  return s ?? run.unsolved({ status: 'no-solution', guarantee: method === 'exact' ? { kind: 'exact' } : { kind: 'heuristic' } });
}

function* setupSteps(model: PlacementModel, opts: LscpOptions, method: string, run: SolveRun): Steps<LscpSetup | LscpResult> {
  let finite = false;
  if (model && model.kind === 'placement') {
    const nDims = model.dimensions.length;
    for (let s = 0; s < model.nSites; s++) if (model.capacity[s * nDims] !== Infinity) finite = true;
  }
  const capacitated = opts.capacitated ?? finite;
  const data = yield* prepareCoverageSteps(model, opts.radius, { capacities: capacitated, family: 'lscp' });
  const guarantee: Guarantee = method === 'exact' ? { kind: 'exact' } : { kind: 'heuristic' };
  const orphans = uncoverableClients(data);
  if (orphans.length > 0) {
    return run.unsolved({
      status: 'infeasible',
      guarantee,
      certificate: { reason: `${orphans.length} client(s) have no allowed, non-forbidden site within radius ${data.radius}`, fields: orphans.slice(0, 20).map((j) => `clients[${j}]`) },
      warnings: data.warnings,
    });
  }
  if (capacitated) {
    // A client heavier than every site that covers it cannot be placed.
    const cap = siteCapacities(data);
    for (let j = 0; j < data.nC; j++) {
      let fits = false;
      for (let t = data.cStart[j]!; t < data.cStart[j + 1]! && !fits; t++) if (cap[data.cAdj[t]!]! >= data.demand[j]!) fits = true;
      if (!fits) {
        return run.unsolved({
          status: 'infeasible',
          guarantee,
          certificate: { reason: `client ${j} demands ${data.demand[j]} but no site within radius ${data.radius} has that capacity`, fields: [`clients[${j}].demand`] },
          warnings: data.warnings,
        });
      }
    }
    // More demand than every site within reach of a client can hold together.
    const reach = new Uint8Array(data.nS);
    for (let t = 0; t < data.cStart[data.nC]!; t++) reach[data.cAdj[t]!] = 1;
    let held = 0;
    for (let i = 0; i < data.nS; i++) if (reach[i]) held += cap[i]!;
    let demanded = 0;
    for (let j = 0; j < data.nC; j++) demanded += data.demand[j]!;
    if (demanded > held * (1 + 1e-12)) {
      return run.unsolved({
        status: 'infeasible',
        guarantee,
        certificate: { reason: `the clients demand ${demanded} in all, but the sites within radius ${data.radius} of any client hold ${held}`, fields: ['sites[].capacity', 'clients[].demand'] },
        warnings: data.warnings,
      });
    }
  }
  return { run, data, capacitated };
}

function siteCapacities(data: CoverageData): Float64Array {
  const nDims = data.model.dimensions.length;
  return Float64Array.from({ length: data.nS }, (_, s) => data.model.capacity[s * nDims]!);
}

/**
 * Greedy LSCP: kcenter's covering reductions at the radius (clients covered by pre-opened
 * sites dropped, single-site clients force their site, dominated clients and sites
 * dropped), then greedy set cover, removal of redundant sites and two-for-one swaps; a
 * second start from the scarcity-weighted greedy on the full data, the smaller cover kept. Lower bound: clients
 * whose covering sites are pairwise disjoint each need their own site. With capacities:
 * a capacity-aware greedy opening and first-fit assignment (no bound).
 */
export function lscpGreedy(model: PlacementModel, options?: LscpOptions): LscpResult {
  const s = setup(model, options, 'greedy');
  return 'status' in s ? s : runSteps(lscpGreedySteps(s));
}

/** `lscpGreedy` yielding to the event loop between phases and inside the swaps (the registry's `lscp:greedy`). */
export async function lscpGreedyAsync(model: PlacementModel, options?: LscpOptions): Promise<LscpResult> {
  const s = await setupAsync(model, options, 'greedy');
  return 'status' in s ? s : runStepsAsync(lscpGreedySteps(s), s.run);
}

function* lscpGreedySteps(s: LscpSetup): Steps<LscpResult> {
  const { run, data, capacitated } = s;
  if (capacitated) {
    const h = capacitatedGreedy(data, run);
    if (!h) {
      // The greedy ran out of moves, which proves nothing: its work ended, not the question.
      run.hitIterationLimit();
      return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, warnings: [...data.warnings, 'the capacity-aware greedy found no feasible assignment (try lscp exact)'] });
    }
    const sol = evaluateCoverage(data, h.open, h.assignment);
    return run.solved({ solution: sol, objective: sol.open.length, guarantee: { kind: 'heuristic' }, warnings: data.warnings });
  }
  const g = yield* greedyUncapacitated(data, run);
  const sol = evaluateCoverage(data, g.open);
  const guarantee: Guarantee = g.greedy ? { kind: 'approximation', ratio: harmonic(Math.max(1, g.maxDegree)) } : { kind: 'heuristic' };
  return run.solved({ solution: sol, objective: sol.open.length, bound: g.lowerBound, guarantee, stats: { forced: g.forced, reducedClients: g.reducedClients, reducedSites: g.reducedSites, swaps: g.swaps }, warnings: data.warnings });
}

interface GreedyOutcome {
  open: number[];
  lowerBound: number;
  maxDegree: number;
  forced: number;
  reducedClients: number;
  reducedSites: number;
  swaps: number;
  /** The reduced problem; undefined when the run stopped before the reductions were done. */
  cp: CoverProblem | undefined;
  /** False for the one-pass cover of a run stopped during the reductions (no ratio holds for it). */
  greedy: boolean;
}

/**
 * Reductions, greedy cover, redundancy removal and swaps, then the second start; steps with a
 * checkpoint between phases and inside the swaps and the multicover greedy. A stop ends the
 * reductions at their next checkpoint (a one-pass cover is the answer then) and skips the
 * redundancy removal: at 2000 x 2000 the reductions, the greedy and the removal ran on for
 * 65-80 ms on CPU after an abort (issue 13).
 */
export function* greedyUncapacitated(data: CoverageData, run: SolveRun): Steps<GreedyOutcome> {
  // The reductions as steps (one 25-50 ms stretch on 500 x 500 when built at once).
  const cp = yield* stepsUnlessStopped(coverSteps(asCoverInstance(data), data.radius, false), () => run.shouldStop());
  if (!cp) {
    const open = firstSiteCover(data);
    const lowerBound = data.mustOpen.length + (open.length > data.mustOpen.length ? 1 : 0);
    return { open, lowerBound, maxDegree: 0, forced: 0, reducedClients: data.nC, reducedSites: data.openable.length, swaps: 0, cp, greedy: false };
  }
  yield;
  const g = greedyFill(cp, Infinity);
  yield;
  // Removing redundant sites only improves the greedy's cover: not worth a pass once stopped.
  const chosen = run.shouldStop() ? g.chosen : dropRedundant(cp, g.chosen);
  yield;
  // Close-one / two-for-one swaps on the full data (the reduced problem hides no move).
  const isOpen = new Uint8Array(data.nS);
  for (const q of [...data.mustOpen, ...cp.forced, ...chosen.map((p) => cp.sites[p]!)]) isOpen[q] = 1;
  const ones = new Float64Array(data.nS).fill(1);
  let swaps = yield* coverSwapSteps(data, isOpen, 1, ones, run);
  // Second start on the unreduced data: the scarcity-weighted multicover greedy (clients
  // with few sites first), also swapped; the smaller cover wins.
  // (Its needs, one pass over the relation, only when it will run.)
  const second = new Uint8Array(data.nS);
  for (const q of data.mustOpen) second[q] = 1;
  const need = new Int32Array(run.shouldStop() ? 0 : data.nC).fill(1);
  for (let j = 0; j < need.length; j++) for (let t = data.cStart[j]!; t < data.cStart[j + 1]!; t++) if (second[data.cAdj[t]!]) need[j] = 0;
  if (!run.shouldStop() && (yield* greedyMulticoverSteps(data, need, ones, second, run))) {
    swaps += yield* coverSwapSteps(data, second, 1, ones, run);
    let a = 0;
    let b = 0;
    for (let q = 0; q < data.nS; q++) { a += isOpen[q]!; b += second[q]!; }
    if (b < a) isOpen.set(second);
  }
  const open: number[] = [];
  for (let q = 0; q < data.nS; q++) if (isOpen[q]) open.push(q);
  let maxDegree = 0;
  const deg = new Int32Array(cp.sites.length);
  for (let t = 0; t < cp.adj.length; t++) deg[cp.adj[t]!]!++;
  for (let p = 0; p < deg.length; p++) maxDegree = Math.max(maxDegree, deg[p]!);
  const packing = yield* packingBoundSteps(cp);
  return {
    open,
    lowerBound: data.mustOpen.length + cp.forced.length + packing,
    maxDegree,
    forced: cp.forced.length,
    reducedClients: cp.clients.length,
    reducedSites: cp.sites.length,
    swaps,
    cp,
    greedy: true,
  };
}

/**
 * A cover in one pass over the covering relation, for a run stopped before its reductions
 * were done: the pre-opened sites, then each client not yet covered opens its first
 * covering site (every client has one: setup answered infeasible otherwise). Ascending.
 */
export function firstSiteCover(data: CoverageData): number[] {
  const { nC, nS, cStart, cAdj, sStart, sAdj } = data;
  const isOpen = new Uint8Array(nS);
  const covered = new Uint8Array(nC);
  const take = (s: number): void => {
    isOpen[s] = 1;
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) covered[sAdj[t]!] = 1;
  };
  for (const s of data.mustOpen) take(s);
  for (let j = 0; j < nC; j++) if (!covered[j]) take(cAdj[cStart[j]!]!);
  const open: number[] = [];
  for (let s = 0; s < nS; s++) if (isOpen[s]) open.push(s);
  return open;
}

/** Removes chosen sites (latest first) whose clients all stay covered by the others. */
function dropRedundant(cp: CoverProblem, chosen: readonly number[]): number[] {
  const n = cp.clients.length;
  const isChosen = new Uint8Array(cp.sites.length);
  for (const p of chosen) isChosen[p] = 1;
  const count = new Int32Array(n);
  for (let c = 0; c < n; c++) for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) if (isChosen[cp.adj[t]!]) count[c]!++;
  // site position -> reduced clients (transpose).
  const sStart = new Int32Array(cp.sites.length + 1);
  for (let t = 0; t < cp.adj.length; t++) sStart[cp.adj[t]! + 1]!++;
  for (let p = 0; p < cp.sites.length; p++) sStart[p + 1]! += sStart[p]!;
  const sAdj = new Int32Array(cp.adj.length);
  const fill = sStart.slice(0, cp.sites.length);
  for (let c = 0; c < n; c++) for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) sAdj[fill[cp.adj[t]!]!++] = c;
  for (let q = chosen.length - 1; q >= 0; q--) {
    const p = chosen[q]!;
    let needed = false;
    for (let t = sStart[p]!; t < sStart[p + 1]! && !needed; t++) if (count[sAdj[t]!] === 1) needed = true;
    if (needed) continue;
    isChosen[p] = 0;
    for (let t = sStart[p]!; t < sStart[p + 1]!; t++) count[sAdj[t]!]!--;
  }
  return chosen.filter((p) => isChosen[p] === 1);
}

/** Clients (fewest sites first) whose covering sites are pairwise disjoint: each needs a distinct open site. */
function* packingBoundSteps(cp: CoverProblem): Steps<number> {
  const n = cp.clients.length;
  // Fewest sites first, ties by index: core's stable radix argsort on the degrees, in steps.
  const degree = new Float64Array(n);
  for (let c = 0; c < n; c++) degree[c] = cp.start[c + 1]! - cp.start[c]!;
  const order = yield* argsortStableSteps(degree);
  const used = new Uint8Array(cp.sites.length);
  let count = 0;
  // A checkpoint every 2^15 adjacency entries read (with the sort, 8.5 ms at 2000 x 2000 in the
  // stretch before the covering MIP, issue 13).
  let work = 0;
  for (let q = 0; q < n; q++) {
    const c = order[q]!;
    work += 1 + cp.start[c + 1]! - cp.start[c]!;
    if (work >= 1 << 15) {
      work = 0;
      yield;
    }
    let free = true;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) if (used[cp.adj[t]!]) { free = false; break; }
    if (!free) continue;
    for (let t = cp.start[c]!; t < cp.start[c + 1]!; t++) used[cp.adj[t]!] = 1;
    count++;
  }
  return count;
}

/**
 * Capacity-aware greedy: repeatedly open the site that can take the most unassigned
 * demand within the radius (capped by its capacity), assigning it clients with the fewest
 * alternatives first, largest demand first among them. Pre-opened sites are filled first.
 */
function capacitatedGreedy(data: CoverageData, run: SolveRun): { open: number[]; assignment: Int32Array } | undefined {
  const { nC, nS, sStart, sAdj, cStart, demand } = data;
  const cap = siteCapacities(data);
  const left = Float64Array.from(cap);
  const assignment = new Int32Array(nC).fill(-1);
  const isOpen = new Uint8Array(nS);
  const open: number[] = [];
  let unassigned = nC;
  const alternatives = (j: number): number => cStart[j + 1]! - cStart[j]!;
  const fillSite = (s: number): void => {
    const mine: number[] = [];
    for (let t = sStart[s]!; t < sStart[s + 1]!; t++) if (assignment[sAdj[t]!]! < 0) mine.push(sAdj[t]!);
    mine.sort((a, b) => alternatives(a) - alternatives(b) || demand[b]! - demand[a]! || a - b);
    for (const j of mine) {
      if (demand[j]! <= left[s]! + 1e-9) {
        assignment[j] = s;
        left[s]! -= demand[j]!;
        unassigned--;
      }
    }
  };
  for (const s of data.mustOpen) {
    isOpen[s] = 1;
    open.push(s);
    fillSite(s);
  }
  while (unassigned > 0) {
    if (run.shouldStop()) return undefined;
    let best = -1;
    let bestGain = 0;
    for (const s of data.openable) {
      if (isOpen[s]) continue;
      let g = 0;
      for (let t = sStart[s]!; t < sStart[s + 1]!; t++) if (assignment[sAdj[t]!]! < 0) g += Math.max(demand[sAdj[t]!]!, 1e-9);
      g = Math.min(g, Math.max(cap[s]!, 1e-9));
      if (g > bestGain) { bestGain = g; best = s; }
    }
    if (best < 0) return undefined;
    isOpen[best] = 1;
    open.push(best);
    const before = unassigned;
    fillSite(best);
    if (unassigned === before) return undefined;
  }
  return { open, assignment };
}

/**
 * Exact LSCP through @emplace/lp. Uncapacitated: the reduced set-cover MIP of kcenter
 * (min sum y over the reduced sites, one covering row per reduced client), its bound
 * combined with the packing bound. Capacitated: min sum y subject to every client
 * assigned whole to one open covering site and sum of assigned demand <= capacity x y,
 * warm-started from the greedy.
 */
export async function lscpExact(model: PlacementModel, options?: LscpOptions): Promise<LscpResult> {
  const s = await setupAsync(model, options, 'exact');
  if ('status' in s) return s;
  const { run, data, capacitated } = s;
  const backend = options?.backend ?? 'highs';
  if (capacitated) return capacitatedMip(data, run, backend);
  const g = await runStepsAsync(greedyUncapacitated(data, run), run);
  let best = g.open;
  let bound = g.lowerBound;
  const stats: Record<string, number> = { forced: g.forced, reducedClients: g.reducedClients, reducedSites: g.reducedSites, swaps: g.swaps, mip: 0 };
  const cp = g.cp;
  if (best.length > bound && !run.shouldStop() && cp) {
    const all = Array.from({ length: cp.clients.length }, (_, c) => c);
    stats['mip'] = 1;
    const res = await minCoverMip(cp, all, { backend, deadline: run.deadline, signal: run.options.signal, run });
    const base = data.mustOpen.length + cp.forced.length;
    bound = Math.max(bound, base + res.lowerBound);
    if (res.sites && base + res.sites.length < best.length) best = [...data.mustOpen, ...cp.forced, ...res.sites.map((p) => cp.sites[p]!)];
    if (res.status === 'stopped') run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
  }
  const sol = evaluateCoverage(data, best);
  return run.solved({ solution: sol, objective: sol.open.length, bound, proven: bound >= sol.open.length, guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
}

async function capacitatedMip(data: CoverageData, run: SolveRun, backend: 'highs' | 'glpk' | 'jslp'): Promise<LscpResult> {
  const { nC, nS, cStart, cAdj, demand } = data;
  const cap = siteCapacities(data);
  const heuristic = capacitatedGreedy(data, run);
  const lp = new LinearModel('min');
  const yCol = new Int32Array(nS).fill(-1);
  for (const s of data.openable) yCol[s] = lp.addVariable({ type: 'binary', obj: 1, lb: data.isMust[s] ? 1 : 0 });
  const x0 = lp.addVariables(cAdj.length, { type: 'binary' });
  // Rows: each client assigned once; x <= y; capacity.
  for (let j = 0; j < nC; j++) {
    const idx: number[] = [];
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) idx.push(x0 + t);
    lp.addEq(idx, new Float64Array(idx.length).fill(1), 1);
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) lp.addLe([x0 + t, yCol[cAdj[t]!]!], [1, -1], 0);
  }
  // Capacity rows: entry t of the client -> sites list is the pair (client j, site cAdj[t]).
  const rowsOf: number[][] = Array.from({ length: nS }, () => []);
  const clientOf = new Int32Array(cAdj.length);
  for (let j = 0; j < nC; j++) {
    for (let t = cStart[j]!; t < cStart[j + 1]!; t++) {
      rowsOf[cAdj[t]!]!.push(t);
      clientOf[t] = j;
    }
  }
  for (const s of data.openable) {
    if (cap[s] === Infinity || rowsOf[s]!.length === 0) continue;
    const ts = rowsOf[s]!;
    lp.addLe([...ts.map((t) => x0 + t), yCol[s]!], [...ts.map((t) => demand[clientOf[t]!]!), -cap[s]!], 0);
  }
  let warm: Float64Array | undefined;
  if (heuristic) {
    warm = new Float64Array(lp.numVariables);
    for (const s of heuristic.open) warm[yCol[s]!] = 1;
    for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (cAdj[t] === heuristic.assignment[j]) warm[x0 + t] = 1;
  }
  const remaining = run.remainingMs();
  const res = await solveLp(lp, {
    backend,
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    ...(warm ? { warmStart: warm } : {}),
    mipRelGap: 0.5 / (data.openable.length + 1),
  });
  if (res.stoppedBy !== 'converged') run.markStopped(res.stoppedBy);
  const stats = { variables: x0 + cAdj.length };
  if (res.status === 'infeasible') {
    return run.unsolved({ status: 'infeasible', guarantee: { kind: 'exact' }, certificate: { reason: `the capacitated covering MIP at radius ${data.radius} is infeasible: the sites within reach cannot hold the demand`, fields: ['sites[].capacity', 'clients[].demand', 'options.radius'] }, stats, warnings: data.warnings });
  }
  let open: number[] | undefined;
  let assignment: Int32Array | undefined;
  if (res.status === 'optimal' || res.status === 'feasible') {
    open = [];
    for (const s of data.openable) if (res.solution.x[yCol[s]!]! > 0.5) open.push(s);
    assignment = new Int32Array(nC).fill(-1);
    for (let j = 0; j < nC; j++) for (let t = cStart[j]!; t < cStart[j + 1]!; t++) if (res.solution.x[x0 + t]! > 0.5) assignment[j] = cAdj[t]!;
  }
  if ((!open || (heuristic && heuristic.open.length < open.length)) && heuristic) {
    open = heuristic.open;
    assignment = heuristic.assignment;
  }
  const bound = res.status === 'optimal' ? res.objective : res.bound !== undefined ? Math.ceil(res.bound - 1e-6) : undefined;
  if (!open || !assignment) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, ...(bound !== undefined ? { bound } : {}), stats, warnings: data.warnings });
  const sol = evaluateCoverage(data, open, assignment);
  if (sol.covered < nC) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'exact' }, stats, warnings: [...data.warnings, 'the backend returned an assignment that does not cover every client'] });
  return run.solved({ solution: sol, objective: sol.open.length, ...(bound !== undefined ? { bound } : {}), proven: res.status === 'optimal' && bound !== undefined && bound >= sol.open.length, guarantee: { kind: 'exact' }, stats, warnings: data.warnings });
}
