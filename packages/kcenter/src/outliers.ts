import { runSteps, runStepsAsync, type Guarantee, type PlacementModel, type SolveRun, type Steps } from '@emplace/core';
import type { BackendName } from '@emplace/lp';
import { runKCenter, runKCenterAsync, type KCenterResult } from './common.js';
import { buildCoverAsync } from './cover.js';
import { maxCoverMip, type MipSettings } from './covering-mip.js';
import { acceptYes, evaluateOpen } from './evaluate.js';
import { capacityError } from './gonzalez.js';
import { checkInstanceMetric, type KCenterInstance } from './instance.js';
import { candidateRadiiSteps, maxFiniteDistance, pickOrder, thresholdPickSteps } from './threshold.js';
import type { KCenterOptions, KCenterSolution } from './types.js';

/**
 * Charikar, Khuller, Mount & Narasimhan (2001) greedy for k-center with z outliers at a
 * guessed radius r: open the site whose r-disk holds the most uncovered clients, then
 * count every client within `expand` x r of it as covered; repeat for the free centres.
 * With expand = 3 and r at least the optimum, at most z clients stay uncovered (metric,
 * unit weights), so the smallest r that passes gives a 3-approximation. `gain` is kept
 * incrementally: O(nS x nC) per radius.
 */
export function charikarTest(inst: KCenterInstance, r: number, expand: number): { open: number[]; uncovered: number } {
  return runSteps(charikarTestSteps(inst, r, expand));
}

/** Matrix entries read between two checkpoints of charikarTestSteps. */
const TEST_WORK = 1 << 18;

/**
 * `charikarTest` as steps: a checkpoint every TEST_WORK distances read (one test reads the
 * matrix about twice: 45-75 ms on 2000 x 2000, issue 13).
 */
export function* charikarTestSteps(inst: KCenterInstance, r: number, expand: number): Steps<{ open: number[]; uncovered: number }> {
  const { nS, nC, d, mustOpen, k, openable } = inst;
  const R = expand * r;
  const covered = new Uint8Array(nC);
  const gain = new Int32Array(nS);
  const isOpen = new Uint8Array(nS);
  const open: number[] = [];
  let uncovered = nC;
  let work = 0;
  const cover = (u: number): void => {
    covered[u] = 1;
    uncovered--;
    for (let s = 0; s < nS; s++) if (d[s * nC + u]! <= r) gain[s]!--;
    work += nS;
  };
  for (let a = 0; a < openable.length; a++) {
    const row = openable[a]! * nC;
    let g = 0;
    for (let j = 0; j < nC; j++) if (d[row + j]! <= r) g++;
    gain[openable[a]!] = g;
    work += nC;
    if (work >= TEST_WORK) {
      work = 0;
      yield;
    }
  }
  function* openSite(s: number): Steps<void> {
    isOpen[s] = 1;
    open.push(s);
    const row = s * nC;
    for (let j = 0; j < nC; j++) {
      if (!covered[j] && d[row + j]! <= R) cover(j);
      if (work >= TEST_WORK) {
        work = 0;
        yield;
      }
    }
  }
  for (const s of mustOpen) yield* openSite(s);
  while (open.length < k && uncovered > 0) {
    let best = -1;
    for (const s of openable) if (!isOpen[s] && (best < 0 || gain[s]! > gain[best]!)) best = s;
    if (best < 0 || gain[best]! <= 0) break;
    yield* openSite(best);
  }
  return { open, uncovered };
}

/**
 * Lower bound for k-center with outliers by packing: a radius r is refuted when more than
 * k - |mustOpen| + z clients pairwise share no site within r. Binary search over the
 * candidates in [lo, hi]; returns the smallest candidate above every refuted radius.
 */
/** `outlierPackingBound` as steps: a checkpoint after each radius tested (one threshold pick). */
export function* outlierPackingBound(inst: KCenterInstance, run: SolveRun, lo: number, hi: number): Steps<number> {
  // Stopped already: `lo` is proven; another scan of the matrix and a full test would be the
  // answer's delay (50-70 ms on 2000 x 2000, issue 13).
  if (run.shouldStop()) return lo;
  const cand = yield* candidateRadiiSteps(inst, lo, hi);
  if (cand.length === 0) return lo;
  const limit = inst.k - inst.mustOpen.length + inst.z;
  const order = pickOrder(inst);
  const marked = new Uint8Array(inst.nC);
  let a = 0;
  let b = cand.length - 1;
  if ((yield* thresholdPickSteps(inst, cand[b]!, limit, order, marked)).exceeded) return cand[b]!;
  while (a < b) {
    yield;
    if (run.shouldStop()) break;
    const mid = (a + b) >> 1;
    if ((yield* thresholdPickSteps(inst, cand[mid]!, limit, order, marked)).exceeded) a = mid + 1;
    else b = mid;
  }
  return run.shouldStop() ? Math.max(lo, a > 0 ? cand[a - 1]! : lo) : cand[a]!;
}

