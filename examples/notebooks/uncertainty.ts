/** Notebook: placement under uncertainty and over time. Run: pnpm example uncertainty */
// %% [markdown]
// # A federation under regional demand uncertainty and one-region outages
//
// A service runs in a few AWS regions and serves the world's large cities. The plan
// (which regions to open) is made now; next quarter's demand is not known, and any one
// region may be down. This notebook compares four ways of deciding:
//
// 1. **deterministic**: plan for the expected demand with everything up (plain UFL);
// 2. **two-stage stochastic**: open regions now, serve each scenario afterwards, minimise
//    the *expected* cost (exactly, on a listed set of scenarios; and by sample average
//    approximation with statistical bounds when the scenarios come from a generator);
// 3. **robust**: minimise the *worst* scenario, or the worst *regret* against what a
//    clairvoyant would have paid in that scenario;
// 4. **online**: cities arrive one at a time and regions open irrevocably (Meyerson), and
//    the incremental k-center, each with its measured competitive ratio against the offline
//    optimum.
//
// Everything is seeded and budgeted by work (no wall-clock limits), so the output is
// reproducible.

// %%
import { createPlacementModel, haversineKm, latencyFromKm, data, facility, kcenter } from '@emplace/emplace';

const codes = ['us-east-1', 'us-west-2', 'sa-east-1', 'eu-west-1', 'eu-central-1', 'me-central-1', 'ap-south-1', 'ap-southeast-1', 'ap-northeast-1', 'ap-southeast-2'];
const regions = data.awsRegions.filter((r) => codes.includes(r.code));
const cities = data.worldCities.slice(0, 60);
// A continent per city (the demand shocks are regional): a crude split by longitude.
const zone = (lon: number): string => (lon < -30 ? 'americas' : lon < 60 ? 'emea' : 'apac');
// Serving cost: millions of users x round-trip latency x 2 per user-ms; 2,500 per open region.
const cost = regions.map((r) => cities.map(([, , lat, lon, pop]) => 2 * (pop / 1e6) * latencyFromKm(haversineKm(r, { lat, lon }))));
const model = createPlacementModel({
  sites: regions.map((r) => ({ id: r.code, openingCost: 2500, labels: { zone: zone(r.lon) } })),
  clients: cities.map(([name, country]) => ({ id: `${name}, ${country}` })),
  cost,
});
const groups = cities.map(([, , , lon]) => zone(lon));
console.log(`${model.nSites} candidate regions, ${model.nClients} cities in ${new Set(groups).size} demand zones`);

// %% [markdown]
// ## Scenarios
//
// A seeded generator draws each scenario: one lognormal demand factor per zone (median 1,
// log-sd 0.35: a zone's demand moves together), each region down with probability 12 % (at
// most one at a time), and a city left without a region costs a penalty of 16,000 per unit
// of demand factor (the price of a large city served from 800 ms away). `generateScenarios`
// lists 150 of them; a scenario file (docs/formats.md) can hold the same list or the
// generator itself.

// %%
const { createScenarioSet, generateScenarios, scenarioSampler, ScenarioEvaluator, solveStochastic, solveSaa, solveRobust, solveUfl } = facility;
const spec = { demandSigma: 0.35, demandGroups: groups, failureProbability: 0.12, maxFailures: 1 };
const penalty = 16_000;
const scenarios = generateScenarios(model, 150, { ...spec, seed: 7 });
const set = createScenarioSet(model, scenarios, { penalty });
const outages = scenarios.filter((s) => s.failed !== undefined).length;
console.log(`${scenarios.length} scenarios, ${outages} with a region down`);

// %% [markdown]
// ## Deterministic plan vs two-stage plan
//
// The deterministic UFL plan is optimal for the average day with every region up. Its
// *expected* cost over the scenarios is what it really costs; the two-stage plan minimises
// that expectation directly (`solveStochastic`: exact, through one UFL over (scenario,
// city) pairs). The difference is the **value of the stochastic solution**.

// %%
const det = await solveUfl(model);
const evaluator = new ScenarioEvaluator(set);
if (det.status === 'optimal' || det.status === 'feasible') {
  const open = new Uint8Array(model.nSites);
  for (const i of det.solution.openSites) open[i] = 1;
  const e = evaluator.evaluate(open);
  console.log(`deterministic plan: ${det.solution.open.join(', ')}`);
  console.log(`  cost on the average day ${det.objective.toFixed(0)}, expected over the scenarios ${e.expected.toFixed(0)}, worst ${e.worst.toFixed(0)}`);
  const sto = await solveStochastic(set);
  if (sto.status === 'optimal' || sto.status === 'feasible') {
    console.log(`two-stage plan (${sto.status}): ${sto.solution.open.join(', ')}`);
    console.log(`  expected ${sto.objective.toFixed(0)} (bound ${sto.bound?.toFixed(0)}), worst ${sto.solution.worstCase.toFixed(0)} in ${sto.solution.worstScenario}`);
    console.log(`value of the stochastic solution: ${(e.expected - sto.objective).toFixed(0)} (${((100 * (e.expected - sto.objective)) / e.expected).toFixed(1)} % of the deterministic plan's expected cost)`);
  }
}

