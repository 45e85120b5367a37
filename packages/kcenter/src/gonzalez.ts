import { ModelError, type Guarantee, type PlacementModel, type SolveRun, type UnsolvedResult } from '@emplace/core';
import { runKCenter, runKCenterAsync, type KCenterResult } from './common.js';
import { repairCoverage } from './coverage-repair.js';
import { evaluateOpen } from './evaluate.js';
import { thresholdRatio, type KCenterInstance } from './instance.js';
import { nearestSite, packingBound } from './threshold.js';
import type { KCenterOptions } from './types.js';

export interface GonzalezRun {
  open: Int32Array;
  /** Clients picked as farthest, in order, plus the farthest one left at the end. */
  picks: number[];
  /** Packing lower bound from the picks (proven without any metric assumption). */
  bound: number;
}

/**
 * Farthest-first traversal (Gonzalez 1985): repeatedly take the client farthest from the
 * open sites and open the site nearest to it. O(k (nS + nC)). The k + 1 picked clients
 * are pairwise far apart, which gives the packing lower bound.
 */
export function gonzalezCore(inst: KCenterInstance, run: SolveRun): GonzalezRun {
  const { nC, d, k, mustOpen, nS } = inst;
  const dist = new Float64Array(nC).fill(Infinity);
  const isOpen = new Uint8Array(nS);
  const open: number[] = [];
  const picks: number[] = [];
  const openSite = (s: number): void => {
    isOpen[s] = 1;
    open.push(s);
    const row = s * nC;
    for (let j = 0; j < nC; j++) if (d[row + j]! < dist[j]!) dist[j] = d[row + j]!;
  };
  for (let a = 0; a < mustOpen.length; a++) openSite(mustOpen[a]!);
  if (open.length === 0) {
    const first = run.rng.int(nC);
    picks.push(first);
    openSite(nearestSite(inst, first, isOpen));
  }
  for (;;) {
    let far = 0;
    for (let j = 1; j < nC; j++) if (dist[j]! > dist[far]!) far = j;
    if (dist[far] === 0) break;
    picks.push(far);
    if (open.length >= k) break;
    const s = nearestSite(inst, far, isOpen);
    if (s < 0) break;
    openSite(s);
  }
  return { open: Int32Array.from(open), picks, bound: packingBound(inst, picks) };
}

/** kcenter:gonzalez. */
export function gonzalez(model: PlacementModel, options?: KCenterOptions): KCenterResult {
  return runKCenter(model, options, 'gonzalez', { kind: 'heuristic' }, gonzalezBody);
}

/**
 * `gonzalez` with the instance scans in steps (the registry's `kcenter:gonzalez`): at
 * 2000 x 2000 they were three quarters of one 50 ms stretch on CPU (issue 13); the traversal
 * itself is O(k (nS + nC)).
 */
export function gonzalezAsync(model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> {
  return runKCenterAsync(model, options, 'gonzalez', { kind: 'heuristic' }, async (inst, run) => gonzalezBody(inst, run));
}

function gonzalezBody(inst: KCenterInstance, run: SolveRun): KCenterResult {
  if (inst.capacitated) throw capacityError('gonzalez');
  const warnings: string[] = [];
  const g = gonzalezCore(inst, run);
  let sol = evaluateOpen(inst, g.open);
  // `allowed` can make the site nearest to a pick useless to other clients: swap until covered.
  if (sol.radius === Infinity) sol = evaluateOpen(inst, repairCoverage(inst, run, g.open));
  if (sol.radius === Infinity) return uncoveredResult(run, 'gonzalez', warnings);
  let guarantee: Guarantee = { kind: 'heuristic' };
  if (inst.z > 0) warnings.push('farthest-first has no guarantee with outliers: use kcenter:outliers');
  else if (inst.weighted) warnings.push('farthest-first has no ratio with client weights: use kcenter:hochbaum-shmoys');
  else {
    const ratio = thresholdRatio(inst, warnings);
    if (ratio !== undefined) guarantee = { kind: 'approximation', ratio, assumes: 'metric' };
  }
  return run.solved({
    solution: sol,
    objective: sol.radius,
    bound: Math.min(g.bound, sol.radius),
    guarantee,
    warnings,
    stats: { picks: g.picks.length },
  });
}

/** The error a capacity-blind method throws on a capacitated instance. */
export function capacityError(method: string): ModelError {
  return new ModelError('options.capacitated', `is true (the model has capacities) but kcenter:${method} ignores them: use kcenter:capacitated, or pass capacitated: false`);
}

/**
 * A heuristic that could not cover every client through `allowed` with k centres (even after
 * the swap repair) has no solution to report; it says so rather than a feasible Infinity.
 */
export function uncoveredResult(run: SolveRun, method: string, warnings: string[]): UnsolvedResult {
  warnings.push(`kcenter:${method} found no k sites that cover every client through \`allowed\`: use kcenter:exact, which proves whether some do`);
  return run.unsolved({ status: 'no-solution', guarantee: { kind: 'heuristic' }, warnings });
}
