import { createPlacementModel, hasSolution, ModelError, shortestPathClosure, solve, type PlacementModel } from '@emplace/core';
import { capacitatedGreedy, exact, gonzalez, hochbaumShmoys, kcenterRadius, localSearch, outliersGreedy, type KCenterResult } from '@emplace/kcenter';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bruteForce, radiusFromAssignment, smallInstance } from './helpers.js';

const approximations = { gonzalez, hochbaumShmoys, localSearch };

function solved(r: KCenterResult) {
  if (!hasSolution(r)) throw new Error(`no solution: ${r.status} ${JSON.stringify(r.status === 'infeasible' ? r.certificate : undefined)}`);
  return r;
}

describe('approximations', () => {
  it('report the recomputed radius, stay within the ratio of the brute-force optimum, and bound it from below', () => {
    fc.assert(
      fc.property(smallInstance(), ({ model, k, colocated }) => {
        const opt = bruteForce(model, k);
        for (const [name, f] of Object.entries(approximations)) {
          const r = solved(f(model, { k }));
          expect(r.objective, name).toBe(r.solution.radius);
          expect(r.objective, name).toBeCloseTo(kcenterRadius(model, r.solution.open).radius, 9);
          expect(r.objective, name).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
          expect(r.solution.open.length, name).toBeLessThanOrEqual(k);
          if (r.bound !== undefined) expect(r.bound, name).toBeLessThanOrEqual(opt + 1e-9);
          if (name !== 'localSearch') {
            // Euclidean data is metric: 2 for vertex k-center, 3 for k-supplier (2 as well
            // when every client happens to sit on a site).
            const g = r.guarantee;
            if (g.kind === 'exact') {
              // Settled without search (k at least the number of sites).
              expect(r.status).toBe('optimal');
              expect(r.objective).toBeCloseTo(opt, 9);
              continue;
            }
            if (g.kind !== 'approximation') throw new Error(`${name} claims no ratio on metric data`);
            if (colocated) expect(g.ratio).toBe(2);
            expect(g.ratio).toBeLessThanOrEqual(3);
            expect(r.objective, name).toBeLessThanOrEqual(g.ratio * opt + 1e-9);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('Hochbaum-Shmoys keeps its ratio with client weights', () => {
    fc.assert(
      fc.property(smallInstance({ weighted: true, colocated: true }), ({ model, k }) => {
        const opt = bruteForce(model, k);
        const r = solved(hochbaumShmoys(model, { k }));
        expect(r.objective).toBeLessThanOrEqual(2 * opt + 1e-9);
        expect(r.bound!).toBeLessThanOrEqual(opt + 1e-9);
        expect(r.objective).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
      }),
      { numRuns: 40 },
    );
  });

  it('are deterministic per seed and do not mutate the model', () => {
    fc.assert(
      fc.property(smallInstance(), fc.integer({ min: 1, max: 1000 }), ({ model, k }, seed) => {
        const cost = Float64Array.from(model.cost);
        const a = solved(gonzalez(model, { k, seed }));
        const b = solved(gonzalez(model, { k, seed }));
        expect(Array.from(a.solution.open)).toEqual(Array.from(b.solution.open));
        localSearch(model, { k, seed });
        hochbaumShmoys(model, { k });
        expect(Array.from(model.cost)).toEqual(Array.from(cost));
      }),
      { numRuns: 30 },
    );
  });
});

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

  const pmed1 = resolve(process.env.EMPLACE_INSTANCES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/instances'), 'pmed/pmed1.txt');
  it.skipIf(!existsSync(pmed1))('proves the published optimum of pmed1 (127)', async () => {
    const file = pmed1;
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

describe('outliers', () => {
  it('ignore exactly z clients; the radius is over the rest; exact equals brute force; greedy within 3x', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ colocated: true }), fc.integer({ min: 1, max: 3 }), async ({ model, k }, zRaw) => {
        const z = Math.min(zRaw, model.nClients - 1);
        if (z < 1) return;
        const opt = bruteForce(model, k, { outliers: z });
        const e = solved(await exact(model, { k, outliers: z }));
        const g = solved(outliersGreedy(model, { k, outliers: z }));
        for (const r of [e, g]) {
          expect(r.solution.outliers.length).toBe(z);
          let served = 0;
          for (let j = 0; j < model.nClients; j++) if (r.solution.assignment[j]! >= 0) served++;
          expect(served).toBe(model.nClients - z);
          expect(r.objective).toBeCloseTo(radiusFromAssignment(model, r.solution.assignment), 9);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + 1e-9);
        }
        expect(e.status).toBe('optimal');
        expect(e.objective).toBeCloseTo(opt, 9);
        expect(g.objective).toBeLessThanOrEqual(3 * opt + 1e-9);
      }),
      { numRuns: 30 },
    );
  });
});

describe('capacitated', () => {
  it('exact equals brute force; the greedy is feasible and never below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(smallInstance({ maxClients: 7, maxSites: 5 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 7, maxLength: 7 }), async ({ model: base, k }, caps) => {
        const model = createPlacementModel({
          sites: Array.from({ length: base.nSites }, (_, s) => ({ capacity: caps[s % 7]! })),
          clients: base.nClients,
          cost: base.cost,
        });
        const opt = bruteForce(model, k, { capacitated: true });
        const e = await exact(model, { k });
        if (opt === Infinity) {
          expect(['infeasible', 'no-solution']).toContain(e.status);
          return;
        }
        const es = solved(e);
        expect(es.status).toBe('optimal');
        expect(es.objective).toBeCloseTo(opt, 9);
        // Unit demands and integer capacities: every client has one site within the radius.
        const load = new Float64Array(model.nSites);
        for (let j = 0; j < model.nClients; j++) load[es.solution.assignment[j]!]! += 1;
        for (let s = 0; s < model.nSites; s++) expect(load[s]).toBeLessThanOrEqual(model.capacity[s]!);
        const g = capacitatedGreedy(model, { k });
        if (hasSolution(g)) {
          expect(g.objective).toBeGreaterThanOrEqual(opt - 1e-9);
          expect(g.bound!).toBeLessThanOrEqual(opt + 1e-9);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('bad input and statuses', () => {
  const model = createPlacementModel({ sites: 3, clients: 3, cost: [[0, 1, 2], [1, 0, 1], [2, 1, 0]] });

  it('k = 0 or missing is a ModelError naming options.k', () => {
    expect(() => gonzalez(model, { k: 0 })).toThrow(ModelError);
    expect(() => gonzalez(model, { k: 0 })).toThrow(/options\.k/);
    expect(() => gonzalez(model, {})).toThrow(/options\.k/);
    expect(() => gonzalez(model, { k: 1.5 })).toThrow(/options\.k/);
    expect(() => gonzalez(model, { k: 1, outliers: -1 })).toThrow(/options\.outliers/);
  });

  it('k above the number of sites is a ModelError (issue 13: it was silently accepted)', async () => {
    await expect(exact(model, { k: 5 })).rejects.toThrow(/options\.k/);
  });

  it('more pre-opened sites than k is infeasible with a certificate', () => {
    const m = createPlacementModel({ sites: [{ mustOpen: true }, { mustOpen: true }, {}], clients: 3, cost: model.cost });
    const r = gonzalez(m, { k: 1 });
    if (r.status !== 'infeasible') throw new Error(`expected infeasible, got ${r.status}`);
    expect(r.certificate?.fields).toContain('sites[0].mustOpen');
  });

  it('disconnected data (more components than k) is infeasible with a certificate', async () => {
    const m = createPlacementModel({ sites: 4, clients: 4, cost: new Float64Array(16), allowed: (s, j) => Math.floor(s / 2) === Math.floor(j / 2) });
    const r = await exact(m, { k: 1 });
    if (r.status !== 'infeasible') throw new Error(`expected infeasible, got ${r.status}`);
    expect(r.certificate?.reason).toMatch(/share no site/);
    expect(solved(await exact(m, { k: 2 })).objective).toBe(0);
  });

  it('non-metric input: a warning, and no ratio claimed', () => {
    const nm = createPlacementModel({ sites: 3, clients: 3, cost: [[0, 1, 10], [1, 0, 1], [10, 1, 0]] });
    const r = solved(gonzalez(nm, { k: 1 }));
    expect(r.guarantee.kind).toBe('heuristic');
    expect(r.warnings?.join(' ')).toMatch(/not a metric/);
    const h = solved(hochbaumShmoys(nm, { k: 1 }));
    expect(h.guarantee.kind).toBe('heuristic');
  });

  it('capacity-blind methods refuse capacitated models unless told', () => {
    const m = createPlacementModel({ sites: [{ capacity: 1 }, { capacity: 2 }], clients: 2, cost: [[0, 1], [1, 0]] });
    expect(() => gonzalez(m, { k: 1 })).toThrow(/capacitated/);
    expect(solved(gonzalez(m, { k: 1, capacitated: false })).objective).toBe(1);
  });

  it('is registered under kcenter:* for the core solve()', async () => {
    const r = await solve(model, { method: 'kcenter:exact', k: 1 });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(1);
    const a = await solve(model, { method: 'kcenter', k: 1 });
    expect(a.objective).toBe(1);
  });
});

/** A minimal OR-Library pmed reader for the test (the last duplicate edge wins, then shortest paths). */
function pmedModel(text: string): PlacementModel {
  const t = text.trim().split(/\s+/).map(Number);
  const n = t[0]!;
  const m = t[1]!;
  const d = new Float64Array(n * n).fill(Infinity);
  for (let e = 0; e < m; e++) {
    const i = t[3 + 3 * e]! - 1;
    const j = t[4 + 3 * e]! - 1;
    d[i * n + j] = d[j * n + i] = t[5 + 3 * e]!;
  }
  return createPlacementModel({ sites: n, clients: n, cost: shortestPathClosure(d, n) });
}
