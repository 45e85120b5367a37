import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution, Rng } from '@emplace/core';
import { createScenarioSet, generateScenarios, solveRobust, type ScenarioSet } from '@emplace/facility';
import { ROBUST_MIP_MAX_COLUMNS } from '../src/robust.js';
import { bruteAll, build, close, specArb } from './stochastic-helpers.js';

// ------------------------------------------------------------------ robust

describe('robust facility location', () => {
  it('min-max and min-max regret: the MIP equals the brute force; local search is never better', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 3, 3), async (s) => {
        const set = build(s, false);
        const truth = await bruteAll(s, false);
        if (truth.worst === Infinity) return;
        for (const criterion of ['min-max', 'min-max-regret'] as const) {
          const want = criterion === 'min-max' ? truth.worst : truth.regret;
          const exact = await solveRobust(set, { criterion, method: 'mip' });
          expect(exact.status, criterion).toBe('optimal');
          if (hasSolution(exact)) {
            expect(close(exact.objective, want), `${criterion}: ${exact.objective} vs ${want}`).toBe(true);
            const worst = criterion === 'min-max' ? Math.max(...exact.solution.scenarioCost) : Math.max(...exact.solution.regret!);
            expect(close(worst, exact.objective)).toBe(true);
          }
          const ls = await solveRobust(set, { criterion, method: 'local-search' });
          if (hasSolution(ls)) expect(ls.objective).toBeGreaterThanOrEqual(want - 1e-6);
        }
      }),
      { numRuns: 20, seed: 23 },
    );
  }, 20_000);

  it('capacitated min-max regret: the MIP equals the brute force with an LP per scenario', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(3, 3, 2), async (s) => {
        const set = build(s, true);
        const truth = await bruteAll(s, true);
        const r = await solveRobust(set, { criterion: 'min-max-regret' });
        if (truth.regret === Infinity || Number.isNaN(truth.regret)) {
          expect(hasSolution(r)).toBe(false);
          return;
        }
        expect(r.status).toBe('optimal');
        if (hasSolution(r)) expect(close(r.objective, truth.regret), `${r.objective} vs ${truth.regret}`).toBe(true);
      }),
      { numRuns: 8, seed: 29 },
    );
  }, 20_000);
});


// ------------------------------------------------------------------ auto by size (issue 13)

/** A random Euclidean scenario set of nSites x nClients x nScenarios. */
function largeSet(nSites: number, nClients: number, nScenarios: number, seed: number): ScenarioSet {
  const rng = new Rng(seed);
  const pts = Float64Array.from({ length: 2 * (nSites + nClients) }, () => rng.next() * 100);
  const cost = new Float64Array(nSites * nClients);
  for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) cost[i * nClients + j] = Math.hypot(pts[2 * i]! - pts[2 * (nSites + j)]!, pts[2 * i + 1]! - pts[2 * (nSites + j) + 1]!);
  const model = createPlacementModel({ sites: Array.from({ length: nSites }, () => ({ openingCost: 200 + rng.int(300) })), clients: nClients, cost });
  return createScenarioSet(model, generateScenarios(model, nScenarios, { seed, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 500 });
}

describe('robust auto chooses by size (issue 13: a 5M-column epigraph MIP stalled the event loop and was never solved)', () => {
  it('small sets: auto is the MIP, optimal, equal to the brute force, without a size warning', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 3, 3), async (s) => {
        const set = build(s, false);
        const truth = await bruteAll(s, false);
        if (truth.worst === Infinity) return;
        const r = await solveRobust(set, { method: 'auto' });
        expect(r.status).toBe('optimal');
        if (hasSolution(r)) expect(close(r.objective, truth.worst), `${r.objective} vs ${truth.worst}`).toBe(true);
        expect((r.warnings ?? []).some((w) => w.includes('columns'))).toBe(false);
      }),
      { numRuns: 10, seed: 31 },
    );
  }, 20_000);

  it('above ROBUST_MIP_MAX_COLUMNS: the local search answers, status feasible (not optimal), with a warning naming the size', async () => {
    const set = largeSet(20, 140, 20, 4); // ~56,000 columns
    const r = await solveRobust(set, { method: 'auto', seed: 1, maxEvaluations: 60 });
    expect(r.status).toBe('feasible');
    expect(r.guarantee.kind).toBe('heuristic');
    const w = (r.warnings ?? []).find((m) => m.includes('columns'));
    expect(w).toBeDefined();
    expect(w).toContain(`limit ${ROBUST_MIP_MAX_COLUMNS}`);
    expect(w).toContain('20 sites x 140 clients x 20 scenarios');
    const ls = await solveRobust(set, { method: 'local-search', seed: 1, maxEvaluations: 60 });
    if (hasSolution(r) && hasSolution(ls)) expect(r.objective).toBe(ls.objective);
  }, 20_000);

  it('the size guard: mip refuses a model above the memory limit with a ModelError naming size and limit; auto falls back to the local search', async () => {
    const set = largeSet(6, 20, 4, 2);
    await expect(solveRobust(set, { method: 'mip', maxMemoryBytes: 100_000 })).rejects.toThrow(/columns.*memory limit of 98 KiB/);
    const r = await solveRobust(set, { method: 'auto', maxMemoryBytes: 100_000 });
    expect(r.status).toBe('feasible');
    expect((r.warnings ?? []).some((w) => w.includes('columns'))).toBe(true);
  });
});
