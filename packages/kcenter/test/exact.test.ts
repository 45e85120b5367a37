import { createPlacementModel, Rng, solve } from '@emplace/core';
import { exact, gonzalez, hochbaumShmoys, kcenterRadius, localSearch } from '@emplace/kcenter';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bruteForce, PMED1, pmedModel, radiusFromAssignment, smallInstance, solved } from './helpers.js';

const approximations = { gonzalez, hochbaumShmoys, localSearch };

describe('exact', () => {
  it('equals brute force, with bound = objective when proven', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ weighted: false }), async ({ model, k }) => {
        const r = solved(await exact(model, { k }));
        expect(r.status).toBe('optimal');
        expect(r.objective).toBeCloseTo(bruteForce(model, k), 9);
        expect(r.bound).toBe(r.objective);
        expect(r.objective).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
      }),
      { numRuns: 40 },
    );
  });

  it('equals brute force with weights, pre-opened, forbidden sites and allowed pairs', async () => {
    await fc.assert(
      fc.asyncProperty(
        smallInstance({ weighted: true }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        async ({ model: base, k }, allowedBits, mustIdx, forbidIdx) => {
          const nS = base.nSites;
          const nC = base.nClients;
          const must = mustIdx % nS;
          const forbid = forbidIdx % nS;
          const model = createPlacementModel({
            sites: Array.from({ length: nS }, (_, s) => ({ mustOpen: s === must, forbidden: s === forbid && s !== must })),
            clients: nC,
            cost: base.cost,
            weight: base.weight,
            // Every client keeps the pre-opened site so that the instance stays feasible.
            allowed: (s: number, j: number) => s === must || allowedBits[(s * nC + j) % 80]!,
          });
          const opt = bruteForce(model, k);
          const r = await exact(model, { k });
          if (opt === Infinity) {
            expect(r.status).toBe('infeasible');
            return;
          }
          const sol = solved(r);
          expect(sol.status).toBe('optimal');
          expect(sol.objective).toBeCloseTo(opt, 9);
          expect(Array.from(sol.solution.open)).toContain(must);
          expect(Array.from(sol.solution.open)).not.toContain(forbid === must ? -1 : forbid);
          for (const [name, f] of Object.entries(approximations)) {
            const a = solved(f(model, { k }));
            expect(a.objective, name).toBeCloseTo(kcenterRadius(model, a.solution.open).radius, 9);
            if (a.bound !== undefined) expect(a.bound, name).toBeLessThanOrEqual(opt + 1e-9);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it.skipIf(!existsSync(PMED1))('proves the published optimum of pmed1 (127)', async () => {
    const file = PMED1;
    const model = pmedModel(readFileSync(file, 'utf8'));
    const r = solved(await exact(model, { k: 5 }));
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(127);
  });

  it('returns the best solution and a bound under a time limit of 0', async () => {
    const { model } = fc.sample(smallInstance({ maxClients: 9 }), { numRuns: 1, seed: 5 })[0]!;
    const r = await exact(model, { k: 2, timeLimitMs: 0 });
    expect(['optimal', 'feasible']).toContain(r.status);
    const s = solved(r);
    expect(s.objective).toBeCloseTo(kcenterRadius(model, s.solution.open).radius, 9);
  });
});

describe('kcenter exact: in-thread abort by a timer (issue 13)', () => {
  it('returns the incumbent with stoppedBy aborted (or finishes first)', async () => {
    const n = 400;
    const rng = new Rng(3);
    const x = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const y = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
    const model = createPlacementModel({ sites: n, clients: n, cost });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 300);
    const r = await solve(model, { method: 'kcenter:exact', k: 12, signal: ctl.signal, timeLimitMs: 60_000 });
    expect(['aborted', 'converged']).toContain(r.stoppedBy);
    if (r.stoppedBy === 'aborted') expect(['feasible', 'optimal']).toContain(r.status);
    expect(r.stats.elapsedMs).toBeLessThan(30_000);
  });
});
