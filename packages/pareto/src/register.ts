import { registerSolver, type PlacementModel } from '@emplace/core';
import { nsga2, nsga3, type EvolutionOptions } from './evolve.js';
import { exactPlacementFront, placementFront, type ExactPlacementOptions, type PlacementEvolutionOptions } from './placement-front.js';
import type { MultiObjectiveProblem } from './problem.js';
import { autoPlacementFront } from './solve.js';

/**
 * Registry entries. Methods on a MultiObjectiveProblem (`kind: 'multi-objective'`):
 * pareto:nsga2, pareto:nsga3. Methods on a PlacementModel (`kind: 'placement'`, the
 * cost / latency / domains front): pareto:placement (evolutionary), pareto:epsilon-constraint
 * (exact cost vs latency, optionally vs domains) and pareto:auto (exact on at most 40
 * sites without affinity rules, else evolutionary).
 */
registerSolver({
  family: 'pareto',
  method: 'nsga2',
  modelKind: 'multi-objective',
  description: 'NSGA-II: non-dominated sorting + crowding distance, feasibility-first ranking',
  guarantee: 'heuristic (approximates the Pareto front)',
  solve: (model, options) => nsga2(model as MultiObjectiveProblem, options as EvolutionOptions),
});

registerSolver({
  family: 'pareto',
  method: 'nsga3',
  modelKind: 'multi-objective',
  description: 'NSGA-III: reference-direction niching for 3+ objectives',
  guarantee: 'heuristic (approximates the Pareto front)',
  solve: (model, options) => nsga3(model as MultiObjectiveProblem, options as EvolutionOptions),
});

registerSolver({
  family: 'pareto',
  method: 'placement',
  modelKind: 'placement',
  description: 'evolutionary front of cost / max latency / failure domains over open-site sets (NSGA-II or NSGA-III, unbounded archive)',
  guarantee: 'heuristic (approximates the Pareto front)',
  solve: (model, options) => placementFront(model as PlacementModel, options as PlacementEvolutionOptions),
});

registerSolver({
  family: 'pareto',
  method: 'epsilon-constraint',
  modelKind: 'placement',
  description: 'exact cost vs max-latency (vs domains) front: epsilon-constraint MIPs through @emplace/lp (HiGHS)',
  guarantee: 'exact (complete front when it runs to the end)',
  solve: (model, options) => exactPlacementFront(model as PlacementModel, options as ExactPlacementOptions),
});

registerSolver({
  family: 'pareto',
  method: 'auto',
  modelKind: 'placement',
  description: 'exact epsilon-constraint for cost / latency (/ domains) on up to 40 sites, else the evolutionary front',
  guarantee: 'exact on small models without (anti-)affinity, else heuristic',
  solve: (model, options) => autoPlacementFront(model as PlacementModel, options as PlacementEvolutionOptions & ExactPlacementOptions),
});
