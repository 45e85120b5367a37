import { registerSolver, type GameModel, type MarketModel } from '@emplace/core';
import { mcafeeDoubleAuction, sealedBidAuction, uniformPriceAuction } from './auctions.js';
import { leastCore, nucleolus } from './core-stability.js';
import { shapleyExactAsync } from './shapley-exact.js';
import { shapleySamplingAsync } from './shapley-sampling.js';
import { airportSolve, banzhafSolve, shapleyAutoAsync, votingPowerSolve } from './structured.js';
import { vcgAuction } from './vcg.js';

const game = (m: unknown) => m as GameModel;
const market = (m: unknown) => m as MarketModel;

registerSolver({ family: 'shapley', method: 'auto', modelKind: 'game', description: 'Shapley value: structured closed form/DP, exact enumeration up to 25 players, sampling beyond', guarantee: 'exact (n <= 25 or structured), else probabilistic', solve: (m, o) => shapleyAutoAsync(game(m), o) });
registerSolver({ family: 'shapley', method: 'exact', modelKind: 'game', description: 'Exact Shapley and Banzhaf values by Gray-code enumeration of 2^n coalitions, streaming (no 2^n table), exact fractions for integer games', guarantee: 'exact', solve: (m, o) => shapleyExactAsync(game(m), o) });
for (const variant of ['permutation', 'antithetic', 'stratified'] as const) {
  registerSolver({
    family: 'shapley',
    method: variant === 'permutation' ? 'sampling' : variant,
    modelKind: 'game',
    description: `Monte Carlo Shapley (${variant} sampling) with a confidence interval per player, stops at the requested precision`,
    guarantee: 'probabilistic (options.confidence, default 0.95)',
    // The async variants yield to the event loop every 10 ms (in-thread abort).
    solve: (m, o) => shapleySamplingAsync(game(m), { ...o, variant }),
  });
}
registerSolver({ family: 'shapley', method: 'weighted-voting', modelKind: 'game', description: 'Shapley-Shubik index of a weighted voting game by size-by-weight dynamic programming', guarantee: 'exact', solve: (m, o) => votingPowerSolve(game(m), o) });
registerSolver({ family: 'shapley', method: 'airport', modelKind: 'game', description: 'Shapley value of an airport game in closed form (Littlechild-Owen)', guarantee: 'exact', solve: (m, o) => airportSolve(game(m), o) });

registerSolver({ family: 'banzhaf', method: 'auto', modelKind: 'game', description: 'Banzhaf value: DP for weighted voting, enumeration otherwise', guarantee: 'exact', solve: (m, o) => banzhafSolve(game(m), o) });
registerSolver({ family: 'nucleolus', method: 'auto', modelKind: 'game', description: 'Nucleolus by the sequence of LPs (Maschler-Peleg-Shapley), n <= 16', guarantee: 'exact', solve: (m, o) => nucleolus(game(m), o) });
registerSolver({ family: 'nucleolus', method: 'lp', modelKind: 'game', description: 'Nucleolus by the sequence of LPs (Maschler-Peleg-Shapley), n <= 16', guarantee: 'exact', solve: (m, o) => nucleolus(game(m), o) });
registerSolver({ family: 'least-core', method: 'auto', modelKind: 'game', description: 'Least core by one LP; eps <= 0 iff the core is non-empty, n <= 16', guarantee: 'exact', solve: (m, o) => leastCore(game(m), o) });

for (const method of ['clarke', 'auto'] as const) {
  registerSolver({ family: 'vcg', method, modelKind: 'market', description: 'VCG for XOR/OR bundle bids: exact winner determination (MIP) + Clarke pivot payments, warm-started', guarantee: 'exact', solve: (m, o) => vcgAuction(market(m), o) });
}
registerSolver({ family: 'auction', method: 'first-price', modelKind: 'market', description: 'Sealed-bid first-price single-item auction', guarantee: 'exact', solve: (m, o) => sealedBidAuction(market(m), 'first', o) });
registerSolver({ family: 'auction', method: 'second-price', modelKind: 'market', description: 'Sealed-bid second-price (Vickrey) single-item auction', guarantee: 'exact', solve: (m, o) => sealedBidAuction(market(m), 'second', o) });
registerSolver({ family: 'auction', method: 'auto', modelKind: 'market', description: 'Sealed-bid second-price (Vickrey) single-item auction', guarantee: 'exact', solve: (m, o) => sealedBidAuction(market(m), 'second', o) });
registerSolver({ family: 'auction', method: 'uniform-price', modelKind: 'market', description: 'Multi-unit uniform-price auction (first rejected bid sets the price)', guarantee: 'exact', solve: (m, o) => uniformPriceAuction(market(m), o) });
registerSolver({ family: 'auction', method: 'mcafee', modelKind: 'market', description: "McAfee's trade-reduction double auction (truthful, weakly budget balanced)", guarantee: 'loses at most one efficient trade', solve: (m, o) => mcafeeDoubleAuction(market(m), o) });