/** Binary search for the smallest radius that the Charikar test accepts; the best evaluated solution. Steps: a checkpoint per test. */
export function* charikarSearch(inst: KCenterInstance, run: SolveRun): Steps<{ solution: KCenterSolution; tests: number }> {
  const cand = yield* candidateRadiiSteps(inst);
  let a = 0;
  let b = cand.length - 1;
  let tests = 0;
  let best: KCenterSolution | undefined;
  const consider = (open: number[]): void => {
    const sol = evaluateOpen(inst, open);
    if (!best || sol.radius < best.radius) best = sol;
  };
  const top = yield* charikarTestSteps(inst, cand[b]!, 3);
  consider(top.open);
  while (a < b) {
    yield;
    if (run.shouldStop()) break;
    const mid = (a + b) >> 1;
    tests++;
    // A test the run stops part way is abandoned (the first, at the top, gave the incumbent).
    const steps = charikarTestSteps(inst, cand[mid]!, 3);
    let at = steps.next();
    while (!at.done && !run.shouldStop()) {
      yield;
      at = steps.next();
    }
    if (!at.done) break;
    const t = at.value;
    if (t.uncovered <= inst.z) {
      b = mid;
      consider(t.open);
    } else a = mid + 1;
  }
  return { solution: best!, tests };
}

/** kcenter:outliers: the Charikar et al. 3-approximation (k-center with z outliers). */
export function outliersGreedy(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, options, 'outliers', { kind: 'heuristic' }, (inst, run) => runSteps(outliersSteps(inst, run)));
}

/** `outliersGreedy` yielding to the event loop between radii (the registry's `kcenter:outliers`). */
export function outliersGreedyAsync(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, options, 'outliers', { kind: 'heuristic' }, (inst, run) => runStepsAsync(outliersSteps(inst, run), run));
}

function* outliersSteps(inst: KCenterInstance, run: SolveRun): Steps<KCenterResult> {
  if (inst.capacitated) throw capacityError('outliers');
  const warnings: string[] = [];
  const { solution, tests } = yield* charikarSearch(inst, run);
  const bound = yield* outlierPackingBound(inst, run, 0, solution.radius);
  let guarantee: Guarantee = { kind: 'heuristic' };
  const metric = checkInstanceMetric(inst);
  if (!metric.isMetric) warnings.push(`${metric.message ?? 'cost is not a metric'}: the ratio 3 does not apply`);
  else if (inst.weighted) warnings.push('client weights void the ratio 3 of the outlier greedy');
  else guarantee = { kind: 'approximation', ratio: 3, assumes: 'metric' };
  return run.solved({ solution, objective: solution.radius, bound, guarantee, warnings, stats: { tests } });
}

/** Greedy maximum coverage at r (no expansion): a quick "yes" for the exact outlier search. */
function greedyMaxCoverage(inst: KCenterInstance, r: number): number[] {
  return charikarTest(inst, r, 1).open;
}

/**
 * Exact k-center with outliers: binary search over the candidate radii between the
 * packing bound and the greedy radius; each radius by the packing test, a greedy
 * coverage, then the maximum-coverage MIP on the reduced (merged, site-dominated) data.
 */
export async function exactOutlierSearch(
  inst: KCenterInstance,
  run: SolveRun,
  backend: BackendName,
): Promise<{ solution: KCenterSolution; bound: number; proven: boolean; stats: Record<string, number> }> {
  const start = await runStepsAsync(charikarSearch(inst, run), run);
  let best = start.solution;
  let bound = await runStepsAsync(outlierPackingBound(inst, run, 0, Math.min(best.radius, maxFiniteDistance(inst))), run);
  const stats = { radiiTested: 0, mipSolves: 0 };
  if (best.radius <= bound) return { solution: best, bound: best.radius, proven: true, stats };
  // Stopped: the incumbent and the bound so far, without another scan of the matrix.
  if (run.shouldStop()) return { solution: best, bound, proven: false, stats };
  const cand = await runStepsAsync(candidateRadiiSteps(inst, bound, best.radius), run);
  const settings: MipSettings = { backend, deadline: run.deadline, signal: run.options.signal };
  const free = inst.k - inst.mustOpen.length;
  run.incumbent(best.radius, () => best, true);
  let lo = 0;
  let hi = cand.length - 1;
  while (lo < hi && !(await run.tick())) {
    const mid = (lo + hi) >> 1;
    const r = cand[mid]!;
    stats.radiiTested++;
    let answer: 'yes' | 'no' | 'unknown';
    let open: number[] = [];
    const quick = evaluateOpen(inst, greedyMaxCoverage(inst, r));
    if (quick.radius <= r) {
      answer = 'yes';
      open = Array.from(quick.open);
    } else {
      const cp = await buildCoverAsync(inst, r, run, true);
      if (cp === undefined) answer = 'unknown';
      else {
        stats.mipSolves++;
        const ans = await maxCoverMip(cp, free, inst.z, settings);
        answer = ans.answer;
        if (ans.answer === 'yes') open = [...inst.mustOpen, ...ans.sites.map((p) => cp.sites[p]!)];
      }
    }
    if (answer === 'yes') {
      ({ best, hi } = acceptYes(inst, run, best, open, cand, lo, mid));
    } else if (answer === 'no') {
      lo = mid + 1;
      bound = Math.max(bound, cand[lo]!);
    } else {
      run.markStopped(run.options.signal?.aborted ? 'aborted' : 'time-limit');
      break;
    }
    run.progress({ phase: 'radius-search', incumbent: best.radius, bound, iterations: stats.radiiTested });
  }
  const proven = lo >= hi;
  return { solution: best, bound: proven ? best.radius : bound, proven, stats };
}
