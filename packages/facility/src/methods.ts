import { defineMethods, type MethodSpec, type PlacementModel, type Result } from '@emplace/core';
import { onlineFacilityLocationAsync, type OnlineFacilitySolution, type OnlineOptions } from './online-meyerson.js';
import { solveRobust, type RobustMethod, type RobustOptions, type RobustSolution } from './robust.js';
import { solveSaa, type SaaOptions, type SaaSolution } from './saa.js';
import type { ScenarioSet } from './scenarios.js';
import type { FacilitySolution } from './solution.js';
import {
  solveCfl,
  solvePMedian,
  solveSscfl,
  solveUfl,
  type CflMethod,
  type FacilityOptions,
  type PMedianMethod,
  type PMedianOptions,
  type SscflMethod,
  type UflMethod,
} from './solvers.js';
import { solveStochastic, type ScenarioSolution, type StochasticMethod, type StochasticOptions } from './stochastic.js';

/*
 * The method tables of @emplace/facility: the one place a method is declared. The registry
 * (register.ts), the CLI families, `emplace methods` and the README's methods table are
 * derived from them.
 */

/**
 * What `auto` promises. Its budget when no timeLimitMs is given (autoBudgetMs in solvers.ts):
 * none up to 10,000 site x client pairs; beyond, 6.5 s uncapacitated, 50 s capacitated.
 */
const AUTO_GUARANTEE = (budget: string) =>
  `exact (status optimal) when it finishes within its budget (without timeLimitMs: unlimited up to 10,000 site x client pairs, ${budget} beyond); otherwise the best plan with the proven Lagrangian bound`;
const EXACT_WHEN_DONE = 'exact when it finishes; otherwise the best plan with the proven bound';
const LAGRANGIAN = { description: 'subgradient Lagrangian relaxation of the assignment constraints: proven bound + Lagrangian heuristic', guarantee: 'heuristic with a proven lower bound' };
const BRANCH_AND_BOUND = { description: 'branch-and-bound on the Lagrangian bound with reduced-cost fixing', guarantee: EXACT_WHEN_DONE };
const MIP = { description: 'strong MIP formulation (x_ij <= y_i) through @emplace/lp, warm-started from the heuristic', guarantee: EXACT_WHEN_DONE };
const LOCAL_SEARCH = 'greedy start + add/drop/swap local search';

/** The bounded methods the variants share, by name (SSCFL has no branch-and-bound of its own). */
const BOUNDED = { lagrangian: LAGRANGIAN, 'branch-and-bound': BRANCH_AND_BOUND, mip: MIP } as const;

function boundedRows<O, K extends keyof typeof BOUNDED>(
  solve: (method: K) => (model: PlacementModel, options: O) => Promise<Result<FacilitySolution>>,
  methods: readonly K[],
): MethodSpec<PlacementModel, O, FacilitySolution, K>[] {
  return methods.map((method) => {
    const { description, guarantee }: { description: string; guarantee: string } = BOUNDED[method];
    return { method, description, guarantee, solve: solve(method) };
  });
}

const ufl = (method: UflMethod) => (model: PlacementModel, options: FacilityOptions) => solveUfl(model, { ...options, method });
const cfl = (method: CflMethod) => (model: PlacementModel, options: FacilityOptions) => solveCfl(model, { ...options, method });
const sscfl = (method: SscflMethod) => (model: PlacementModel, options: FacilityOptions) => solveSscfl(model, { ...options, method });
const pmedian = (method: PMedianMethod) => (model: PlacementModel, options: PMedianOptions) => solvePMedian(model, { ...options, method });

