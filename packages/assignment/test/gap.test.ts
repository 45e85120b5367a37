import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, ModelError, solve, type PlacementModel } from '@emplace/core';
import {
  gapAuto,
  gapBranchAndBoundSolve,
  gapLagrangian,
  gapMthg,
  gapTabuSearch,
  generateGap,
  type GapSolution,
} from '@emplace/assignment';

/** Small random GAP: m agents, n jobs, integer data, sometimes infeasible. */
const smallGap = fc
  .record({ m: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 7 }), seed: fc.integer({ min: 0, max: 1e6 }), tight: fc.double({ min: 0.3, max: 1.2, noNaN: true }) })
  .map(({ m, n, seed, tight }) => {
    let s = seed;
    const rnd = (k: number): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s % k;
    };
    const cost = Array.from({ length: m * n }, () => 1 + rnd(30));
    const siteDemand = Array.from({ length: m * n }, () => 1 + rnd(10));
    const capacity = Array.from({ length: m }, () => Math.max(1, Math.round((tight * 5.5 * n) / m)));
    return createPlacementModel({ sites: m, clients: n, cost, siteDemand, capacity });
  });

function bruteForce(model: PlacementModel, sense: 'min' | 'max'): number | undefined {
  const m = model.nSites;
  const n = model.nClients;
  const a = new Int32Array(n);
  let best: number | undefined;
  const load = new Float64Array(m);
  const rec = (j: number, c: number): void => {
    if (j === n) {
      if (best === undefined || (sense === 'min' ? c < best : c > best)) best = c;
      return;
    }
    for (let i = 0; i < m; i++) {
      const w = model.siteDemand![i * n + j]!;
      if (load[i]! + w > model.capacity[i]!) continue;
      load[i]! += w;
      a[j] = i;
      rec(j + 1, c + model.cost[i * n + j]!);
      load[i]! -= w;
    }
  };
  rec(0, 0);
  return best;
}

function checkSolution(model: PlacementModel, sol: GapSolution, objective: number): void {
  const load = new Float64Array(model.nSites);
  let c = 0;
  for (let j = 0; j < model.nClients; j++) {
    const i = sol.assignment[j]!;
    expect(i).toBeGreaterThanOrEqual(0);
    expect(i).toBeLessThan(model.nSites);
    load[i]! += model.siteDemand![i * model.nClients + j]!;
    c += model.cost[i * model.nClients + j]!;
  }
  for (let i = 0; i < model.nSites; i++) expect(load[i]!).toBeLessThanOrEqual(model.capacity[i]! + 1e-9);
  expect(objective).toBeCloseTo(c, 9);
}

describe('GAP exact methods', () => {
  it('branch-and-bound equals brute force (min and max) and its bound never crosses the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(smallGap, fc.constantFrom<'min' | 'max'>('min', 'max'), async (model, sense) => {
        const opt = bruteForce(model, sense);
        const r = await gapBranchAndBoundSolve(model, { sense });
        if (opt === undefined) {
          expect(r.status).toBe('infeasible');
          return;
        }
        expect(r.status).toBe('optimal');
        expect(r.objective).toBe(opt);
        checkSolution(model, r.solution!, r.objective!);
        const lag = await gapLagrangian(model, { sense });
        if (lag.status === 'infeasible' || lag.bound === undefined) return;
        if (sense === 'min') expect(lag.bound).toBeLessThanOrEqual(opt + 1e-9);
        else expect(lag.bound).toBeGreaterThanOrEqual(opt - 1e-9);
        const auto = await gapAuto(model, { sense, timeLimitMs: 5000 });
        expect(auto.objective).toBe(opt);
      }),
      { numRuns: 120 },
    );
  });
});

describe('GAP bounds under a time limit', () => {
  it('the bound of an interrupted run never crosses the optimum', async () => {
    for (const seed of [1, 2, 3]) {
      for (const type of ['C', 'D'] as const) {
        const model = generateGap(type, 4, 24, seed);
        const exact = await gapBranchAndBoundSolve(model);
        expect(exact.status).toBe('optimal');
        for (const limit of [1, 5, 20]) {
          const r = await gapAuto(model, { timeLimitMs: limit, seed });
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(exact.objective! + 1e-9);
          if (r.objective !== undefined) expect(r.objective).toBeGreaterThanOrEqual(exact.objective! - 1e-9);
        }
      }
    }
  });
});

