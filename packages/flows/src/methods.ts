import { defineMethods, type Graph } from '@emplace/core';
import { solveMcfApprox, type GargKonemannOptions } from './garg-konemann.js';
import { solveGomoryHu, type GomoryHuSolution, type GomoryHuSolveOptions } from './gomory-hu.js';
import { solveMcfLp, type McfLpOptions, type McfSolution } from './mcf-lp.js';
import { solveMinCostFlow, type MinCostFlowOptions, type MinCostFlowSolution } from './min-cost-flow.js';
import type { FlowNetwork } from './network.js';
import { solveLinkUpgrade, type LinkUpgradeOptions, type LinkUpgradeSolution } from './upgrade.js';
import type { McfProblem } from './traffic.js';

/*
 * The method tables of @emplace/flows: the one place a method is declared. The registry
 * (register.ts), the CLI families, `emplace methods` and the README's methods table are
 * derived from them.
 */

const NETWORK_SIMPLEX = 'primal network simplex with block search and potentials';
const MIN_COST_GUARANTEE = 'exact (integral when the data is; infeasible comes with a cut)';

export const MINCOSTFLOW_TABLE = defineMethods<FlowNetwork, MinCostFlowOptions, MinCostFlowSolution>()({
  family: 'mincostflow',
  modelKind: 'flow-network',
  summary: 'minimum-cost flow with supplies, lower bounds, capacities and costs',
  options: [{ name: 'blockSize', type: 'integer', min: 1, description: 'arcs scanned per pricing block (default sqrt(arcs))' }],
  methods: [
    { method: 'auto', description: `the network-simplex method`, guarantee: MIN_COST_GUARANTEE, solve: solveMinCostFlow },
    { method: 'network-simplex', description: NETWORK_SIMPLEX, guarantee: MIN_COST_GUARANTEE, solve: solveMinCostFlow },
  ],
});

const GUSFIELD = "Gomory-Hu cut tree by Gusfield's n - 1 Dinic max-flows: all-pairs min cuts and the weakest cuts";

export const GOMORYHU_TABLE = defineMethods<Graph, GomoryHuSolveOptions, GomoryHuSolution>()({
  family: 'gomoryhu',
  modelKind: 'graph',
  summary: 'all-pairs minimum cuts (capacities = edge weights)',
  options: [{ name: 'weakest', type: 'integer', min: 0, default: 10, description: 'how many weakest cuts to list' }],
  methods: [
    { method: 'auto', description: 'the gusfield method', guarantee: 'exact', solve: solveGomoryHu },
    { method: 'gusfield', description: GUSFIELD, guarantee: 'exact', solve: solveGomoryHu },
  ],
});

type McfTableOptions = Omit<McfLpOptions, 'objective'> & GargKonemannOptions;
const minCost = (problem: McfProblem, options: McfTableOptions) => solveMcfLp(problem, { ...options, objective: 'min-cost' });

export const MCF_TABLE = defineMethods<McfProblem, McfTableOptions, McfSolution>()({
  family: 'mcf',
  modelKind: 'mcf',
  summary: 'multi-commodity flow: min-cost routing of every demand, or maximum concurrent flow',
  options: [{ name: 'epsilon', type: 'number', min: 0, default: 0.1, methods: ['garg-konemann'], description: 'accuracy: the flow is within (1 - eps)^-3 of the optimum' }],
  methods: [
    { method: 'auto', description: 'the lp method', guarantee: 'exact when the LP finishes', solve: minCost },
    { method: 'lp', description: 'min-cost multi-commodity flow: arc LP aggregated by (source, class weight), HiGHS', guarantee: 'exact when the LP finishes', solve: minCost },
    {
      method: 'concurrent-lp',
      description: 'maximum concurrent flow: arc LP aggregated by source, HiGHS',
      guarantee: 'exact when the LP finishes',
      solve: (problem, options) => solveMcfLp(problem, { ...options, objective: 'max-concurrent' }),
    },
    {
      method: 'garg-konemann',
      description: 'maximum concurrent flow: Garg-Koenemann / Fleischer multiplicative lengths, with a proven dual bound each phase',
      guarantee: '(1 - eps)^-3 approximation with a proven bound (eps = options.epsilon, default 0.1)',
      solve: solveMcfApprox,
    },
  ],
});

export const LINK_UPGRADE_TABLE = defineMethods<McfProblem, LinkUpgradeOptions, LinkUpgradeSolution>()({
  family: 'link-upgrade',
  modelKind: 'mcf',
  summary: 'cheapest capacity additions (options.unitCost per edge) that carry every demand',
  options: [
    { name: 'moduleSize', type: 'number', min: 0, description: 'buy capacity in modules of this size (integer modules: a MIP; default continuous: an LP)' },
    { name: 'includeRoutingCost', type: 'boolean', default: false, description: 'add the routing cost to the objective' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'arc LP over routing and added capacity (a MIP with moduleSize), HiGHS',
      guarantee: 'exact when the LP / MIP finishes; otherwise the best plan with the MIP bound',
      solve: solveLinkUpgrade,
    },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [MINCOSTFLOW_TABLE, GOMORYHU_TABLE, MCF_TABLE, LINK_UPGRADE_TABLE] as const;
