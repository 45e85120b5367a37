export type { PlayerValues, ShapleySolution, SampledValues, IntervalKind, GameKind, GameSolveOptions } from './types.js';
export { shapleyExact, MAX_EXACT_PLAYERS, type ExactShapleyOptions, type IncrementalValue } from './shapley-exact.js';
export { shapleySampling, knownRange, type SamplingOptions, type SamplingVariant } from './shapley-sampling.js';
export { createWeightedVotingGame, weightedVotingPower, checkVotingInput, MAX_VOTING_PLAYERS, type WeightedVotingInput, type VotingPower, type VotingPowerOptions } from './weighted-voting.js';
export { createAirportGame, airportShapley, type AirportInput } from './airport.js';
export { createCostSharingGame, placementCostGame, restrictClients, tabulateGame, type CostSharingInput, type PlacementCostInput } from './cost-sharing.js';
export { coreCheck, leastCore, nucleolus, MAX_LP_PLAYERS, type CoreReport, type NucleolusOptions, type NucleolusSolution } from './core-stability.js';
export { checkAxioms, type AxiomReport } from './axioms.js';
export { votingPowerSolve, airportSolve, shapleyAuto, banzhafSolve, AUTO_EXACT_PLAYERS, type VotingSolveOptions } from './structured.js';
export { sealedBidAuction, firstPriceAuction, secondPriceAuction, uniformPriceAuction, mcafeeDoubleAuction, type AuctionOutcome, type SingleItemOptions, type UniformPriceOptions, type DoubleAuctionOutcome } from './auctions.js';
export { vcgAuction, type VcgOptions, type VcgSolution } from './vcg.js';
export { winnerDetermination, isFeasibleAllocation, wdpMemoryBytes, type WinnerDetermination, type WdpOptions } from './winner-determination.js';
export { hoeffdingHalfWidth, bernsteinHalfWidth, normalHalfWidth, normalQuantile } from './confidence.js';
export { fractionString, parseFraction, fractionValue } from './rational.js';
export { coalitionName } from './evaluate.js';
export {
  solveShapley,
  solveBanzhaf,
  solveNucleolus,
  solveLeastCore,
  solveVcg,
  solveAuction,
  type ShapleyOptions,
  type BanzhafOptions,
  type NucleolusSolveOptions,
  type LeastCoreSolveOptions,
  type VcgSolveOptions,
  type AuctionSolveOptions,
} from './solve.js';
import './register.js';
export { SHAPLEY_TABLE, BANZHAF_TABLE, NUCLEOLUS_TABLE, LEAST_CORE_TABLE, VCG_TABLE, AUCTION_TABLE, methodTables } from './methods.js';
export { gameFromDocument, marketFromDocument, type GameDocument } from './game-json.js';
