import { defineMethods, type PlacementModel, type Result } from '@emplace/core';
import {
  GAP_DEFAULT_TIME_LIMIT_MS,
  gapAutoAsync,
  gapBranchAndBoundAsync,
  gapLagrangianAsync,
  gapMthg,
  gapTabuSearchAsync,
  gapEjectionChain,
  type GapOptions,
} from './gap.js';
import type { GapSolution } from './gap-instance.js';
import { gapMip } from './gap-mip.js';
import type { ReplicaModel } from './replicas/model.js';
import type { ReplicaMethod, ReplicaOptions, ReplicaSolution } from './replicas/solution.js';
import { REPLICAS_AUTO_MAX_PAIRS, REPLICAS_DEFAULT_TIME_LIMIT_MS, solveReplicas } from './replicas/solve.js';
import type { ScheduleSolution } from './schedule-evaluate.js';
import type { ScheduleModel } from './schedule-model.js';
import { SCHEDULE_DEFAULT_TIME_LIMIT_MS, scheduleAuto, scheduleGreedyAsync, scheduleLocalSearchAsync, scheduleMip, type ScheduleOptions } from './schedule.js';

/*
 * The method tables of @emplace/assignment (GAP, scheduling, replica placement): the one place
 * a method is declared. The registry (register.ts), the CLI families, `emplace methods` and the
 * README's methods table are derived from them. The async variants of the GAP methods run the
 * same steps but yield to the event loop (in-thread abort).
 */

const seconds = (ms: number) => `${ms / 1000} s`;

export const GAP_TABLE = defineMethods<PlacementModel, GapOptions & { warmStart?: boolean; backend?: 'highs' | 'glpk' | 'jslp' }, GapSolution>()({
  family: 'gap',
  modelKind: 'placement',
  summary: 'generalized assignment: every job to one agent within the agents\' capacities',
  options: [
    { name: 'sense', type: 'string', choices: ['min', 'max'], default: 'min', description: 'minimise or maximise the assignment cost' },
    { name: 'maxNodes', type: 'integer', min: 0, methods: ['auto', 'branch-and-bound'], description: 'work bound in branch-and-bound nodes: no default time limit, result independent of the machine' },
    { name: 'maxIterations', type: 'integer', min: 1, methods: ['auto', 'lagrangian', 'tabu', 'ejection-chain', 'branch-and-bound'], description: 'subgradient iterations (lagrangian, default 1000), tabu moves (default 10,000 with maxNodes) or ejection-chain local optima' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'MTHG + Lagrangian bound (Polyak target 5 % above the incumbent), tabu search and LNS in turns with branch-and-bound (paused between turns, not restarted); with integer costs the search first probes below the incumbent (Posta, Ferland & Michelon 2012)',
      guarantee: `exact (status optimal) when it finishes within its budget (default ${seconds(GAP_DEFAULT_TIME_LIMIT_MS)} without timeLimitMs or maxNodes); otherwise the best plan with a proven Lagrangian bound`,
      solve: gapAutoAsync,
    },
    { method: 'mthg', description: 'Martello-Toth MTHG regret heuristic with its improvement phase', guarantee: 'heuristic', solve: gapMthg },
    {
      method: 'lagrangian',
      description: 'Lagrangian relaxation of the assignment constraints (knapsack per agent), subgradient, Lagrangian heuristic',
      guarantee: 'heuristic plan with a proven Lagrangian bound',
      solve: gapLagrangianAsync,
    },
    {
      method: 'tabu',
      description: 'tabu search with strategic oscillation over capacity, shift + swap moves',
      guarantee: `heuristic with the Lagrangian bound (default budget ${seconds(GAP_DEFAULT_TIME_LIMIT_MS)})`,
      solve: gapTabuSearchAsync,
    },
    {
      method: 'ejection-chain',
      description: 'ejection chains (shift, swap, two-step chains) with adaptive per-agent capacity penalties, Yagiura-Ibaraki-Glover',
      guarantee: `heuristic with the Lagrangian bound (default budget ${seconds(GAP_DEFAULT_TIME_LIMIT_MS)})`,
      solve: gapEjectionChain,
    },
    { method: 'branch-and-bound', description: 'depth-first branch-and-bound on the Lagrangian bound with reduced-cost fixing, probing below the incumbent with integer costs', guarantee: 'exact when it finishes; otherwise the best plan with the proven bound', solve: gapBranchAndBoundAsync },
    { method: 'mip', description: 'GAP as a MIP through @emplace/lp (HiGHS), warm-started with MTHG', guarantee: 'exact when the MIP finishes; otherwise the best plan with the MIP bound', solve: gapMip },
  ],
});

