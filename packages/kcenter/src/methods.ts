import { defineMethods, type PlacementModel } from '@emplace/core';
import type { CoverageSolution, DispersionSolution, LscpOptions, MclpOptions, PDispersionOptions, SurvivableOptions, SurvivableSolution } from './coverage-types.js';
import type { IncrementalOptions } from './incremental.js';
import { auto } from './auto.js';
import { capacitatedGreedyAsync } from './capacitated.js';
import { exact } from './exact.js';
import { gonzalezAsync } from './gonzalez.js';
import { hochbaumShmoysAsync } from './hochbaum-shmoys.js';
import { incrementalKCenterAsync } from './incremental.js';
import { localSearchMethodAsync } from './local-search.js';
import { lscpExact, lscpGreedyAsync } from './lscp.js';
import { mclpExact, mclpGreedyAsync } from './mclp.js';
import { outliersGreedyAsync } from './outliers.js';
import { pDispersionExact, pDispersionGreedyAsync } from './p-dispersion.js';
import { survivableExact, survivableGreedyAsync } from './survivable.js';
import type { KCenterOptions, KCenterSolution } from './types.js';
import { isUncovered, settleUncovered } from './uncovered.js';
import type { KCenterResult } from './common.js';

/*
 * The method tables of @emplace/kcenter (k-center and the coverage families): the one place a
 * method is declared. The registry (register.ts), the CLI families, `emplace methods` and the
 * README's methods table and the uniform entries of solve.ts are derived from them: a new method
 * is one row here (plus its implementation and test).
 */

const APPROX2 = '2-approximation on metric vertex k-center (3 for k-supplier)';
/** A heuristic whose dead end (no k sites serve every client) the exact search settles (uncovered.ts). */
const settling =
  (method: (model: PlacementModel, options?: KCenterOptions) => KCenterResult | Promise<KCenterResult>) =>
  async (model: PlacementModel, options?: KCenterOptions): Promise<KCenterResult> => {
    const result = await method(model, options);
    return isUncovered(result) ? settleUncovered(model, options, result) : result;
  };

const K = { name: 'k', type: 'integer', min: 0, required: true, description: 'number of sites to open' } as const;

export const KCENTER_TABLE = defineMethods<PlacementModel, IncrementalOptions, KCenterSolution>()({
  family: 'kcenter',
  modelKind: 'placement',
  summary: 'k-center / p-center: open k sites minimising the largest (weighted) client distance',
  options: [
    K,
    { name: 'outliers', type: 'integer', min: 0, default: 0, description: 'clients that may be left unserved (k-center with outliers)' },
    { name: 'capacitated', type: 'boolean', default: true, description: 'honour site capacities (false: ignore them)' },
    { name: 'order', type: 'string', choices: ['given', 'random'], default: 'given', methods: ['incremental'], description: 'arrival order of the clients (or an array of client indices)' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'the exact search',
      guarantee: 'exact (status optimal) when it finishes (no default time limit); with timeLimitMs, the best centres and the proven radius bound',
      solve: auto,
    },
    {
      method: 'exact',
      description: 'radius search over sorted distances with reduced set-cover MIPs on growing client subsets (HiGHS)',
      guarantee: 'exact when it finishes; otherwise the best centres and the proven radius bound',
      solve: exact,
    },
    { method: 'gonzalez', description: 'farthest-first traversal, O(k (sites + clients))', guarantee: `${APPROX2}, packing lower bound`, solve: settling(gonzalezAsync) },
    { method: 'hochbaum-shmoys', description: 'bottleneck threshold search (Hochbaum-Shmoys / Plesnik for weights)', guarantee: `${APPROX2}, proven lower bound`, solve: settling(hochbaumShmoysAsync) },
    { method: 'local', description: 'swap local search on the critical client from Gonzalez or options.initial', guarantee: 'heuristic', solve: settling(localSearchMethodAsync) },
    { method: 'outliers', description: 'Charikar-Khuller-Mount-Narasimhan greedy for k-center with z outliers', guarantee: '3-approximation on metric unweighted input', solve: settling(outliersGreedyAsync) },
    { method: 'capacitated', description: 'capacity-aware greedy opening over a radius search, max-flow assignment', guarantee: 'heuristic, packing lower bound', solve: settling(capacitatedGreedyAsync) },
    {
      method: 'incremental',
      description: 'incremental doubling (Charikar-Chekuri-Feder-Motwani): clients arrive in options.order, centres merge, never move',
      guarantee: '8-competitive after every arrival (metric, unit weights, a site at every client)',
      solve: (model, options) => incrementalKCenterAsync(model, options),
    },
  ],
});

