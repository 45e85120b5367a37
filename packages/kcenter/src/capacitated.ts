import { runSteps, runStepsAsync, stepsUnlessStopped, type PlacementModel, type SolveRun, type Steps } from '@emplace/core';
import { LinearModel, solveLp, type BackendName } from '@emplace/lp';
import { runKCenter, runKCenterAsync, type KCenterResult } from './common.js';
import { acceptYes, evaluateOpen } from './evaluate.js';
import type { KCenterInstance } from './instance.js';
import { candidateRadiiSteps, pickOrder, thresholdPickSteps } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

/**
 * Capacitated k-center (dimension 0 of capacity and demand; demand may be split across
 * open sites, which with unit demands and integral capacities still gives every client
 * one site, because max-flow is integral).
 */

/**
 * Greedy opening at radius r: the site that can absorb the most still-unserved demand
 * within r. As steps: a checkpoint after each opened site (each scans every site's row).
 */
/** Distances read between two checkpoints of greedyOpenAtSteps. */
const GREEDY_WORK = 1 << 18;

/**
 * The capacity-aware greedy opening at radius r, as steps: a checkpoint every GREEDY_WORK
 * distances read (one opening scans every site's row: 25-30 ms on 2000 x 2000, and the ten
 * openings of a test ran on after an abort: issue 13). With `stop`, a test it interrupts is
 * abandoned (undefined).
 */
function* greedyOpenAtSteps(inst: KCenterInstance, r: number, stop?: () => boolean, fill = false): Steps<number[] | undefined> {
  const { nC, d, k, mustOpen, openable, capacity, demand } = inst;
  const left = Float64Array.from(demand);
  // Zero-demand clients load nothing but still need an open site within r (1 until one opens).
  const bare = new Uint8Array(nC);
  for (let j = 0; j < nC; j++) if (!(demand[j]! > 0)) bare[j] = 1;
  const isOpen = new Uint8Array(inst.nS);
  const open: number[] = [];
  const absorb = (s: number): void => {
    isOpen[s] = 1;
    open.push(s);
    let cap = capacity[s]!;
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      if (bare[j] === 1 && d[row + j]! <= r) bare[j] = 0;
      if (cap > 0 && left[j]! > 0 && d[row + j]! <= r) {
        const take = Math.min(cap, left[j]!);
        left[j]! -= take;
        cap -= take;
      }
    }
  };
  for (const s of mustOpen) absorb(s);
  let work = 0;
  while (open.length < k) {
    // The site absorbing the most demand, then (ties, or no demand left) covering the most bare clients.
    let best = -1;
    let bestGain = 0;
    let bestBare = 0;
    for (const s of openable) {
      if (isOpen[s]) continue;
      const row = s * nC;
      let g = 0;
      let b = 0;
      for (let j = 0; j < nC; j++) {
        if (d[row + j]! > r) continue;
        if (left[j]! > 0) g += left[j]!;
        else b += bare[j]!;
      }
      g = Math.min(g, capacity[s]!);
      if (g > bestGain || (g === bestGain && b > bestBare)) { bestGain = g; bestBare = b; best = s; }
      work += nC;
      if (work >= GREEDY_WORK) {
        work = 0;
        yield;
        if (stop?.()) return fill ? fillLargest(inst, open, isOpen) : undefined;
      }
    }
    if (best < 0) break;
    absorb(best);
    yield;
    if (stop?.()) return fill ? fillLargest(inst, open, isOpen) : undefined;
  }
  return open;
}

/**
 * The open sites plus the largest capacities not open, up to k: the stopped first test's plan
 * without its remaining scans (each opening reads the whole matrix: 25-30 ms at 2000 x 2000,
 * ~100 ms on CPU after an abort for the whole test). With the k largest capacities (which hold
 * the demand: capacityShortfall) it has a capacity-feasible assignment at some radius.
 */
function fillLargest(inst: KCenterInstance, open: number[], isOpen: Uint8Array): number[] {
  const rest = Array.from(inst.openable).filter((s) => !isOpen[s]);
  rest.sort((a, b) => inst.capacity[b]! - inst.capacity[a]! || a - b);
  for (let t = 0; open.length < inst.k && t < rest.length; t++) open.push(rest[t]!);
  return open;
}

/** Capacity-only infeasibility: the k largest capacities (pre-opened ones included) cannot hold the total demand. */
function capacityShortfall(inst: KCenterInstance): string | undefined {
  const { capacity, demand, mustOpen, openable, k } = inst;
  let total = 0;
  for (let j = 0; j < demand.length; j++) total += demand[j]!;
  const isMust = new Uint8Array(inst.nS);
  let sum = 0;
  for (const s of mustOpen) { isMust[s] = 1; sum += capacity[s]!; }
  const rest = Array.from(openable).filter((s) => !isMust[s]).map((s) => capacity[s]!).sort((a, b) => b - a);
  for (let t = 0; t < k - mustOpen.length && t < rest.length; t++) sum += rest[t]!;
  return sum < total ? `the ${k} largest capacities sum to ${sum}, below the total demand ${total}` : undefined;
}

