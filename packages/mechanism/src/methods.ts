import { defineMethods, type GameModel, type MarketModel } from '@emplace/core';
import { mcafeeDoubleAuction, sealedBidAuction, uniformPriceAuction, type AuctionOutcome, type UniformPriceOptions } from './auctions.js';
import { leastCore, nucleolus, type NucleolusOptions, type NucleolusSolution } from './core-stability.js';
import type { ExactShapleyOptions } from './shapley-exact.js';
import { shapleyExact } from './shapley-exact.js';
import { shapleySampling, type SamplingOptions } from './shapley-sampling.js';
import { airportSolve, banzhafSolve, shapleyAuto, votingPowerSolve } from './structured.js';
import type { SampledValues, ShapleySolution } from './types.js';
import { vcgAuction, type VcgOptions } from './vcg.js';

/*
 * The method tables of @emplace/mechanism: the one place a method is declared. The registry
 * (register.ts), the CLI families (shapley, vcg), `emplace methods` and the README's methods
 * table are derived from them.
 */

const SAMPLED = ['auto', 'sampling', 'antithetic', 'stratified'] as const;

export const SHAPLEY_TABLE = defineMethods<GameModel, SamplingOptions & ExactShapleyOptions, ShapleySolution | SampledValues>()({
  family: 'shapley',
  modelKind: 'game',
  summary: 'Shapley value of a cooperative game',
  options: [
    { name: 'precision', type: 'number', min: 0, methods: SAMPLED, description: 'sampling: absolute half-width of the confidence interval to reach' },
    { name: 'relativePrecision', type: 'number', min: 0, default: 0.01, methods: SAMPLED, description: 'sampling: half-width relative to |v(N)| when precision is not given' },
    { name: 'confidence', type: 'number', min: 0, default: 0.95, methods: SAMPLED, description: 'sampling: confidence level of the interval' },
    { name: 'range', type: 'number', min: 0, methods: SAMPLED, description: 'sampling: known range of marginal contributions (Hoeffding / Bernstein)' },
    { name: 'interval', type: 'string', choices: ['hoeffding', 'bernstein', 'normal'], methods: SAMPLED, description: 'sampling: kind of confidence interval (default bernstein with a range, else normal)' },
    { name: 'maxSamples', type: 'integer', min: 1, default: 1e6, methods: SAMPLED, description: 'sampling: most permutations drawn' },
  ],
  methods: [
    {
      method: 'auto',
      description: 'structured closed form/DP, exact enumeration up to 25 players, sampling beyond',
      guarantee: 'exact for structured games and n <= 25; otherwise an estimate with a confidence interval per player (probabilistic)',
      solve: shapleyAuto,
    },
    {
      method: 'exact',
      description: 'Gray-code enumeration of 2^n coalitions, streaming (no 2^n table), exact fractions for integer games',
      guarantee: 'exact',
      solve: shapleyExact,
    },
    {
      method: 'sampling',
      description: 'Monte Carlo Shapley (permutation sampling) with a confidence interval per player, stops at the requested precision',
      guarantee: 'probabilistic (options.confidence, default 0.95)',
      solve: (game, options) => shapleySampling(game, { ...options, variant: 'permutation' }),
    },
    {
      method: 'antithetic',
      description: 'Monte Carlo Shapley (antithetic permutation pairs) with a confidence interval per player',
      guarantee: 'probabilistic (options.confidence, default 0.95)',
      solve: (game, options) => shapleySampling(game, { ...options, variant: 'antithetic' }),
    },
    {
      method: 'stratified',
      description: 'Monte Carlo Shapley (stratified by position) with a confidence interval per player',
      guarantee: 'probabilistic (options.confidence, default 0.95)',
      solve: (game, options) => shapleySampling(game, { ...options, variant: 'stratified' }),
    },
    {
      method: 'weighted-voting',
      description: 'Shapley-Shubik index of a weighted voting game by size-by-weight dynamic programming',
      guarantee: 'exact',
      solve: votingPowerSolve,
    },
    { method: 'airport', description: 'Shapley value of an airport game in closed form (Littlechild-Owen)', guarantee: 'exact', solve: airportSolve },
  ],
});

