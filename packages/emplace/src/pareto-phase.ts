import { hasSolution, type SolveOptions } from '@emplace/core';
import { solvePlacementFront } from '@emplace/pareto';
import { evaluatePlacement } from './evaluate.js';
import type { PlanInstance } from './instance.js';
import type { ParetoAlternative, ParetoView } from './result.js';

/**
 * The cost vs worst-latency front of the cost model (@emplace/pareto: exact
 * epsilon-constraint on up to 40 regions, NSGA-II beyond), every alternative's
 * objectives recomputed here from the world, then filtered to the non-dominated ones.
 * The front ignores a bound on the number of regions (it is the trade-off itself).
 */
export async function paretoPhase(inst: PlanInstance, chosenOpen: readonly number[], options: SolveOptions): Promise<ParetoView | undefined> {
  const r = await solvePlacementFront(inst.costModel, {
    ...options,
    objectives: ['cost', 'latency'],
    latency: inst.userLatency,
    method: 'auto',
  });
  if (!hasSolution(r)) return undefined;
  const key = (open: readonly number[]): string => [...open].sort((a, b) => a - b).join(',');
  const chosenKey = key(chosenOpen);
  const seen = new Set<string>();
  const candidates: ParetoAlternative[] = [];
  for (const p of r.solution.points) {
    const k = key(p.plan.open);
    if (seen.has(k) || p.plan.unserved > 0) continue;
    seen.add(k);
    const { objectives } = evaluatePlacement(inst, p.plan.open);
    if (!Number.isFinite(objectives.totalCost)) continue;
    candidates.push({ regions: p.plan.openIds, totalCost: objectives.totalCost, worstLatencyMs: objectives.worstLatencyMs, chosen: k === chosenKey });
  }
  const alternatives = nonDominated(candidates);
  return { alternatives, complete: r.solution.complete, hypervolume: r.solution.hypervolume, method: r.stats.method };
}

/** Alternatives no other one beats on both cost and worst latency, by ascending cost. */
export function nonDominated(points: readonly ParetoAlternative[]): ParetoAlternative[] {
  const sorted = [...points].sort((a, b) => a.totalCost - b.totalCost || a.worstLatencyMs - b.worstLatencyMs);
  const out: ParetoAlternative[] = [];
  let bestLatency = Infinity;
  for (const p of sorted) {
    if (p.worstLatencyMs < bestLatency) {
      out.push(p);
      bestLatency = p.worstLatencyMs;
    }
  }
  return out;
}