describe('GAP heuristics', () => {
  it('MTHG and tabu return feasible assignments with recomputed objectives, never better than optimal', async () => {
    await fc.assert(
      fc.asyncProperty(smallGap, async (model) => {
        const opt = bruteForce(model, 'min');
        for (const r of [await gapMthg(model), await gapTabuSearch(model, { maxIterations: 200 })]) {
          if (r.status === 'infeasible') {
            expect(opt).toBeUndefined();
            continue;
          }
          if (r.status !== 'feasible' && r.status !== 'optimal') continue;
          checkSolution(model, r.solution, r.objective);
          expect(r.objective).toBeGreaterThanOrEqual(opt!);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt! + 1e-9);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('tabu reaches the proven optimum on a generated type C instance and is deterministic per seed', async () => {
    const model = generateGap('C', 5, 40, 7);
    const exact = await gapBranchAndBoundSolve(model);
    expect(exact.status).toBe('optimal');
    const a = await gapTabuSearch(model, { maxIterations: 3000, seed: 3 });
    const b = await gapTabuSearch(model, { maxIterations: 3000, seed: 3 });
    expect(a.objective).toBe(b.objective);
    expect(Array.from(a.solution!.assignment)).toEqual(Array.from(b.solution!.assignment));
    expect(a.objective! - exact.objective!).toBeLessThanOrEqual(0.01 * exact.objective!);
  });

  it('does not mutate its input', async () => {
    const model = generateGap('D', 4, 20, 2);
    const before = { cost: Array.from(model.cost), sd: Array.from(model.siteDemand!), cap: Array.from(model.capacity) };
    await gapAuto(model, { timeLimitMs: 500 });
    await gapTabuSearch(model, { maxIterations: 100 });
    expect(Array.from(model.cost)).toEqual(before.cost);
    expect(Array.from(model.siteDemand!)).toEqual(before.sd);
    expect(Array.from(model.capacity)).toEqual(before.cap);
  });

  it('reports each improved plan through onIncumbent: feasible, at its true objective, never worse than the last', async () => {
    const model = generateGap('D', 5, 60, 9);
    for (const f of [gapAuto, gapTabuSearch, gapLagrangian, gapBranchAndBoundSolve]) {
      const seen: number[] = [];
      const r = await f(model, {
        timeLimitMs: 400,
        incumbentIntervalMs: 0,
        onIncumbent: (s, objective) => {
          checkSolution(model, s as GapSolution, objective);
          seen.push(objective);
        },
      });
      expect(seen.length).toBeGreaterThan(0);
      for (let t = 1; t < seen.length; t++) expect(seen[t]!).toBeLessThanOrEqual(seen[t - 1]!);
      expect(r.objective).toBeLessThanOrEqual(seen[seen.length - 1]!);
    }
  });

  it('is reachable through the registry', async () => {
    const model = generateGap('A', 3, 10, 5);
    const r = await solve(model, { method: 'gap:mthg' });
    expect(r.status === 'feasible' || r.status === 'optimal').toBe(true);
    const auto = await solve(model, { method: 'gap', sense: 'max' });
    expect(auto.status).toBe('optimal');
    expect(auto.sense).toBe('max');
  });
});

describe('GAP infeasibility and bad input', () => {
  it('names a job that fits nowhere', async () => {
    const model = createPlacementModel({ sites: 2, clients: 3, cost: [1, 1, 1, 1, 1, 1], siteDemand: [1, 9, 1, 1, 9, 1], capacity: [5, 5] });
    const r = await gapAuto(model);
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') expect(r.certificate?.fields).toContain('clients[1]');
  });

  it('reports total size above total capacity', async () => {
    const model = createPlacementModel({ sites: 2, clients: 3, cost: [1, 1, 1, 1, 1, 1], siteDemand: [4, 4, 4, 4, 4, 4], capacity: [5, 5] });
    const r = await gapMthg(model);
    expect(r.status).toBe('infeasible');
    if (r.status === 'infeasible') expect(r.certificate?.reason).toMatch(/total/);
  });

  it('refuses several dimensions and a bad sense, naming the field', () => {
    const model = createPlacementModel({ sites: 1, clients: 1, cost: [1], dimensions: ['cpu', 'mem'], capacity: [1, 1], demand: [1, 1] });
    expect(() => gapMthg(model)).toThrow(ModelError);
    expect(() => gapMthg(model)).toThrow(/dimensions/);
    const ok = generateGap('A', 2, 4, 1);
    expect(() => gapMthg(ok, { sense: 'up' as 'min' })).toThrow(/options.sense/);
  });
});

describe('GAP auto when no heuristic finds a plan', () => {
  it('settles a tight instance whose plans the heuristics miss (branch-and-bound runs on alone)', async () => {
    // Bin packing with no slack: 6+4 and 5+5 fill both agents exactly.
    const tight = createPlacementModel({ sites: 2, clients: 4, cost: [1, 9, 1, 9, 9, 1, 9, 1], siteDemand: [6, 5, 4, 5, 6, 5, 4, 5], capacity: [10, 10] });
    const r = await gapAuto(tight, { timeLimitMs: 2000 });
    expect(r.status).toBe('optimal');
    checkSolution(tight, r.solution!, r.objective!);
    const infeasible = createPlacementModel({ sites: 2, clients: 3, cost: [1, 2, 3, 3, 2, 1], demand: [6, 6, 6], capacity: [10, 10] });
    expect((await gapAuto(infeasible, { timeLimitMs: 2000 })).status).toBe('infeasible');
  });
});
