import { registerSolver, type PlacementModel } from '@emplace/core';
import {
  CFL_METHODS,
  PMEDIAN_METHODS,
  SSCFL_METHODS,
  UFL_METHODS,
  solveCfl,
  solvePMedian,
  solveSscfl,
  solveUfl,
} from './solvers.js';
import { onlineFacilityLocation, type OnlineOptions } from './online-meyerson.js';
import { ROBUST_METHODS, solveRobust, type RobustOptions } from './robust.js';
import { solveSaa, type SaaOptions } from './saa.js';
import type { ScenarioSet } from './scenarios.js';
import { STOCHASTIC_METHODS, solveStochastic } from './stochastic.js';

const DESCRIPTIONS: Record<string, string> = {
  auto: 'Lagrangian branch-and-bound (proves optimality; default budget on large instances)',
  greedy: 'Greedy construction (Jain-Mahdian-Saberi stars for UFL; greedy add for p-median)',
  'local-search': 'Greedy start + add/drop/swap local search',
  interchange: 'Greedy start + fast vertex-substitution interchange (Whitaker / Resende-Werneck)',
  lagrangian: 'Subgradient Lagrangian relaxation of the assignment constraints: proven bound + Lagrangian heuristic',
  'branch-and-bound': 'Branch-and-bound on the Lagrangian bound with reduced-cost fixing',
  mip: 'Strong MIP formulation (x_ij <= y_i) through @emplace/lp, warm-started from the heuristic',
};

const GUARANTEES: Record<string, string> = {
  auto: 'exact',
  greedy: 'heuristic',
  'local-search': 'heuristic',
  interchange: '5-approximation (metric, local optimum of single swaps)',
  lagrangian: 'heuristic with a proven lower bound',
  'branch-and-bound': 'exact',
  mip: 'exact',
};

for (const method of UFL_METHODS) {
  registerSolver({
    family: 'ufl',
    method,
    modelKind: 'placement',
    description: `UFL: ${DESCRIPTIONS[method]}`,
    guarantee: method === 'greedy' ? '1.61-approximation (metric)' : method === 'local-search' ? '3-approximation (metric)' : GUARANTEES[method]!,
    solve: (model, options) => solveUfl(model as PlacementModel, { ...options, method }),
  });
}
for (const method of CFL_METHODS) {
  registerSolver({
    family: 'cfl',
    method,
    modelKind: 'placement',
    description: `CFL, split demand: ${DESCRIPTIONS[method]}`,
    guarantee: GUARANTEES[method]!,
    solve: (model, options) => solveCfl(model as PlacementModel, { ...options, method }),
  });
}
for (const method of SSCFL_METHODS) {
  registerSolver({
    family: 'sscfl',
    method,
    modelKind: 'placement',
    description:
      method === 'auto'
        ? 'Single-source CFL: Lagrangian bound + heuristic, then MIP when a gap remains'
        : `Single-source CFL: ${DESCRIPTIONS[method]}`,
    guarantee: method === 'auto' ? 'exact when the MIP finishes' : GUARANTEES[method]!,
    solve: (model, options) => solveSscfl(model as PlacementModel, { ...options, method }),
  });
}
for (const method of PMEDIAN_METHODS) {
  registerSolver({
    family: 'pmedian',
    method,
    modelKind: 'placement',
    description: `p-median (options.p): ${DESCRIPTIONS[method]}`,
    guarantee: GUARANTEES[method]!,
    solve: (model, options) => solvePMedian(model as PlacementModel, { ...options, p: options['p'] as number, method }),
  });
}

// Placement under uncertainty (models of kind 'scenarios', from createScenarioSet) and online.
const STOCHASTIC_DESCRIPTIONS: Record<string, [string, string]> = {
  auto: ['two-stage stochastic: ufl-equivalent when uncapacitated, extensive form otherwise', 'exact'],
  extensive: ['two-stage stochastic: extensive-form MIP through @emplace/lp', 'exact'],
  'ufl-equivalent': ['two-stage stochastic, uncapacitated: one UFL over (scenario, client) pairs, Lagrangian branch-and-bound', 'exact'],
  'local-search': ['two-stage stochastic: add/drop/swap on the exact expected cost', 'heuristic'],
};
for (const method of STOCHASTIC_METHODS) {
  registerSolver({
    family: 'stochastic',
    method,
    modelKind: 'scenarios',
    description: STOCHASTIC_DESCRIPTIONS[method]![0],
    guarantee: STOCHASTIC_DESCRIPTIONS[method]![1],
    solve: (set, options) => solveStochastic(set as ScenarioSet, { ...options, method }),
  });
}
registerSolver({
  family: 'stochastic',
  method: 'saa',
  modelKind: 'scenarios',
  description: 'sample average approximation: M exact sample problems of N scenarios, candidate evaluated on N\' fresh scenarios (options.replications, samples, evaluationSamples)',
  guarantee: 'statistical bracket [lower, upper] of the optimum at options.confidence (default 95 %)',
  solve: (set, options) => solveSaa(set as ScenarioSet, options as SaaOptions),
});
for (const method of ROBUST_METHODS) {
  registerSolver({
    family: 'robust',
    method,
    modelKind: 'scenarios',
    description: `robust min-max or min-max regret (options.criterion): ${method === 'local-search' ? 'add/drop/swap on the exact worst case' : 'epigraph MIP through @emplace/lp'}`,
    guarantee: method === 'local-search' ? 'heuristic' : 'exact',
    solve: (set, options) => solveRobust(set as ScenarioSet, { ...(options as RobustOptions), method }),
  });
}
registerSolver({
  family: 'online-ufl',
  method: 'meyerson',
  modelKind: 'placement',
  description: "Meyerson's randomized online facility location: clients arrive in options.order, sites open irrevocably",
  guarantee: '4-competitive in expectation in random order (uniform opening cost, a site at every client, metric); O(log n) otherwise',
  solve: (model, options) => onlineFacilityLocation(model as PlacementModel, options as OnlineOptions),
});
registerSolver({
  family: 'online-ufl',
  method: 'auto',
  modelKind: 'placement',
  description: 'same as online-ufl:meyerson',
  guarantee: '4-competitive in expectation in random order (uniform opening cost, a site at every client, metric); O(log n) otherwise',
  solve: (model, options) => onlineFacilityLocation(model as PlacementModel, options as OnlineOptions),
});