// %% [markdown]
// ## Sample average approximation: bounds without listing the scenarios
//
// With a generator instead of a list, SAA solves M = 8 sample problems of N = 30 scenarios
// exactly. The mean of their optima is biased low (a lower confidence limit on the true
// optimum); the best candidate, evaluated on 4,000 fresh scenarios, gives an upper one.
// Together they bracket the optimum with 95 % confidence.

// %%
const saa = await solveSaa(
  { kind: 'generator', model, sampler: scenarioSampler(model, spec), penalty },
  { replications: 8, samples: 30, evaluationSamples: 4000, seed: 11 },
);
if (saa.status === 'feasible' || saa.status === 'optimal') {
  const st = saa.solution.statistics;
  console.log(`SAA plan: ${saa.solution.open.join(', ')}`);
  console.log(`  lower ${st.lowerBound.toFixed(0)} (estimate ${st.lowerEstimate.toFixed(0)} ± ${st.lowerStdError.toFixed(0)})`);
  console.log(`  upper ${st.upperBound.toFixed(0)} (estimate ${st.upperEstimate.toFixed(0)} ± ${st.upperStdError.toFixed(0)})`);
  console.log(`  gap ${(100 * st.relativeGap).toFixed(2)} % at ${100 * st.confidence} % confidence, ${st.candidates} distinct candidates`);
}

// %% [markdown]
// ## Robust plans against one-region outages
//
// Now the question is "what if region X is down?", with no probabilities: one scenario per
// region outage plus the calm one. **min-max** minimises the worst total cost; **min-max
// regret** minimises the worst excess over that scenario's own optimum (it first solves
// each scenario exactly). Both are exact MIPs through @emplace/lp.

// %%
const outageSet = createScenarioSet(model, [{ name: 'calm' }, ...regions.map((r) => ({ name: `${r.code} down`, failed: [r.code] }))], { penalty });
for (const criterion of ['min-max', 'min-max-regret'] as const) {
  const r = await solveRobust(outageSet, { criterion });
  if (r.status === 'optimal' || r.status === 'feasible') {
    const worstRegret = r.solution.regret ? Math.max(...r.solution.regret).toFixed(0) : '-';
    console.log(`${criterion.padEnd(15)} ${r.status}: ${r.solution.open.join(', ')}; worst cost ${r.solution.worstCase.toFixed(0)} (${r.solution.worstScenario}), worst regret ${worstRegret}`);
  }
}

// %% [markdown]
// ## Online: cities arrive one at a time
//
// Meyerson's algorithm opens a region at random with probability (distance to the nearest
// open region) / (opening cost) as each city arrives. With uniform opening costs *and a site
// at every client* it is 4-competitive in expectation in random order; here clients are
// cities and sites are regions, so only the O(log n) bound applies: the measured ratio
// against the exact offline UFL tells how far it really is.
//
// The incremental k-center (doubling algorithm) is deterministic and 8-competitive after
// every arrival. Cities are both the candidate sites and the clients here (great-circle
// distance, a metric), k = 5.

// %%
const online = await facility.measureOnlineFacility(model, { runs: 30, seed: 5 });
console.log(`Meyerson: offline optimum ${online.offline.toFixed(0)}; ratio mean ${online.meanRatio.toFixed(3)} ± ${online.stdError.toFixed(3)}, worst ${online.maxRatio.toFixed(3)} over 30 random orders`);
const km = cities.map(([, , la, lo]) => cities.map(([, , lb, lob]) => haversineKm({ lat: la, lon: lo }, { lat: lb, lon: lob })));
const cityModel = createPlacementModel({ sites: cities.length, clients: cities.length, cost: km });
const inc = await kcenter.measureIncrementalKCenter(cityModel, { k: 5, runs: 30, seed: 5 });
console.log(`incremental k-center (k = 5): optimum ${inc.offline.toFixed(0)} km; ratio mean ${inc.meanRatio.toFixed(3)}, worst ${inc.maxRatio.toFixed(3)} (guarantee ${inc.guarantee})`);
