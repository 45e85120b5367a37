import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError, ModelError, createPlacementModel, hasSolution, SolveRun } from '@emplace/core';
import { createScenarioSet, generateScenarios, readScenarioJson, scenarioSampler, solveRobust, solveSaa, solveStochastic, studentTQuantile } from '@emplace/facility';
import { bruteAll, build, close, specArb } from './stochastic-helpers.js';
import { trustedUflModel } from '../src/stochastic-extensive.js';

// ------------------------------------------------------------------ two-stage

describe('two-stage stochastic facility location', () => {
  it('extensive form and ufl-equivalent equal the brute-force optimum; bounds are valid; local search is never better', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 4, 3), async (s) => {
        const set = build(s, false);
        const truth = await bruteAll(s, false);
        for (const method of ['extensive', 'ufl-equivalent', 'local-search'] as const) {
          const r = await solveStochastic(set, { method });
          if (truth.expected === Infinity) {
            expect(hasSolution(r), method).toBe(false);
            continue;
          }
          expect(hasSolution(r), `${method} ${r.status}`).toBe(true);
          if (!hasSolution(r)) continue;
          if (method === 'local-search') expect(r.objective).toBeGreaterThanOrEqual(truth.expected - 1e-6);
          else {
            expect(r.status).toBe('optimal');
            expect(close(r.objective, truth.expected), `${method}: ${r.objective} vs ${truth.expected}`).toBe(true);
          }
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(truth.expected + 1e-6);
          // The reported objective is the exact expected cost of the returned open set.
          const parts = r.solution.openingCost + r.solution.expectedRecourse;
          expect(close(parts, r.objective)).toBe(true);
        }
      }),
      { numRuns: 18, seed: 19 },
    );
  }, 20_000);

  it('capacitated two-stage (split demand) equals the brute force with an LP per scenario', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(3, 3, 2), async (s) => {
        const set = build(s, true);
        const truth = await bruteAll(s, true);
        const r = await solveStochastic(set, { method: 'extensive' });
        if (truth.expected === Infinity) {
          expect(hasSolution(r)).toBe(false);
          return;
        }
        expect(r.status).toBe('optimal');
        if (hasSolution(r)) expect(close(r.objective, truth.expected), `${r.objective} vs ${truth.expected}`).toBe(true);
      }),
      { numRuns: 12, seed: 7 },
    );
  }, 20_000);

  it('reports infeasible when a client loses every site in a scenario and the penalty is infinite', async () => {
    const model = createPlacementModel({ sites: [{ openingCost: 1 }, { openingCost: 1 }], clients: 1, cost: [[1], [2]] });
    const set = createScenarioSet(model, [{ failed: [0, 1] }, {}]);
    const r = await solveStochastic(set, { method: 'extensive' });
    expect(r.status).toBe('infeasible');
    const withPenalty = createScenarioSet(model, [{ failed: [0, 1] }, {}], { penalty: 10 });
    const ok = await solveStochastic(withPenalty);
    expect(ok.status).toBe('optimal');
    if (hasSolution(ok)) expect(ok.solution.unserved[0]).toBe(1);
  });

  it('names the bad field', () => {
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [[1, 2], [3, 4]] });
    expect(() => createScenarioSet(model, [{ failed: ['nowhere'] }])).toThrow(/scenarios\[0\]\.failed\[0\]/);
    expect(() => createScenarioSet(model, [{ demand: [1, -1] }])).toThrow(/scenarios\[0\]\.demand\[1\]/);
    expect(() => createScenarioSet(model, [{ probability: 0 }])).toThrow(ModelError);
    expect(() => createScenarioSet(model, [])).toThrow(/scenarios/);
    const aff = createPlacementModel({ sites: 2, clients: 2, cost: [[1, 2], [3, 4]], affinity: [[0, 1]] });
    expect(() => createScenarioSet(aff, [{}])).toThrow(/model\.affinity/);
  });
});

// ------------------------------------------------------------------ SAA