/**
 * Binary search over the candidate radii with the capacity-aware greedy at each, as steps:
 * a checkpoint after each radius (one greedy opening and one max-flow assignment).
 */
export function* capacitatedHeuristicSearch(inst: KCenterInstance, run: SolveRun): Steps<{ solution: KCenterSolution | undefined; tests: number }> {
  // In steps: the scans of a 2000 x 2000 matrix were a 40 ms stretch (issue 13, sweep --scale 4).
  // A stop during them (a sort of n^2 distances) ends them: the first centres are then the
  // pre-opened sites and the largest capacities, without a radius test.
  const cand = yield* stepsUnlessStopped(candidateRadiiSteps(inst), () => run.shouldStop());
  if (cand === undefined) {
    const isOpen = new Uint8Array(inst.nS);
    for (const s of inst.mustOpen) isOpen[s] = 1;
    const sol = evaluateOpen(inst, fillLargest(inst, Array.from(inst.mustOpen), isOpen));
    return { solution: sol.radius < Infinity ? sol : undefined, tests: 0 };
  }
  let best: KCenterSolution | undefined;
  let tests = 0;
  /**
   * Whether r passed; a test the run stops part way is abandoned (false), except the first,
   * which gives the first centres: its remaining openings are the largest capacities.
   */
  function* consider(r: number): Steps<boolean> {
    tests++;
    const open = yield* greedyOpenAtSteps(inst, r, () => run.shouldStop(), !best);
    if (!open) return false;
    const sol = evaluateOpen(inst, open);
    if (sol.radius < Infinity && (!best || sol.radius < best.radius)) best = sol;
    return sol.radius <= r;
  }
  let a = 0;
  let b = cand.length - 1;
  yield* consider(cand[b]!);
  while (a < b) {
    yield;
    if (run.shouldStop()) break;
    const mid = (a + b) >> 1;
    if (yield* consider(cand[mid]!)) b = mid;
    else a = mid + 1;
  }
  return { solution: best, tests };
}

/**
 * Packing bound (capacities only make covering harder, so the uncapacitated one holds); a
 * checkpoint per radius probed. A run that has stopped gets the bound proven so far (every
 * candidate below cand[a] is refuted), not the rest of the bisection: on 2000 x 2000 that
 * rest was a 164 ms stretch after the time limit (issue 13, sweep --scale 4).
 */
function* capacitatedBoundSteps(inst: KCenterInstance, hi: number, run: SolveRun): Steps<number> {
  if (run.shouldStop()) return 0;
  const free = inst.k - inst.mustOpen.length;
  const order = pickOrder(inst);
  const cand = yield* candidateRadiiSteps(inst, 0, hi);
  const marked = new Uint8Array(inst.nC);
  let a = 0;
  let b = cand.length - 1;
  if (b < 0) return 0;
  while (a < b) {
    yield;
    if (run.shouldStop()) break;
    const mid = (a + b) >> 1;
    if ((yield* thresholdPickSteps(inst, cand[mid]!, free, order, marked)).exceeded) a = mid + 1;
    else b = mid;
  }
  return cand[a]!;
}

/** kcenter:capacitated: greedy capacity-aware opening over a radius search (heuristic). */
export function capacitatedGreedy(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, { ...options, capacitated: options?.capacitated ?? true }, 'capacitated', { kind: 'heuristic' }, (inst, run) => runSteps(capacitatedGreedySteps(inst, run)));
}

/** `capacitatedGreedy` yielding to the event loop between radii (the registry's `kcenter:capacitated`). */
export function capacitatedGreedyAsync(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, { ...options, capacitated: options?.capacitated ?? true }, 'capacitated', { kind: 'heuristic' }, (inst, run) => runStepsAsync(capacitatedGreedySteps(inst, run), run));
}

function* capacitatedGreedySteps(inst: KCenterInstance, run: SolveRun): Steps<KCenterResult> {
  const short = capacityShortfall(inst);
  if (short) return run.unsolved({ status: 'infeasible', guarantee: { kind: 'heuristic' }, certificate: { reason: short, fields: ['sites[].capacity', 'clients[].demand'] } });
  const { solution, tests } = yield* capacitatedHeuristicSearch(inst, run);
  if (!solution) return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, stats: { tests } });
  const bound = yield* capacitatedBoundSteps(inst, solution.radius, run);
  return run.solved({ solution, objective: solution.radius, bound, guarantee: { kind: 'heuristic' }, stats: { tests } });
}

/**
 * Exact capacitated k-center: binary search over candidate radii; each radius by the
 * capacitated covering MIP (y_s open, x_sj share of client j at site s within r):
 * sum_s x_sj = 1, sum_j q_j x_sj <= Q_s y_s, x_sj <= y_s, sum y <= k; a zero-demand client
 * has no shares, only a cover row (some y_s within r). For small sizes.
 */
