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
  type PMedianOptions,
} from './solvers.js';

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
    solve: (model, options) => solvePMedian(model as PlacementModel, { ...(options as unknown as PMedianOptions), method }),
  });
}
