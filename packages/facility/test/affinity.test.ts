import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, type PlacementModel } from '@emplace/core';
import { solvePMedian, solveSscfl, solveUfl, solveCfl } from '@emplace/facility';

/* UFL, p-median and single-source CFL honour affinity by solving over affinity units: checked
   against brute force over plans that keep every affinity group on one site. */

interface Instance {
  model: PlacementModel;
  groups: number[][];
}

const instanceArb = fc
  .record({ S: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 2, max: 6 }) })
  .chain(({ S, n }) =>
    fc.record({
      S: fc.constant(S),
      n: fc.constant(n),
      cost: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: S * n, maxLength: S * n }),
      open: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: S, maxLength: S }),
      demand: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: n, maxLength: n }),
      capacity: fc.array(fc.integer({ min: 8, max: 30 }), { minLength: S, maxLength: S }),
      groups: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 2, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    }),
  )
  .map(({ S, n, cost, open, demand, capacity, groups }): Instance => ({
    groups,
    model: createPlacementModel({ sites: S, clients: n, cost, openingCost: open, demand, capacity, affinity: groups }),
  }));

/** Independent: every client's site from the plan, and whether every group shares one. */
function together(assignment: ArrayLike<number>, groups: number[][]): boolean {
  return groups.every((g) => g.every((c) => assignment[c] === assignment[g[0]!]));
}

/** Cost of a client -> site plan: serving cost plus the opening cost of every used site (`withOpening`). */
function planCost(m: PlacementModel, site: number[], withOpening: boolean): number {
  let total = 0;
  for (let j = 0; j < m.nClients; j++) total += m.cost[site[j]! * m.nClients + j]!;
  if (withOpening) for (const i of new Set(site)) total += m.openingCost[i]!;
  return total;
}

/** Brute force over every client -> site plan that keeps groups together (p = number of used sites when given). */
function bruteForce(inst: Instance, opts: { capacitated: boolean; p?: number }): number {
  const m = inst.model;
  const site = new Array<number>(m.nClients).fill(0);
  let best = Infinity;
  const visit = (j: number): void => {
    if (j === m.nClients) {
      if (!together(site, inst.groups)) return;
      const used = new Set(site);
      if (opts.p !== undefined && used.size > opts.p) return;
      if (opts.capacitated) {
        const load = new Array<number>(m.nSites).fill(0);
        for (let c = 0; c < m.nClients; c++) load[site[c]!]! += m.demand[c]!;
        if (load.some((l, i) => l > m.capacity[i]!)) return;
      }
      best = Math.min(best, planCost(m, site, opts.p === undefined));
      return;
    }
    for (let i = 0; i < m.nSites; i++) {
      site[j] = i;
      visit(j + 1);
    }
  };
  visit(0);
  return best;
}

describe('affinity through units (ufl, pmedian, sscfl)', () => {
  it('ufl:auto and ufl:greedy keep groups together; auto equals brute force', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (inst) => {
        const exact = await solveUfl(inst.model, { method: 'auto' });
        expect(exact.status).toBe('optimal');
        if (!hasSolution(exact)) return;
        expect(together(exact.solution.assignment, inst.groups)).toBe(true);
        expect(exact.objective).toBeCloseTo(planCost(inst.model, Array.from(exact.solution.assignment), true), 6);
        expect(exact.objective).toBeCloseTo(bruteForce(inst, { capacitated: false }), 6);
        expect(exact.warnings ?? []).not.toContainEqual(expect.stringContaining('affinity (')); // not "ignores model.affinity"
        const greedy = await solveUfl(inst.model, { method: 'greedy' });
        if (hasSolution(greedy)) expect(together(greedy.solution.assignment, inst.groups)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('pmedian:auto equals brute force with p sites', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, fc.integer({ min: 1, max: 3 }), async (inst, p0) => {
        const p = Math.min(p0, inst.model.nSites);
        const r = await solvePMedian(inst.model, { method: 'auto', p });
        if (!hasSolution(r)) return;
        expect(together(r.solution.assignment, inst.groups)).toBe(true);
        expect(r.objective).toBeCloseTo(bruteForce(inst, { capacitated: false, p }), 6);
      }),
      { numRuns: 40 },
    );
  });

  it('sscfl:auto equals brute force under capacities, infeasible exactly when no grouped plan fits', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb, async (inst) => {
        const r = await solveSscfl(inst.model, { method: 'auto' });
        const best = bruteForce(inst, { capacitated: true });
        if (best === Infinity) {
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        if (!hasSolution(r)) return;
        expect(together(r.solution.assignment, inst.groups)).toBe(true);
        expect(r.objective).toBeCloseTo(best, 6);
      }),
      { numRuns: 40 },
    );
  });

  it('the issue 20 case {0,1}, {1,2}: clients 0, 1 and 2 on one site; split-demand cfl still warns', async () => {
    const model = createPlacementModel({
      sites: 3,
      clients: 3,
      cost: [0, 9, 0, 9, 0, 9, 5, 5, 5],
      openingCost: [1, 1, 1],
      affinity: [
        [0, 1],
        [1, 2],
      ],
    });
    // Together on site 0 costs 0 + 9 + 0 (plus 1 to open it); apart they would cost 0 + 0 + 0.
    const expected = [10, 9, 10];
    const results = [await solveUfl(model, {}), await solvePMedian(model, { p: 2 }), await solveSscfl(model, {})];
    results.forEach((r, k) => {
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) return;
      const a = r.solution.assignment;
      expect(a[0] === a[1] && a[1] === a[2]).toBe(true);
      expect(r.objective).toBe(expected[k]);
    });
    const split = await solveCfl(model, {});
    expect(split.warnings?.some((w) => w.includes('model.affinity'))).toBe(true);
  });

  // These variants ignore anti-affinity (docs/concepts.md): the answer is about the model without
  // it, where affinity and anti-affinity do not conflict. They answered infeasible before (status
  // audit, seeds 620x), which is the status of a model they do not solve.
  it('affinity against an anti-affinity they ignore: the plan of the model without it, with a warning naming both', async () => {
    const model = createPlacementModel({ sites: 2, clients: 3, cost: [1, 1, 1, 1, 1, 1], affinity: [[0, 1]], antiAffinity: [{ clients: [1, 0] }] });
    for (const r of [await solveUfl(model, {}), await solvePMedian(model, { p: 1 }), await solveSscfl(model, {})]) {
      expect(r.status).toBe('optimal');
      if (!hasSolution(r)) continue;
      expect(r.objective).toBe(3);
      expect(r.solution.assignment[0]).toBe(r.solution.assignment[1]);
      expect(r.warnings?.some((w) => w.includes('antiAffinity[0]') && w.includes('ignores anti-affinity'))).toBe(true);
    }
  });
});