export async function exactCapacitatedSearch(
  inst: KCenterInstance,
  run: SolveRun,
  backend: BackendName,
): Promise<{ solution: KCenterSolution; bound: number; proven: boolean; stats: Record<string, number> }> {
  const short = capacityShortfall(inst);
  const heur = await runStepsAsync(capacitatedHeuristicSearch(inst, run), run);
  const stats = { radiiTested: 0, mipSolves: 0 };
  if (short || !heur.solution) {
    // Fall back to all-k search from the top: the MIP decides feasibility at the largest radius.
    const top = await runStepsAsync(candidateRadiiSteps(inst), run);
    const ans = short ? undefined : await capacitatedMip(inst, top[top.length - 1]!, backend, run);
    if (ans === 'unknown') throw new InfeasibleCapacities('stopped (abort or time limit) before any capacity-respecting assignment was found', false);
    if (!ans) throw new InfeasibleCapacities(short ?? 'no capacity-respecting assignment exists at any radius');
    heur.solution = evaluateOpen(inst, ans);
  }
  let best = heur.solution!;
  let bound = await runStepsAsync(capacitatedBoundSteps(inst, best.radius, run), run);
  // Stopped: the incumbent and the bound so far, without another scan of the matrix.
  if (run.shouldStop()) return { solution: best, bound: Math.min(bound, best.radius), proven: best.radius <= bound, stats };
  const cand = await runStepsAsync(candidateRadiiSteps(inst, bound, best.radius), run);
  run.incumbent(best.radius, () => best, true);
  let lo = 0;
  let hi = cand.length - 1;
  while (lo < hi && !(await run.tick())) {
    const mid = (lo + hi) >> 1;
    stats.radiiTested++;
    stats.mipSolves++;
    const ans = await capacitatedMip(inst, cand[mid]!, backend, run);
    if (ans === 'unknown') {
      run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
      break;
    }
    if (ans) {
      ({ best, hi } = acceptYes(inst, run, best, ans, cand, lo, mid));
    } else {
      lo = mid + 1;
      bound = Math.max(bound, cand[lo]!);
    }
  }
  const proven = lo >= hi;
  return { solution: best, bound: proven ? best.radius : bound, proven, stats };
}

/** Thrown inside the exact search when the capacities can never be met; turned into an infeasible status. */
export class InfeasibleCapacities extends Error {
  readonly reason: string;
  /** False when the search only ran out of time. */
  readonly proven: boolean;
  constructor(reason: string, proven = true) {
    super(reason);
    this.reason = reason;
    this.proven = proven;
  }
}

async function capacitatedMip(inst: KCenterInstance, r: number, backend: BackendName, run: SolveRun): Promise<number[] | undefined | 'unknown'> {
  const { nC, d, openable, mustOpen, capacity, demand, k } = inst;
  const model = new LinearModel('min');
  const isMust = new Uint8Array(inst.nS);
  for (const s of mustOpen) isMust[s] = 1;
  const ycol = new Int32Array(inst.nS).fill(-1);
  for (const s of openable) ycol[s] = model.addVariable({ type: 'binary', lb: isMust[s] ? 1 : 0, obj: 1 });
  const perClient: number[][] = Array.from({ length: nC }, () => []);
  const perSite: { col: number; j: number }[][] = Array.from({ length: inst.nS }, () => []);
  for (const s of openable) {
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      if (demand[j]! > 0 && d[row + j]! <= r) {
        const x = model.addVariable({ lb: 0, ub: 1 });
        perClient[j]!.push(x);
        perSite[s]!.push({ col: x, j });
        model.addLe([x, ycol[s]!], [1, -1], 0);
      }
    }
  }
  for (let j = 0; j < nC; j++) {
    if (demand[j]! <= 0) {
      // No load, but served: some open site within r (as in the uncapacitated problem).
      const near = Array.from(openable).filter((s) => d[s * nC + j]! <= r);
      if (near.length === 0) return undefined;
      model.addGe(near.map((s) => ycol[s]!), new Float64Array(near.length).fill(1), 1);
      continue;
    }
    if (perClient[j]!.length === 0) return undefined;
    model.addEq(perClient[j]!, new Float64Array(perClient[j]!.length).fill(1), 1);
  }
  for (const s of openable) {
    if (capacity[s] === Infinity || perSite[s]!.length === 0) continue;
    const idx = perSite[s]!.map((e) => e.col);
    const coef = perSite[s]!.map((e) => demand[e.j]!);
    idx.push(ycol[s]!);
    coef.push(-capacity[s]!);
    model.addLe(idx, coef, 0);
  }
  model.addLe(Array.from(openable, (s) => ycol[s]!), new Float64Array(openable.length).fill(1), k);
  const remaining = run.remainingMs();
  const sol = await solveLp(model, {
    backend,
    ...(Number.isFinite(remaining) ? { timeLimitMs: remaining } : {}),
    ...(run.options.signal ? { signal: run.options.signal } : {}),
    mipRelGap: 0.5 / (openable.length + 1),
  });
  if (sol.status === 'optimal' || sol.status === 'feasible') {
    return Array.from(openable).filter((s) => sol.solution.x[ycol[s]!]! > 0.5);
  }
  if (sol.status === 'infeasible') return undefined;
  return 'unknown';
}