export const UFL_TABLE = defineMethods<PlacementModel, FacilityOptions, FacilitySolution>()({
  family: 'ufl',
  modelKind: 'placement',
  summary: 'uncapacitated facility location',
  methods: [
    { method: 'auto', description: 'Lagrangian branch-and-bound', guarantee: AUTO_GUARANTEE('6.5 s'), solve: ufl('auto') },
    { method: 'greedy', description: 'Jain-Mahdian-Saberi greedy stars', guarantee: '1.61-approximation (metric costs)', solve: ufl('greedy') },
    { method: 'local-search', description: LOCAL_SEARCH, guarantee: '3-approximation (metric costs)', solve: ufl('local-search') },
    ...boundedRows(ufl, ['lagrangian', 'branch-and-bound', 'mip']),
  ],
});

export const CFL_TABLE = defineMethods<PlacementModel, FacilityOptions, FacilitySolution>()({
  family: 'cfl',
  modelKind: 'placement',
  summary: 'capacitated facility location, split demand',
  methods: [
    { method: 'auto', description: 'small instances (<= 50 sites, <= 10,000 pairs): a depth-first Lagrangian branch-and-bound of their own; larger: Lagrangian branch-and-bound, a swap search priced by the transportation duals, then the same tree resumed (the reduced MIP when <= 30 sites are free)', guarantee: AUTO_GUARANTEE('50 s'), solve: cfl('auto') },
    { method: 'greedy', description: 'greedy opening with transportation assignment', guarantee: 'heuristic', solve: cfl('greedy') },
    { method: 'local-search', description: LOCAL_SEARCH, guarantee: 'heuristic', solve: cfl('local-search') },
    ...boundedRows(cfl, ['lagrangian', 'branch-and-bound', 'mip']),
  ],
});

export const SSCFL_TABLE = defineMethods<PlacementModel, FacilityOptions, FacilitySolution>()({
  family: 'sscfl',
  modelKind: 'placement',
  summary: 'single-source capacitated facility location',
  methods: [
    {
      method: 'auto',
      description: 'split-demand bound and rounded plan, then Lagrangian branch-and-bound on the single-source (0-1 knapsack) relaxation interleaved with an iterated local search (site kicks, client moves, exact pair re-splits); the MIP only when no plan is found',
      guarantee: AUTO_GUARANTEE('50 s'),
      solve: sscfl('auto'),
    },
    { method: 'greedy', description: 'greedy opening, single-source assignment', guarantee: 'heuristic', solve: sscfl('greedy') },
    { method: 'local-search', description: LOCAL_SEARCH, guarantee: 'heuristic', solve: sscfl('local-search') },
    ...boundedRows(sscfl, ['lagrangian', 'branch-and-bound', 'mip']),
  ],
});

export const PMEDIAN_TABLE = defineMethods<PlacementModel, PMedianOptions, FacilitySolution>()({
  family: 'pmedian',
  modelKind: 'placement',
  summary: 'p-median: open p sites minimising the total client distance',
  options: [{ name: 'p', type: 'integer', min: 1, required: true, description: 'number of sites to open' }],
  methods: [
    { method: 'auto', description: 'Lagrangian branch-and-bound', guarantee: AUTO_GUARANTEE('6.5 s'), solve: pmedian('auto') },
    { method: 'greedy', description: 'greedy add', guarantee: 'heuristic', solve: pmedian('greedy') },
    {
      method: 'interchange',
      description: 'greedy start + fast vertex-substitution interchange (Whitaker / Resende-Werneck)',
      guarantee: '5-approximation (metric costs, local optimum of single swaps)',
      solve: pmedian('interchange'),
    },
    ...boundedRows(pmedian, ['lagrangian', 'branch-and-bound', 'mip']),
  ],
});

const stochastic = (method: StochasticMethod) => (set: ScenarioSet, options: StochasticOptions) => solveStochastic(set, { ...options, method });
const SAA = ['saa'] as const;

