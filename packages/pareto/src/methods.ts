import { defineMethods, type PlacementModel } from '@emplace/core';
import { nsga2, nsga3, type EvolutionOptions, type ParetoFrontSolution } from './evolve.js';
import type { PlacementFrontSolution } from './placement-front.js';
import type { MultiObjectiveProblem } from './problem.js';
import { AUTO_EXACT_MAX_SITES, PLACEMENT_FRONT_METHODS, type PlacementFrontMethodOptions } from './solve.js';

/*
 * The method tables of @emplace/pareto: the one place a method is declared. The registry
 * (register.ts), the CLI family, `emplace methods` and the README's methods table are derived
 * from them. Two tables share the family name: one takes a MultiObjectiveProblem, the other a
 * PlacementModel (the cost / latency / domains front).
 */

const APPROXIMATES = 'heuristic (approximates the Pareto front)';

export const PARETO_TABLE = defineMethods<MultiObjectiveProblem, EvolutionOptions, ParetoFrontSolution>()({
  family: 'pareto',
  modelKind: 'multi-objective',
  summary: 'Pareto front of a multi-objective problem',
  options: [
    { name: 'maxEvaluations', type: 'integer', min: 1, default: 25000, description: 'evaluation budget' },
    { name: 'populationSize', type: 'integer', min: 1, description: 'population size (default 100; NSGA-III: from the reference directions)' },
  ],
  methods: [
    { method: 'nsga2', description: 'NSGA-II: non-dominated sorting + crowding distance, feasibility-first ranking', guarantee: APPROXIMATES, solve: nsga2 },
    { method: 'nsga3', description: 'NSGA-III: reference-direction niching for 3+ objectives', guarantee: APPROXIMATES, solve: nsga3 },
  ],
});

const EVOLUTIONARY = ['auto', 'evolutionary'] as const;

export const PLACEMENT_FRONT_TABLE = defineMethods<PlacementModel, PlacementFrontMethodOptions, PlacementFrontSolution>()({
  family: 'pareto',
  modelKind: 'placement',
  summary: 'Pareto front of placements: cost vs max latency (vs failure domains)',
  options: [
    { name: 'objectives', type: 'list', choices: ['cost', 'latency', 'domains'], default: 'cost,latency,domains', description: 'objectives to trade off, in this order' },
    { name: 'latency', type: 'string', choices: ['cost', 'unit-cost'], default: 'cost', description: 'what the latency objective reads (or an array of per-client latencies)' },
    { name: 'domainLabel', type: 'string', description: "site label naming the failure domain (default the first of domain, zone, region present)" },
    { name: 'maxEvaluations', flag: 'evaluations', type: 'integer', min: 1, default: 20000, methods: EVOLUTIONARY, description: 'NSGA: evaluation budget' },
    { name: 'populationSize', flag: 'population', type: 'integer', min: 1, methods: EVOLUTIONARY, description: 'NSGA: population size' },
  ],
  methods: [
    {
      method: 'auto',
      description: `the epsilon-constraint front for cost / latency (/ domains) on up to ${AUTO_EXACT_MAX_SITES} sites without (anti-)affinity, else the evolutionary front`,
      guarantee: `exact (complete front) when the model qualifies (cost, latency[, domains]; <= ${AUTO_EXACT_MAX_SITES} sites; no (anti-)affinity) and the MIPs run to the end; otherwise ${APPROXIMATES}`,
      solve: PLACEMENT_FRONT_METHODS.auto,
    },
    {
      method: 'epsilon-constraint',
      description: 'exact cost vs max-latency (vs domains) front: epsilon-constraint MIPs through @emplace/lp (HiGHS)',
      guarantee: 'exact (complete front when it runs to the end; the points found so far otherwise)',
      solve: PLACEMENT_FRONT_METHODS.exact,
    },
    {
      method: 'evolutionary',
      description: 'evolutionary front over open-site sets (NSGA-II for 2 objectives, NSGA-III for 3, unbounded archive)',
      guarantee: APPROXIMATES,
      solve: PLACEMENT_FRONT_METHODS.evolutionary,
    },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [PLACEMENT_FRONT_TABLE, PARETO_TABLE] as const;