export const SCHEDULE_TABLE = defineMethods<ScheduleModel, ScheduleOptions, ScheduleSolution>()({
  family: 'schedule',
  modelKind: 'schedule',
  summary: 'multi-cluster scheduling with affinity, anti-affinity, network and migration costs',
  options: [
    { name: 'maxRoundsWithoutImprovement', type: 'integer', min: 1, default: 30, methods: ['auto', 'local-search'], description: 'local search: rounds without improvement before it stops' },
    { name: 'maxMipVariables', type: 'integer', min: 1, default: 200_000, methods: ['mip'], description: 'largest MIP the mip method builds' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'warm-started MIP when the linearised model is small (<= 5,000 variables, <= 60 units), iterated local search otherwise',
      guarantee: `exact (status optimal) when the MIP is chosen and finishes within its budget (default ${seconds(SCHEDULE_DEFAULT_TIME_LIMIT_MS)}); otherwise heuristic (with the MIP bound when the MIP ran)`,
      solve: scheduleAuto,
    },
    { method: 'greedy', description: 'hardest-first cheapest feasible cluster, one-step ejection when full', guarantee: 'heuristic', solve: scheduleGreedyAsync },
    { method: 'local-search', description: 'iterated local search: shift moves and ejection chains, incremental network term', guarantee: 'heuristic', solve: scheduleLocalSearchAsync },
    { method: 'mip', description: 'MIP through @emplace/lp with the network term linearised (small instances), warm-started', guarantee: 'exact when the MIP finishes; otherwise the best plan with the MIP bound', solve: scheduleMip },
  ],
});

const replicas = (method: ReplicaMethod) => (model: ReplicaModel, options: ReplicaOptions) => solveReplicas(model, { ...options, method });

export const REPLICAS_TABLE = defineMethods<ReplicaModel, ReplicaOptions, ReplicaSolution>()({
  family: 'replicas',
  modelKind: 'replicas',
  summary: 'replicas per workload and cluster (Karmada-style propagation policies)',
  options: [{ name: 'maxMipPairs', type: 'integer', min: 1, methods: ['auto', 'exact'], description: '(workload, cluster) pairs above which exact relaxes the shared capacity (Lagrangian) instead of the MIP' }],
  methods: [
    {
      method: 'auto',
      description: `the staged MIP warm-started from the greedy, the greedy on models of more than ${REPLICAS_AUTO_MAX_PAIRS.toLocaleString('en')} (workload, cluster) pairs`,
      guarantee: `exact (status optimal) when the MIP finishes within its budget (default ${seconds(REPLICAS_DEFAULT_TIME_LIMIT_MS)}); otherwise the best plan with the MIP bound; heuristic on models too big for the MIP`,
      solve: replicas('auto'),
    },
    { method: 'greedy', description: 'constructive: cheapest clusters under every limit, spread/skew repair, N-1 retries', guarantee: 'heuristic (may leave a feasible workload unplaced)', solve: replicas('greedy') },
    { method: 'exact', description: 'the staged MIP through @emplace/lp: priorities, aggregated, weighted or lexicographic objective', guarantee: 'exact when the MIP finishes; otherwise the best plan with the MIP bound', solve: replicas('exact') },
    { method: 'karmada', description: "Karmada's own replica division (duplicated, static/dynamic weights, aggregated, overflow tiers)", guarantee: 'heuristic (what Karmada does; constraints it ignores are listed in warnings)', solve: replicas('karmada') },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [GAP_TABLE, SCHEDULE_TABLE, REPLICAS_TABLE] as const;

/** GAP by `options.method` (default `auto`), from the table: `solveGap(model, { method: 'tabu', sense: 'max' })`. */
export function solveGap(model: PlacementModel, options: Parameters<typeof GAP_TABLE.solve>[1] = {}): Promise<Result<GapSolution>> {
  return GAP_TABLE.solve(model, options);
}

/** Multi-cluster scheduling by `options.method` (default `auto`), from the table. */
export function solveSchedule(model: ScheduleModel, options: Parameters<typeof SCHEDULE_TABLE.solve>[1] = {}): Promise<Result<ScheduleSolution>> {
  return SCHEDULE_TABLE.solve(model, options);
}