export const STOCHASTIC_TABLE = defineMethods<ScenarioSet, StochasticOptions & SaaOptions, ScenarioSolution | SaaSolution>()({
  family: 'stochastic',
  modelKind: 'scenarios',
  summary: 'two-stage stochastic placement: open sites now, serve each scenario at its own cost',
  options: [
    { name: 'samples', type: 'integer', min: 1, default: 50, methods: SAA, description: 'scenarios per sample problem' },
    { name: 'replications', type: 'integer', min: 2, default: 10, methods: SAA, description: 'number of sample problems' },
    { name: 'evaluationSamples', type: 'integer', min: 2, default: 5000, methods: SAA, description: "fresh scenarios that estimate the chosen set's cost" },
    { name: 'confidence', type: 'number', min: 0, default: 0.95, methods: SAA, description: 'confidence of the bracket, in (0, 1)' },
  ],
  methods: [
    { method: 'auto', description: 'ufl-equivalent when uncapacitated, extensive form otherwise (the local search, with a warning, when that exceeds the memory limit)', guarantee: `${EXACT_WHEN_DONE}; heuristic above the memory limit`, solve: stochastic('auto') },
    { method: 'extensive', description: 'extensive-form MIP through @emplace/lp', guarantee: EXACT_WHEN_DONE, solve: stochastic('extensive') },
    {
      method: 'ufl-equivalent',
      description: 'uncapacitated: one UFL over (scenario, client) pairs, Lagrangian branch-and-bound',
      guarantee: EXACT_WHEN_DONE,
      solve: stochastic('ufl-equivalent'),
    },
    { method: 'local-search', description: 'add/drop/swap on the exact expected cost', guarantee: 'heuristic', solve: stochastic('local-search') },
    {
      method: 'saa',
      description: "sample average approximation: M exact sample problems of N scenarios, the candidate evaluated on N' fresh scenarios",
      guarantee: 'statistical bracket [lower, upper] of the optimum at options.confidence',
      solve: solveSaa,
    },
  ],
});

const robust = (method: RobustMethod) => (set: ScenarioSet, options: RobustOptions) => solveRobust(set, { ...options, method });

export const ROBUST_TABLE = defineMethods<ScenarioSet, RobustOptions, RobustSolution>()({
  family: 'robust',
  modelKind: 'scenarios',
  summary: 'robust placement: smallest worst-case cost or regret over the scenarios',
  options: [{ name: 'criterion', type: 'string', choices: ['min-max', 'min-max-regret'], default: 'min-max', description: 'worst-case cost or worst regret against each scenario\'s optimum' }],
  methods: [
    { method: 'auto', description: 'the mip method up to 50,000 columns, the local search above (with a warning)', guarantee: 'exact when the mip runs and finishes; heuristic above 50,000 columns', solve: robust('auto') },
    { method: 'mip', description: 'epigraph MIP through @emplace/lp', guarantee: EXACT_WHEN_DONE, solve: robust('mip') },
    { method: 'local-search', description: 'add/drop/swap on the exact worst case', guarantee: 'heuristic', solve: robust('local-search') },
  ],
});

const COMPETITIVE = '4-competitive in expectation in random order (uniform opening cost, a site at every client, metric); O(log n) otherwise';

export const ONLINE_UFL_TABLE = defineMethods<PlacementModel, OnlineOptions, OnlineFacilitySolution>()({
  family: 'online-ufl',
  modelKind: 'placement',
  summary: 'online facility location: clients arrive one at a time, sites open irrevocably',
  options: [{ name: 'order', type: 'string', choices: ['given', 'random'], default: 'given', description: 'arrival order of the clients (or an array of client indices)' }],
  methods: [
    { method: 'auto', description: 'the meyerson method', guarantee: COMPETITIVE, solve: onlineFacilityLocationAsync },
    { method: 'meyerson', description: "Meyerson's randomized online facility location", guarantee: COMPETITIVE, solve: onlineFacilityLocationAsync },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [UFL_TABLE, CFL_TABLE, SSCFL_TABLE, PMEDIAN_TABLE, STOCHASTIC_TABLE, ROBUST_TABLE, ONLINE_UFL_TABLE] as const;
