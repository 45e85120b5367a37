/** Notebook: fair cost sharing with @emplace/mechanism. Run: pnpm example mechanism */
// %% [markdown]
// # Mechanism design: who pays for a shared deployment
//
// Several tenants share one deployment; it costs less than each going alone. How to split
// the bill? The **Shapley value** gives each tenant its marginal cost averaged over every
// order in which the tenants could join:
//
//     phi_i = sum over S not containing i of  |S|! (n - |S| - 1)! / n!  (c(S + i) - c(S))
//
// It is the only split that is efficient (shares sum to c(N)), symmetric, additive and
// gives 0 to a tenant that adds nothing. Here `c(S)` is the optimal facility-location cost of
// serving the tenants in S: a game whose values are themselves solved optimisation problems.

// %%
import { createPlacementModel, createGame, haversineKm, latencyFromKm, data, facility, mechanism } from '@emplace/emplace';

const regions = data.awsRegions.filter((r) => ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-south-1', 'sa-east-1'].includes(r.code));
const cities = data.worldCities.slice(0, 40);
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 500 })),
  clients: cities.map(([name, country]) => ({ id: `${name}, ${country}` })),
  cost: regions.map((r) => cities.map(([, , lat, lon, pop]) => 2 * (pop / 1e6) * latencyFromKm(haversineKm(r, { lat, lon })))),
});
// Four tenants by longitude band.
const band = (lon: number): number => (lon < -30 ? 0 : lon < 60 ? 1 : lon < 110 ? 2 : 3);
const tenants = ['Americas', 'Europe & Africa', 'South Asia', 'East Asia'];
const owned = tenants.map((_, t) => cities.flatMap(([, , , lon], j) => (band(lon) === t ? [j] : [])));
tenants.forEach((t, k) => console.log(`${t}: ${owned[k]!.length} cities`));

// %% [markdown]
// ## The coalition costs
//
// `c(S)` for all 2^4 - 1 = 15 coalitions: one exact UFL solve each on the cities of S
// (`restrictClients` builds the sub-model). The solver is asynchronous and the game is not,
// so solve first and hand the game a table.

// %%
const n = tenants.length;
const table = new Float64Array(1 << n);
for (let mask = 1; mask < 1 << n; mask++) {
  const clients = owned.flatMap((c, t) => (mask & (1 << t) ? c : [])).sort((a, b) => a - b);
  const r = await facility.solveUfl(mechanism.restrictClients(model, clients));
  if (r.status !== 'optimal') throw new Error(`coalition ${mask}: ${r.status}`);
  table[mask] = r.objective;
}
const game = createGame({ players: tenants, value: { table } });
console.log('c(everyone) =', table[(1 << n) - 1]!.toFixed(1), ' sum of stand-alone costs =', tenants.reduce((s, _, t) => s + table[1 << t]!, 0).toFixed(1));

// %% [markdown]
// ## Shapley shares, and whether anyone would rather leave
//
// The **core** is the set of splits no coalition could beat by going alone. For a cost
// game, a split is in the core when every coalition pays at most its own cost. The
// nucleolus, when the core is not empty, is its most central point.

// %%
const sh = await mechanism.shapleyExact(game);
if (sh.status === 'optimal' || sh.status === 'feasible') {
  tenants.forEach((t, k) => console.log(`${t.padEnd(16)} pays ${sh.solution.values[k]!.toFixed(1).padStart(8)}  alone ${table[1 << k]!.toFixed(1).padStart(8)}`));
  console.log('sum of shares', Array.from(sh.solution.values).reduce((a, b) => a + b, 0).toFixed(1));
  const core = mechanism.coreCheck(game, sh.solution.values, { gameKind: 'cost' });
  console.log(`in the core: ${core.inCore}; largest excess ${core.maxExcess.toFixed(2)} (coalition ${core.blockingCoalitionName})`);
}

// %% [markdown]
// ## Beyond a dozen tenants: sampling
//
// Exact Shapley needs 2^n coalition costs. Sampling random join orders gives each share with
// a confidence interval, and the shares still sum exactly to c(N).

// %%
const sampled = await mechanism.shapleySampling(game, { seed: 1, relativePrecision: 0.01 });
if (sampled.status === 'optimal' || sampled.status === 'feasible') {
  const s = sampled.solution;
  tenants.forEach((t, k) => console.log(`${t.padEnd(16)} ${s.values[k]!.toFixed(1).padStart(8)}  [${s.lower[k]!.toFixed(1)}, ${s.upper[k]!.toFixed(1)}] (${s.confidence * 100} %)`));
  console.log(`${s.samples} permutations, ${s.evaluations} evaluations`);
}
