import { registerSolver, type Graph } from '@emplace/core';
import { solveGomoryHu } from './gomory-hu.js';
import { solveMinCostFlow } from './min-cost-flow.js';
import { solveMcfApprox } from './garg-konemann.js';
import { solveMcfLp } from './mcf-lp.js';
import type { FlowNetwork } from './network.js';
import type { McfProblem } from './traffic.js';

for (const method of ['network-simplex', 'auto'] as const) {
  registerSolver({
    family: 'mincostflow',
    method,
    modelKind: 'flow-network',
    description: 'Minimum-cost flow (supplies, lower bounds, capacities, costs): primal network simplex, block search, with potentials',
    guarantee: 'exact (integral when the data is; infeasible comes with a cut)',
    solve: (model, options) => solveMinCostFlow(model as FlowNetwork, options),
  });
}

for (const method of ['gusfield', 'auto'] as const) {
  registerSolver({
    family: 'gomoryhu',
    method,
    modelKind: 'graph',
    description: "Gomory-Hu cut tree (Gusfield: n - 1 Dinic max-flows): all-pairs min cuts and the weakest cuts",
    guarantee: 'exact',
    solve: (model, options) => solveGomoryHu(model as Graph, options),
  });
}

registerSolver({
  family: 'mcf',
  method: 'lp',
  modelKind: 'mcf',
  description: 'Min-cost multi-commodity flow: arc LP aggregated by (source, class weight), HiGHS',
  guarantee: 'exact',
  solve: (model, options) => solveMcfLp(model as McfProblem, { ...options, objective: 'min-cost' }),
});
registerSolver({
  family: 'mcf',
  method: 'auto',
  modelKind: 'mcf',
  description: 'Min-cost multi-commodity flow (the arc LP)',
  guarantee: 'exact',
  solve: (model, options) => solveMcfLp(model as McfProblem, { ...options, objective: 'min-cost' }),
});
registerSolver({
  family: 'mcf',
  method: 'concurrent-lp',
  modelKind: 'mcf',
  description: 'Maximum concurrent flow: arc LP aggregated by source, HiGHS',
  guarantee: 'exact',
  solve: (model, options) => solveMcfLp(model as McfProblem, { ...options, objective: 'max-concurrent' }),
});
registerSolver({
  family: 'mcf',
  method: 'garg-konemann',
  modelKind: 'mcf',
  description: 'Maximum concurrent flow: Garg-Koenemann / Fleischer multiplicative lengths, with a proven dual bound each phase',
  guarantee: '(1 - eps)^-3 approximation (eps = options.epsilon, default 0.1)',
  solve: (model, options) => solveMcfApprox(model as McfProblem, options),
});
