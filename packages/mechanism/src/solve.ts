import type { GameModel, MarketModel, Result } from '@emplace/core';
import type { AuctionOutcome } from './auctions.js';
import type { NucleolusSolution } from './core-stability.js';
import { AUCTION_TABLE, BANZHAF_TABLE, LEAST_CORE_TABLE, NUCLEOLUS_TABLE, SHAPLEY_TABLE, VCG_TABLE } from './methods.js';
import type { SampledValues, ShapleySolution } from './types.js';

/*
 * One entry per family: `solveX(model, { method, ...options })` with the method in the
 * options (default `auto`), always a Promise of the Result envelope, dispatched by the
 * family's method table (methods.ts). Each method is also exported on its own with the
 * same `(model, options) => Promise<Result<S>>` shape.
 */

export type ShapleyOptions = NonNullable<Parameters<typeof SHAPLEY_TABLE.solve>[1]>;
export type BanzhafOptions = NonNullable<Parameters<typeof BANZHAF_TABLE.solve>[1]>;
export type NucleolusSolveOptions = NonNullable<Parameters<typeof NUCLEOLUS_TABLE.solve>[1]>;
export type LeastCoreSolveOptions = NonNullable<Parameters<typeof LEAST_CORE_TABLE.solve>[1]>;
export type VcgSolveOptions = NonNullable<Parameters<typeof VCG_TABLE.solve>[1]>;
export type AuctionSolveOptions = NonNullable<Parameters<typeof AUCTION_TABLE.solve>[1]>;

/** Shapley value: `auto` (structured closed form/DP, exact up to 25 players, sampling beyond), `exact`, `sampling`, `antithetic`, `stratified`, `weighted-voting`, `airport`. */
export function solveShapley(game: GameModel, options: ShapleyOptions = {}): Promise<Result<ShapleySolution | SampledValues>> {
  return SHAPLEY_TABLE.solve(game, options);
}

/** Banzhaf value: the DP of a weighted voting game, exact enumeration otherwise (n <= 30). */
export function solveBanzhaf(game: GameModel, options: BanzhafOptions = {}): Promise<Result<ShapleySolution>> {
  return BANZHAF_TABLE.solve(game, options);
}

/** The nucleolus by the sequence of LPs (n <= 16). */
export function solveNucleolus(game: GameModel, options: NucleolusSolveOptions = {}): Promise<Result<NucleolusSolution>> {
  return NUCLEOLUS_TABLE.solve(game, options);
}

/** The least core by one LP (n <= 16); its eps <= 0 iff the core is non-empty. */
export function solveLeastCore(game: GameModel, options: LeastCoreSolveOptions = {}): Promise<Result<NucleolusSolution>> {
  return LEAST_CORE_TABLE.solve(game, options);
}

/** VCG for bundle bids: exact winner determination and Clarke pivot payments. */
export function solveVcg(market: MarketModel, options: VcgSolveOptions = {}): Promise<Result<AuctionOutcome>> {
  return VCG_TABLE.solve(market, options);
}

/** Single-item, multi-unit and double auctions: `auto` is the second-price (Vickrey) auction. */
export function solveAuction(market: MarketModel, options: AuctionSolveOptions = {}): Promise<Result<AuctionOutcome>> {
  return AUCTION_TABLE.solve(market, options);
}