const RADIUS = { name: 'radius', type: 'number', min: 0, required: true, description: 'coverage radius: a site covers a client at distance <= radius' } as const;
const MIP = 'through @emplace/lp';

export const LSCP_TABLE = defineMethods<PlacementModel, LscpOptions, CoverageSolution>()({
  family: 'lscp',
  modelKind: 'placement',
  summary: 'location set covering: the fewest sites covering every client within the radius',
  options: [RADIUS, { name: 'capacitated', type: 'boolean', default: true, description: 'honour site capacities (false: ignore them)' }],
  methods: [
    { method: 'auto', description: 'the exact method', guarantee: 'exact when the MIP finishes; otherwise the best cover with the MIP bound', solve: lscpExact },
    { method: 'exact', description: `reduced set-cover MIP (capacitated assignment MIP with capacities) ${MIP}`, guarantee: 'exact when the MIP finishes', solve: lscpExact },
    {
      method: 'greedy',
      description: 'covering reductions + greedy set cover + redundant-site removal; capacity-aware greedy with capacities',
      guarantee: 'H(max sites covered) approximation uncapacitated, packing lower bound; heuristic with capacities',
      solve: lscpGreedyAsync,
    },
  ],
});

export const MCLP_TABLE = defineMethods<PlacementModel, MclpOptions, CoverageSolution>()({
  family: 'mclp',
  modelKind: 'placement',
  summary: 'maximal covering location: k sites covering the most demand within the radius',
  options: [K, RADIUS],
  methods: [
    { method: 'auto', description: 'the exact method', guarantee: 'exact when the MIP finishes; otherwise the best sites with the MIP bound', solve: mclpExact },
    { method: 'exact', description: `reduced maximal-covering MIP ${MIP}, warm-started`, guarantee: 'exact when the MIP finishes', solve: mclpExact },
    { method: 'greedy', description: 'greedy maximum coverage + swap local search, submodular upper bound', guarantee: '(1 - 1/e)-approximation', solve: mclpGreedyAsync },
  ],
});

export const PDISPERSION_TABLE = defineMethods<PlacementModel, PDispersionOptions, DispersionSolution>()({
  family: 'pdispersion',
  modelKind: 'placement',
  summary: 'p-dispersion: k sites as far apart as possible',
  options: [K],
  methods: [
    { method: 'auto', description: 'the exact method', guarantee: 'exact when its MIPs finish; otherwise the best sites with the proven bound', solve: pDispersionExact },
    { method: 'exact', description: 'binary search over distances, independent-set feasibility MIP with clique rows', guarantee: 'exact when its MIPs finish', solve: pDispersionExact },
    { method: 'greedy', description: 'farthest-point greedy + swap search', guarantee: '2-approximation on metric distances, with upper bound', solve: pDispersionGreedyAsync },
  ],
});

export const SURVIVABLE_TABLE = defineMethods<PlacementModel, SurvivableOptions, SurvivableSolution>()({
  family: 'survivable',
  modelKind: 'placement',
  summary: 'N-1 survivable placement: every client keeps an open site within the radius after any one site fails',
  options: [
    { ...RADIUS, description: 'latency bound: a site serves a client at distance <= radius' },
    { name: 'level', type: 'integer', min: 1, default: 2, description: 'open sites each client needs within the radius (2 survives one failure)' },
    { name: 'servingCost', type: 'boolean', default: false, description: "add each client's distance to its nearest open site to the objective" },
  ],
  methods: [
    { method: 'auto', description: 'the exact method', guarantee: 'exact when the MIP finishes; otherwise the best plan with the MIP bound', solve: survivableExact },
    { method: 'exact', description: `reduced multicover MIP (plus serving assignment) ${MIP}`, guarantee: 'exact when the MIP finishes', solve: survivableExact },
    { method: 'greedy', description: 'greedy multicover + redundancy removal + swap search', guarantee: 'heuristic', solve: survivableGreedyAsync },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [KCENTER_TABLE, LSCP_TABLE, MCLP_TABLE, PDISPERSION_TABLE, SURVIVABLE_TABLE] as const;
