import { createPlacementModel, Rng } from '@emplace/core';
import { createScenarioSet, generateScenarios, type ScenarioSet } from '@emplace/facility';

/**
 * A random Euclidean scenario set of the scenario-method tests: sites and clients in a 100 x
 * 100 square, opening costs 200-499, demands 1-5, `nScenarios` scenarios with demand noise and
 * at most one site failure, unserved demand priced at `penalty` (500: rarely cheaper than a site).
 */
export function scenarioSet(nSites: number, nClients: number, nScenarios: number, seed: number, penalty = 500): ScenarioSet {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: nSites + nClients }, () => rng.next() * 100);
  const y = Float64Array.from({ length: nSites + nClients }, () => rng.next() * 100);
  const cost = new Float64Array(nSites * nClients);
  for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) cost[i * nClients + j] = Math.hypot(x[i]! - x[nSites + j]!, y[i]! - y[nSites + j]!);
  const model = createPlacementModel({
    sites: Array.from({ length: nSites }, () => ({ openingCost: 200 + rng.int(300) })),
    clients: Array.from({ length: nClients }, () => ({ demand: 1 + rng.int(5) })),
    cost,
  });
  return createScenarioSet(model, generateScenarios(model, nScenarios, { seed, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty });
}
