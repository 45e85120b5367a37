import { registerSolver, type PlacementModel, type Result, type SolveOptions } from '@emplace/core';
import { lscpExact, lscpGreedy } from './lscp.js';
import { mclpExact, mclpGreedy } from './mclp.js';
import { pDispersionExact, pDispersionGreedy } from './p-dispersion.js';
import { survivableExact, survivableGreedy } from './survivable.js';

type Entry = (model: PlacementModel, options: SolveOptions & Record<string, unknown>) => Result<unknown> | Promise<Result<unknown>>;

/** The coverage families (lscp, mclp, pdispersion, survivable): `exact` is each family's `auto`. */
const methods: { family: string; method: string; description: string; guarantee: string; solve: Entry }[] = [
  { family: 'lscp', method: 'greedy', description: 'covering reductions + greedy set cover + redundant-site removal; capacity-aware greedy with capacities', guarantee: 'H(max sites covered) approximation uncapacitated, packing lower bound; heuristic with capacities', solve: lscpGreedy },
  { family: 'lscp', method: 'exact', description: 'reduced set-cover MIP (capacitated assignment MIP with capacities) through @emplace/lp', guarantee: 'exact', solve: lscpExact },
  { family: 'mclp', method: 'greedy', description: 'greedy maximum coverage + swap local search, submodular upper bound', guarantee: '(1 - 1/e)-approximation', solve: mclpGreedy },
  { family: 'mclp', method: 'exact', description: 'reduced maximal-covering MIP through @emplace/lp, warm-started', guarantee: 'exact', solve: mclpExact },
  { family: 'pdispersion', method: 'greedy', description: 'farthest-point greedy + swap search', guarantee: '2-approximation on metric distances, with upper bound', solve: pDispersionGreedy },
  { family: 'pdispersion', method: 'exact', description: 'binary search over distances, independent-set feasibility MIP with clique rows', guarantee: 'exact', solve: pDispersionExact },
  { family: 'survivable', method: 'greedy', description: 'greedy multicover + redundancy removal + swap search', guarantee: 'heuristic', solve: survivableGreedy },
  { family: 'survivable', method: 'exact', description: 'reduced multicover MIP (plus serving assignment) through @emplace/lp', guarantee: 'exact', solve: survivableExact },
];

for (const m of methods) {
  for (const method of m.method === 'exact' ? ['exact', 'auto'] : [m.method]) {
    registerSolver({ family: m.family, method, modelKind: 'placement', description: m.description, guarantee: m.guarantee, solve: (model, options) => m.solve(model as PlacementModel, options) });
  }
}