describe('sample average approximation', () => {
  it('t quantiles match tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 3);
    expect(studentTQuantile(0.95, 29)).toBeCloseTo(1.6991, 3);
    expect(studentTQuantile(0.975, 10_000)).toBeCloseTo(1.9602, 3);
  });

  it('on listed sets small enough to solve exactly, the exact upper bound is >= the optimum always, and the lower confidence limit is <= it in at least 80 % of instances (nominal 97.5 %)', async () => {
    let covered = 0;
    let total = 0;
    for (let t = 0; t < 12; t++) {
      const model = createPlacementModel({
        sites: Array.from({ length: 5 }, (_, i) => ({ openingCost: 20 + 7 * i })),
        clients: 6,
        cost: Array.from({ length: 5 }, (_, i) => Array.from({ length: 6 }, (_, j) => 3 + ((i * 7 + j * 11 + t * 5) % 23))),
      });
      const scen = generateScenarios(model, 40, { seed: 100 + t, demandSigma: 0.6, failureProbability: 0.15 });
      const set = createScenarioSet(model, scen, { penalty: 60 });
      const exact = await solveStochastic(set, { method: 'extensive' });
      expect(exact.status).toBe('optimal');
      if (!hasSolution(exact)) continue;
      const saa = await solveSaa(set, { replications: 8, samples: 6, seed: t + 1 });
      expect(hasSolution(saa)).toBe(true);
      if (!hasSolution(saa)) continue;
      const st = saa.solution.statistics;
      expect(st.exactEvaluation).toBe(true);
      expect(st.upperBound).toBeGreaterThanOrEqual(exact.objective - 1e-6);
      expect(saa.objective).toBeGreaterThanOrEqual(exact.objective - 1e-6);
      expect(st.confidence).toBe(0.95);
      total++;
      if (st.lowerBound <= exact.objective + 1e-9) covered++;
    }
    expect(total).toBe(12);
    expect(covered / total).toBeGreaterThanOrEqual(0.8);
  }, 20_000);

  it('samples a seeded generator, brackets its own estimates and is deterministic per seed', async () => {
    const model = createPlacementModel({
      sites: Array.from({ length: 4 }, (_, i) => ({ openingCost: 30, labels: { region: i < 2 ? 'a' : 'b' } })),
      clients: 5,
      cost: Array.from({ length: 4 }, (_, i) => Array.from({ length: 5 }, (_, j) => 1 + Math.abs(i * 2 - j))),
    });
    const sampler = scenarioSampler(model, { demandSigma: 0.4, failureProbability: 0.1, failureDomain: 'region', maxFailures: 1 });
    const source = { kind: 'generator' as const, model, sampler, penalty: 50 };
    const a = await solveSaa(source, { replications: 5, samples: 8, evaluationSamples: 400, seed: 3 });
    const b = await solveSaa(source, { replications: 5, samples: 8, evaluationSamples: 400, seed: 3 });
    expect(hasSolution(a) && hasSolution(b)).toBe(true);
    if (!hasSolution(a) || !hasSolution(b)) return;
    expect(a.objective).toBe(b.objective);
    const st = a.solution.statistics;
    expect(st.exactEvaluation).toBe(false);
    expect(st.lowerBound).toBeLessThanOrEqual(st.lowerEstimate);
    expect(st.upperBound).toBeGreaterThanOrEqual(st.upperEstimate);
    expect(a.guarantee).toEqual({ kind: 'probabilistic', confidence: 0.95 });
    await expect(solveSaa(source, { replications: 1 })).rejects.toThrow(/options\.replications/);
  });
});

// ------------------------------------------------------------------ file format

describe('scenario files', () => {
  const model = { kind: 'placement', sites: [{ id: 'eu', openingCost: 5, capacity: null }, { id: 'us', openingCost: 4 }], clients: [{ id: 'a' }, { id: 'b' }], cost: [[1, 3], [2, 1]] };
  it('reads listed scenarios and generators', () => {
    const f = readScenarioJson(JSON.stringify({ kind: 'scenarios', model, penalty: 9, scenarios: [{ name: 'calm', probability: 3 }, { name: 'eu-down', probability: 1, failed: ['eu'], demand: { a: 2 } }] }));
    expect(f.set.scenarios.map((s) => s.probability)).toEqual([0.75, 0.25]);
    expect(Array.from(f.set.scenarios[1]!.failed)).toEqual([1, 0]);
    expect(Array.from(f.set.scenarios[1]!.demand)).toEqual([2, 1]);
    expect(f.set.penalty).toBe(9);
    const g = readScenarioJson(JSON.stringify({ kind: 'scenarios', model, generator: { count: 7, seed: 2, failureProbability: 0.5 } }));
    expect(g.set.scenarios.length).toBe(7);
    expect(g.sampler).toBeTypeOf('function');
  });
  it('reports the bad field as a FormatError', () => {
    expect(() => readScenarioJson('{')).toThrow(FormatError);
    expect(() => readScenarioJson(JSON.stringify({ kind: 'scenarios', model, scenarios: [{ failed: ['mars'] }] }))).toThrow(/scenarios\[0\]\.failed\[0\]/);
    expect(() => readScenarioJson(JSON.stringify({ kind: 'scenarios', model }))).toThrow(/exactly one/);
  });
});


