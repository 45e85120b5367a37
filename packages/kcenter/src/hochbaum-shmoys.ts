import { runSteps, runStepsAsync, type Guarantee, type PlacementModel, type SolveRun, type Steps } from '@emplace/core';
import { runKCenter, runKCenterAsync, type KCenterResult } from './common.js';
import { evaluateOpen } from './evaluate.js';
import { repairCoverage } from './coverage-repair.js';
import { capacityError, gonzalezCore, uncoveredResult } from './gonzalez.js';
import { thresholdRatio, type KCenterInstance } from './instance.js';
import { maxFiniteDistance, nearestSite, nextRadiusAbove, pickOrder, radiusLadderSteps, thresholdPickSteps } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

export interface BottleneckRun {
  solution: KCenterSolution;
  /** Proven lower bound: the smallest candidate above every radius the test refuted. */
  bound: number;
  tests: number;
}

/**
 * Hochbaum-Shmoys bottleneck search (1985; Plesnik 1987 for weights): binary search over
 * the sorted distinct distances for the smallest r at which the pick-and-mark test needs
 * at most k - |mustOpen| centres; open the site nearest to each pick. A refuted r proves
 * the optimum exceeds r (packing, no metric needed); on metric input the answer is within
 * 2r (vertex k-center) or 3r (k-supplier) of the optimum. The search window starts from
 * the Gonzalez radius and its packing bound.
 *
 * In steps: a checkpoint after every pick of every test and after each scan of the
 * distances (the search was one stretch: 50-110 ms on 1000 x 1000 data, more at
 * 2000 x 2000: issue 13). A run that stops keeps the smallest radius that passed so far.
 */
export function* bottleneckSteps(inst: KCenterInstance, run: SolveRun, lo: number, hi: number): Steps<BottleneckRun> {
  const { nC, k, mustOpen } = inst;
  const free = k - mustOpen.length;
  const order = pickOrder(inst);
  const marked = new Uint8Array(nC);
  let tests = 0;
  /** The picks at r, undefined when r is refuted, or 'stopped' when the run stopped part way (r neither passed nor refuted). */
  function* test(r: number): Steps<number[] | undefined | 'stopped'> {
    tests++;
    const steps = thresholdPickSteps(inst, r, free, order, marked);
    for (let at = steps.next(); ; at = steps.next()) {
      if (at.done) return at.value.exceeded ? undefined : at.value.picks;
      if (run.shouldStop()) return 'stopped';
      yield;
    }
  }
  // Bisection in value space over the candidate ladder: `bound` is the smallest radius
  // not refuted, `top` the smallest radius that passed.
  let bound = lo;
  let top = hi;
  // The first test is run to the end (its picks are the answer's base); the later ones stop with the run.
  let bestPicks = (yield* thresholdPickSteps(inst, top, free, order, marked)).picks;
  tests++;
  if (bestPicks.length > free) {
    // Only on non-metric data can the Gonzalez radius fail; it is refuted all the same.
    bound = Math.max(bound, nextRadiusAbove(inst, top));
    top = maxFiniteDistance(inst);
    bestPicks = (yield* thresholdPickSteps(inst, top, free, order, marked)).picks;
    tests++;
  }
  yield;
  while (bound < top && !run.shouldStop()) {
    // One ladder per round; a sampled ladder narrows the window to two neighbouring
    // samples, and the next round lists that window exactly.
    const ladder = yield* radiusLadderSteps(inst, bound, top);
    const cand = ladder.values;
    let a = 0;
    let b = cand.length - 1;
    while (b > 0 && cand[b]! > top) b--;
    let refuted = -Infinity;
    while (a < b && !run.shouldStop()) {
      const mid = (a + b) >> 1;
      const picks = yield* test(cand[mid]!);
      if (picks === 'stopped') break;
      if (picks) {
        b = mid;
        top = cand[mid]!;
        bestPicks = picks;
      } else {
        a = mid + 1;
        refuted = cand[mid]!;
      }
    }
    if (refuted > -Infinity) bound = Math.max(bound, ladder.exact ? cand[a]! : nextRadiusAbove(inst, refuted));
    if (ladder.exact) {
      // Every candidate below cand[a] is refuted (tested, or below the bound).
      if (a >= b) bound = Math.max(bound, top);
      break;
    }
  }
  const taken = new Uint8Array(inst.nS);
  const open: number[] = Array.from(mustOpen);
  for (const s of open) taken[s] = 1;
  for (const v of bestPicks) {
    const s = nearestSite(inst, v, taken);
    if (s >= 0) {
      taken[s] = 1;
      open.push(s);
    }
  }
  fillFarthestFirst(inst, open, taken);
  let solution = evaluateOpen(inst, open);
  // `allowed` can make the site nearest to a pick useless to other clients: swap until covered.
  if (solution.radius === Infinity) solution = evaluateOpen(inst, repairCoverage(inst, run, open));
  return { solution, bound: Math.min(bound, solution.radius), tests };
}

/** kcenter:hochbaum-shmoys. */
export function hochbaumShmoys(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, options, 'hochbaum-shmoys', { kind: 'heuristic' }, (inst, run) => runSteps(hochbaumShmoysSteps(inst, run)));
}

/**
 * `hochbaumShmoys` yielding to the event loop at the checkpoints of the search (the registry's
 * `kcenter:hochbaum-shmoys`): on 2000 x 2000 it was one stretch of 150-210 ms (issue 13, sweep --scale 4).
 */
export function hochbaumShmoysAsync(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, options, 'hochbaum-shmoys', { kind: 'heuristic' }, (inst, run) => runStepsAsync(hochbaumShmoysSteps(inst, run), run));
}

function* hochbaumShmoysSteps(inst: KCenterInstance, run: SolveRun): Steps<KCenterResult> {
  if (inst.capacitated) throw capacityError('hochbaum-shmoys');
  const warnings: string[] = [];
  const g = gonzalezCore(inst, run);
  const gSol = evaluateOpen(inst, g.open);
  yield;
  const hs = yield* bottleneckSteps(inst, run, g.bound, gSol.radius);
  if (hs.solution.radius === Infinity) return uncoveredResult(run, 'hochbaum-shmoys', warnings);
  let guarantee: Guarantee = { kind: 'heuristic' };
  if (inst.z > 0) warnings.push('the bottleneck method has no guarantee with outliers: use kcenter:outliers');
  else {
    const ratio = thresholdRatio(inst, warnings);
    if (ratio !== undefined) guarantee = { kind: 'approximation', ratio, assumes: 'metric' };
  }
  return run.solved({
    solution: hs.solution,
    objective: hs.solution.radius,
    bound: hs.bound,
    guarantee,
    warnings,
    stats: { tests: hs.tests },
  });
}

/**
 * Spends centres the threshold test left unused, farthest client first (opening more
 * sites never raises the radius, so the ratio still holds).
 */
function fillFarthestFirst(inst: KCenterInstance, open: number[], taken: Uint8Array): void {
  const { nC, d, k } = inst;
  if (open.length >= k) return;
  const dist = new Float64Array(nC).fill(Infinity);
  for (const s of open) {
    const row = s * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < dist[j]!) dist[j] = d[row + j]!;
  }
  while (open.length < k) {
    let far = 0;
    for (let j = 1; j < nC; j++) if (dist[j]! > dist[far]!) far = j;
    if (dist[far] === 0) return;
    const s = nearestSite(inst, far, taken);
    if (s < 0) return;
    taken[s] = 1;
    open.push(s);
    const row = s * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < dist[j]!) dist[j] = d[row + j]!;
  }
}
