import { type SolveOptions } from '@emplace/core';
import { kcenterRadius, solveKCenter } from '@emplace/kcenter';
import type { PlanInstance } from './instance.js';
import type { WorstCaseView } from './result.js';

/**
 * The k-center view: with as many regions as the chosen placement (k), how small can
 * the worst user latency be? @emplace/kcenter's exact search (Gonzalez and
 * Hochbaum-Shmoys first, so a 2-approximation with a proven bound under any time limit).
 * The chosen placement's own worst latency is recomputed with `kcenterRadius`
 * (each population at its nearest allowed open region).
 */
export async function worstCasePhase(inst: PlanInstance, chosenOpen: readonly number[], options: SolveOptions): Promise<WorstCaseView> {
  const model = inst.latencyModel;
  const k = Math.max(1, chosenOpen.length);
  const uncap = { capacitated: false };
  const chosen = kcenterRadius(model, chosenOpen, uncap);
  const r = await solveKCenter(model, { ...options, k, ...uncap, method: 'auto' });
  if (r.status !== 'optimal' && r.status !== 'feasible') {
    return { k, chosenWorstLatencyMs: chosen.radius, bestWorstLatencyMs: chosen.radius, bestRegions: chosenOpen.map((i) => model.siteIds[i]!), status: r.status, ...(r.bound !== undefined ? { bound: r.bound } : {}) };
  }
  // The chosen placement is itself a k-center solution: report the better of the two.
  const useChosen = chosen.radius < r.objective;
  const view: WorstCaseView = {
    k,
    chosenWorstLatencyMs: chosen.radius,
    bestWorstLatencyMs: useChosen ? chosen.radius : r.objective,
    bestRegions: useChosen ? chosenOpen.map((i) => model.siteIds[i]!) : r.solution.openIds,
    status: r.status,
  };
  if (r.bound !== undefined) view.bound = Math.min(r.bound, view.bestWorstLatencyMs);
  const critical = useChosen ? chosen.criticalClient : r.solution.criticalClient;
  if (critical >= 0) view.criticalPopulation = model.clientIds[critical]!;
  return view;
}