export const BANZHAF_TABLE = defineMethods<GameModel, ExactShapleyOptions, ShapleySolution>()({
  family: 'banzhaf',
  modelKind: 'game',
  summary: 'Banzhaf value of a cooperative game',
  methods: [{ method: 'auto', description: 'Banzhaf value: DP for weighted voting, enumeration otherwise', guarantee: 'exact', solve: banzhafSolve }],
});

const LP_PLAYERS = 'by a sequence of LPs through @emplace/lp, n <= 16';

export const NUCLEOLUS_TABLE = defineMethods<GameModel, NucleolusOptions, NucleolusSolution>()({
  family: 'nucleolus',
  modelKind: 'game',
  summary: 'nucleolus of a cooperative game',
  methods: [
    { method: 'auto', description: `nucleolus (Maschler-Peleg-Shapley) ${LP_PLAYERS}`, guarantee: 'exact', solve: nucleolus },
    { method: 'lp', description: `nucleolus (Maschler-Peleg-Shapley) ${LP_PLAYERS}`, guarantee: 'exact', solve: nucleolus },
  ],
});

export const LEAST_CORE_TABLE = defineMethods<GameModel, NucleolusOptions, NucleolusSolution>()({
  family: 'least-core',
  modelKind: 'game',
  summary: 'least core of a cooperative game',
  methods: [{ method: 'auto', description: 'least core by one LP; eps <= 0 iff the core is non-empty, n <= 16', guarantee: 'exact', solve: leastCore }],
});

export const VCG_TABLE = defineMethods<MarketModel, VcgOptions, AuctionOutcome>()({
  family: 'vcg',
  modelKind: 'market',
  summary: 'VCG mechanism for XOR/OR bundle bids',
  methods: [
    {
      method: 'auto',
      description: 'the clarke method',
      guarantee: 'exact (optimal welfare, Clarke payments: truthful) when every winner-determination MIP is proven optimal; IR and budget balance reported',
      solve: vcgAuction,
    },
    {
      method: 'clarke',
      description: 'exact winner determination (MIP through @emplace/lp) + Clarke pivot payments, warm-started',
      guarantee: 'exact (optimal welfare, Clarke payments: truthful) when every winner-determination MIP is proven optimal; IR and budget balance reported',
      solve: vcgAuction,
    },
  ],
});

const SINGLE_ITEM = ['auto', 'first-price', 'second-price', 'uniform-price', 'mcafee'] as const;

export const AUCTION_TABLE = defineMethods<MarketModel, UniformPriceOptions, AuctionOutcome>()({
  family: 'auction',
  modelKind: 'market',
  summary: 'single-item, multi-unit and double auctions',
  options: [
    { name: 'item', type: 'string', methods: SINGLE_ITEM, description: "the item sold (default: the market's only item)" },
    { name: 'reserve', type: 'number', methods: SINGLE_ITEM, description: 'reserve price' },
    { name: 'pricing', type: 'string', choices: ['first-rejected', 'last-accepted'], default: 'first-rejected', methods: ['uniform-price'], description: 'uniform-price clearing rule' },
  ],
  methods: [
    { method: 'auto', description: 'the second-price (Vickrey) auction', guarantee: 'exact (truthful)', solve: (market, options) => sealedBidAuction(market, 'second', options) },
    { method: 'first-price', description: 'sealed-bid first-price single-item auction', guarantee: 'exact', solve: (market, options) => sealedBidAuction(market, 'first', options) },
    { method: 'second-price', description: 'sealed-bid second-price (Vickrey) single-item auction', guarantee: 'exact (truthful)', solve: (market, options) => sealedBidAuction(market, 'second', options) },
    { method: 'uniform-price', description: 'multi-unit uniform-price auction (first rejected bid sets the price)', guarantee: 'exact', solve: uniformPriceAuction },
    { method: 'mcafee', description: "McAfee's trade-reduction double auction (truthful, weakly budget balanced)", guarantee: 'loses at most one efficient trade', solve: mcafeeDoubleAuction },
  ],
});

/** Every table of the package, in README order. */
export const methodTables = [SHAPLEY_TABLE, BANZHAF_TABLE, NUCLEOLUS_TABLE, LEAST_CORE_TABLE, VCG_TABLE, AUCTION_TABLE] as const;