describe('limits', () => {
  it('an aborted signal stops every scenario method with stoppedBy aborted and a valid envelope', async () => {
    const model = createPlacementModel({ sites: [{ openingCost: 5 }, { openingCost: 6 }, { openingCost: 4 }], clients: 4, cost: [[1, 2, 3, 4], [4, 3, 2, 1], [2, 2, 2, 2]] });
    const set = createScenarioSet(model, generateScenarios(model, 20, { seed: 1, failureProbability: 0.2 }), { penalty: 30 });
    const ac = new AbortController();
    ac.abort();
    const results = [
      await solveStochastic(set, { signal: ac.signal }),
      await solveStochastic(set, { method: 'extensive', signal: ac.signal }),
      await solveSaa(set, { signal: ac.signal }),
      await solveRobust(set, { signal: ac.signal }),
    ];
    for (const r of results) {
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).not.toBe('optimal');
      if (hasSolution(r)) expect(Number.isFinite(r.objective)).toBe(true);
    }
  });
});

describe('the UFL equivalent model (issue 13: createPlacementModel copied 51 x 25,000 in one 66-77 ms call)', () => {
  it('the trusted model holds the same fields as createPlacementModel on the same arrays, and shares them instead of copying', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 5, 3), fc.integer({ min: 1, max: 9000 }), async (s, n) => {
        const set = build(s, false);
        const S2 = set.base.nSites + (set.penalty < Infinity ? 1 : 0);
        const cost = Float64Array.from({ length: S2 * n }, (_, k) => (k * 7919) % 101);
        const allowed = Uint8Array.from({ length: S2 * n }, (_, k) => (k % 5 === 0 ? 0 : 1));
        const run = new SolveRun({}, 'stochastic:auto', 'min');
        const trusted = await trustedUflModel(set, n, cost, allowed, run);
        const sites = Array.from({ length: S2 }, (_, i) => ({
          openingCost: i < set.base.nSites ? set.base.f[i]! : 0,
          mustOpen: i < set.base.nSites ? set.base.mustOpen[i] === 1 : true,
          forbidden: i < set.base.nSites ? set.base.forbidden[i] === 1 : false,
        }));
        expect(trusted).toEqual(createPlacementModel({ sites, clients: n, cost, allowed }));
        expect(trusted!.cost).toBe(cost);
        expect(trusted!.allowed).toBe(allowed);
      }),
      { numRuns: 15, seed: 37 },
    );
  });

  it('stops while making the client ids when the run is aborted', async () => {
    const set = build({ nS: 2, nC: 1, cost: [1, 2], f: [3, 4], demand: [1], capacity: [5, 5], scenarios: [{ p: 1, m: [1], failed: [false, false], scale: 1 }], penalty: null }, false);
    const ctl = new AbortController();
    ctl.abort();
    const n = 20_000;
    const out = await trustedUflModel(set, n, new Float64Array(2 * n), new Uint8Array(2 * n), new SolveRun({ signal: ctl.signal }, 'stochastic:auto', 'min'));
    expect(out).toBeNull();
  });
});

describe('the extensive form size guard (issue 13 item 4)', () => {
  const s = { nS: 3, nC: 4, cost: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], f: [5, 6, 7], demand: [1, 2, 1, 2], capacity: [10, 10, 10], scenarios: [{ p: 1, m: [1, 1, 1, 1], failed: [false, false, false], scale: 1 }, { p: 2, m: [2, 1, 0, 1], failed: [true, false, false], scale: 2 }], penalty: 50 };
  it('extensive refuses above the memory limit with a ModelError naming the size and the limit', async () => {
    await expect(solveStochastic(build(s, true), { method: 'extensive', maxMemoryBytes: 1000 })).rejects.toThrow(/columns.*memory limit of 1000 B/);
    await expect(solveStochastic(build(s, false), { method: 'extensive', maxMemoryBytes: 1000 })).rejects.toThrow(ModelError);
  });
  it('auto on a capacitated set above the limit: the local search, feasible (not optimal), with a warning naming the size', async () => {
    const r = await solveStochastic(build(s, true), { method: 'auto', maxMemoryBytes: 1000 });
    expect(r.status).toBe('feasible');
    expect((r.warnings ?? []).some((w) => /extensive form would have \d+ columns/.test(w))).toBe(true);
    const exact = await solveStochastic(build(s, true), { method: 'auto' });
    expect(exact.status).toBe('optimal');
    if (hasSolution(r) && hasSolution(exact)) expect(r.objective).toBeGreaterThanOrEqual(exact.objective - 1e-9);
  });
});
