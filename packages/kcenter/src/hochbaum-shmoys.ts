import type { Guarantee, PlacementModel, SolveRun } from '@emplace/core';
import { runKCenter, type KCenterResult } from './common.js';
import { evaluateOpen } from './evaluate.js';
import { capacityError, gonzalezCore } from './gonzalez.js';
import { thresholdRatio, type KCenterInstance } from './instance.js';
import { candidateRadii, nearestSite, pickOrder, thresholdPick } from './threshold.js';
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
 */
export function bottleneckCore(inst: KCenterInstance, run: SolveRun, lo: number, hi: number): BottleneckRun {
  const { nC, k, mustOpen } = inst;
  const free = k - mustOpen.length;
  const order = pickOrder(inst);
  const marked = new Uint8Array(nC);
  let cand = candidateRadii(inst, lo, hi);
  let tests = 0;
  const test = (r: number): number[] | undefined => {
    tests++;
    const t = thresholdPick(inst, r, free, order, marked);
    return t.exceeded ? undefined : t.picks;
  };
  // The top of the window must pass; widen upward if it does not (non-metric data).
  let topPicks = cand.length > 0 ? test(cand[cand.length - 1]!) : undefined;
  if (!topPicks) {
    cand = candidateRadii(inst, lo);
    topPicks = test(cand[cand.length - 1]!)!;
  }
  let bestPicks = topPicks;
  let loIdx = 0;
  let hiIdx = cand.length - 1;
  let refuted = -Infinity;
  while (loIdx < hiIdx && !run.shouldStop()) {
    const mid = (loIdx + hiIdx) >> 1;
    const picks = test(cand[mid]!);
    if (picks) {
      hiIdx = mid;
      bestPicks = picks;
    } else {
      loIdx = mid + 1;
      refuted = cand[mid]!;
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
  const solution = evaluateOpen(inst, open);
  // Every candidate at or below `refuted` is infeasible; the optimum is a candidate, so it
  // is at least the next one. `lo` came in as a proven bound too.
  const bound = Math.max(lo, refuted === -Infinity ? lo : cand[cand.indexOf(refuted) + 1] ?? refuted);
  return { solution, bound, tests };
}

/** kcenter:hochbaum-shmoys. */
export function hochbaumShmoys(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, options, 'hochbaum-shmoys', { kind: 'heuristic' }, (inst, run) => {
    if (inst.capacitated) throw capacityError('hochbaum-shmoys');
    const warnings: string[] = [];
    const g = gonzalezCore(inst, run);
    const gSol = evaluateOpen(inst, g.open);
    const hs = bottleneckCore(inst, run, g.bound, gSol.radius);
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
