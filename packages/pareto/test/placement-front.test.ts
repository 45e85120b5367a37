import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, createPlacementModel, hasSolution, solve, type PlacementModel } from '@emplace/core';
import { LinearModel } from '@emplace/lp';
import {
  bruteForcePlacementFront,
  dominates,
  epsilonConstraint,
  exactPlacementFront,
  linearEpsilonConstraint,
  placementFront,
  placementProblem,
} from '@emplace/pareto';

/** Brute-force front of a bi-objective 0/1 problem with integer objective vectors. */
function bruteFront(n: number, f: (x: number[]) => [number, number] | null): string[] {
  const pts: [number, number][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const x = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
    const v = f(x);
    if (v) pts.push(v);
  }
  const nd = pts.filter((p) => !pts.some((q) => dominates(q, p)));
  return [...new Set(nd.map((p) => p.join(',')))].sort();
}

describe('epsilon-constraint', () => {
  it('a caller-supplied exact solver yields every point of the brute-forced front, none weakly dominated', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 8 }), async (items) => {
        // Choose at least 2 items (or all if fewer): minimise (sum a, sum b).
        const n = items.length;
        const need = Math.min(2, n);
        const f = (x: number[]): [number, number] | null => {
          if (x.reduce((s, v) => s + v, 0) < need) return null;
          return [x.reduce((s, v, i) => s + v * items[i]![0], 0), x.reduce((s, v, i) => s + v * items[i]![1], 0)];
        };
        const all: [number, number][] = [];
        for (let mask = 0; mask < 1 << n; mask++) {
          const v = f(Array.from({ length: n }, (_, i) => (mask >> i) & 1));
          if (v) all.push(v);
        }
        // Exact scalar solver by enumeration: min f1 s.t. f2 <= eps, ties by arbitrary (largest f2) to exercise the weak-point filter.
        const solver = (eps: number) => {
          let best: [number, number] | null = null;
          for (const v of all) if (v[1] <= eps && (!best || v[0] < best[0] || (v[0] === best[0] && v[1] > best[1]))) best = v;
          return best ? { solution: best, objectives: best } : null;
        };
        const r = await epsilonConstraint(solver);
        expect(hasSolution(r)).toBe(true);
        if (!hasSolution(r)) return;
        expect(r.solution.complete).toBe(true);
        expect(r.solution.points.map((p) => p.objectives.join(',')).sort()).toEqual(bruteFront(n, f));
      }),
      { numRuns: 60 },
    );
  });

  it('AUGMECON through @emplace/lp enumerates the front of a bi-objective knapsack', async () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 2; trial++) {
      const n = 7;
      const a = Array.from({ length: n }, () => 1 + rng.int(9));
      const b = Array.from({ length: n }, () => 1 + rng.int(9));
      const w = Array.from({ length: n }, () => 1 + rng.int(5));
      // Minimise (-sum a x, -sum b x) s.t. sum w x <= cap.
      const cap = Math.floor(w.reduce((s, v) => s + v, 0) / 2);
      const build = () => {
        const lp = new LinearModel('min');
        lp.addVariables(n, { type: 'binary' });
        lp.addLe(Array.from({ length: n }, (_, i) => i), w, cap);
        return lp;
      };
      const idx = Array.from({ length: n }, (_, i) => i);
      const r = await linearEpsilonConstraint(build, { indices: idx, coefs: a.map((v) => -v) }, { indices: idx, coefs: b.map((v) => -v) });
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) return;
      const expected = bruteFront(n, (x) => (x.reduce((s, v, i) => s + v * w[i]!, 0) <= cap ? [-x.reduce((s, v, i) => s + v * a[i]!, 0), -x.reduce((s, v, i) => s + v * b[i]!, 0)] : null));
      expect(r.solution.points.map((p) => p.objectives.map((v) => Math.round(v)).join(',')).sort()).toEqual(expected);
    }
  });
});

function randomPlacement(rng: Rng, nSites: number, nClients: number, labels = false): { model: PlacementModel; latency: Float64Array } {
  const cost = Array.from({ length: nSites * nClients }, () => 1 + rng.int(20));
  const latency = Float64Array.from({ length: nSites * nClients }, () => 1 + rng.int(15));
  const model = createPlacementModel({
    sites: Array.from({ length: nSites }, (_, i) => ({ openingCost: 5 + rng.int(30), ...(labels ? { labels: { region: `r${i % 3}` } } : {}) })),
    clients: nClients,
    cost,
  });
  return { model, latency };
}

describe('placement fronts', () => {
  it('the exact epsilon-constraint front equals brute force over open-site sets', async () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 3; trial++) {
      const { model, latency } = randomPlacement(rng, 6, 7);
      const bf = bruteForcePlacementFront(model, { latency });
      const r = await exactPlacementFront(model, { latency });
      expect(r.status).toBe('optimal');
      if (!hasSolution(r)) return;
      expect(r.solution.complete).toBe(true);
      expect(r.solution.points.map((p) => `${p.objectives[0]!.toFixed(6)},${p.objectives[1]}`)).toEqual(bf.map((p) => `${p.cost.toFixed(6)},${p.latency}`));
      // Each plan: its open sites reproduce its objectives under the problem's rule.
      const problem = placementProblem(model, { latency, objectives: ['cost', 'latency'] });
      for (const p of r.solution.points) {
        const mask = new Float64Array(model.nSites);
        for (const i of p.plan.open) mask[i] = 1;
        const plan = problem.plan(mask);
        expect(plan.cost).toBeCloseTo(p.objectives[0]!, 6);
        expect(plan.maxLatency).toBe(p.objectives[1]);
        expect(plan.assignment).toEqual(p.plan.assignment);
      }
    }
  });

  it('the exact three-objective front (cost, latency, -domains) equals brute force', async () => {
    const rng = new Rng(12);
    for (let trial = 0; trial < 2; trial++) {
      const { model, latency } = randomPlacement(rng, 6, 6, true);
      const objectives = ['cost', 'latency', 'domains'] as const;
      const bf = bruteForcePlacementFront(model, { latency, objectives });
      const r = await exactPlacementFront(model, { latency, objectives });
      expect(r.status).toBe('optimal');
      if (!hasSolution(r)) return;
      const key = (o: number[]) => o.map((v) => v.toFixed(6)).join('|');
      expect(r.solution.points.map((p) => key(p.objectives)).sort()).toEqual(bf.map((p) => key(p.objectives)).sort());
      for (const p of r.solution.points) expect(p.objectives[2]).toBe(-p.plan.domains);
    }
  });

  it('the evolutionary front is non-dominated, consistent with its plans, and seed-deterministic', async () => {
    const rng = new Rng(8);
    const { model, latency } = randomPlacement(rng, 8, 10, true);
    const r = await placementFront(model, { latency, seed: 3, maxEvaluations: 3000, populationSize: 40 });
    const again = await placementFront(model, { latency, seed: 3, maxEvaluations: 3000, populationSize: 40 });
    expect(JSON.stringify(r)).toContain('"points"');
    expect(JSON.stringify(r.solution)).toBe(JSON.stringify(again.solution));
    if (!hasSolution(r)) throw new Error('no front');
    for (const a of r.solution.points) for (const b of r.solution.points) expect(dominates(a.objectives, b.objectives)).toBe(false);
    for (const p of r.solution.points) {
      expect(p.objectives).toEqual([p.plan.cost, p.plan.maxLatency, -p.plan.domains]);
      expect(p.plan.domains).toBe(new Set(p.plan.open.map((i) => model.siteLabels[i]!['region'])).size);
    }
    // Two objectives on a small model: the evolutionary front matches brute force here.
    const bi = await placementFront(model, { latency, objectives: ['cost', 'latency'], seed: 1, maxEvaluations: 4000 });
    if (!hasSolution(bi)) throw new Error('no front');
    const bf = bruteForcePlacementFront(model, { latency });
    for (const p of bi.solution.points) expect(bf.some((q) => q.cost <= p.objectives[0]! + 1e-9 && q.latency <= p.objectives[1]!)).toBe(true);
  });

  it('respects capacities, mustOpen and forbidden sites', async () => {
    const model = createPlacementModel({
      sites: [{ openingCost: 1, capacity: 2 }, { openingCost: 1, capacity: 2, forbidden: true }, { openingCost: 10, capacity: 3, mustOpen: true }],
      clients: 4,
      cost: [[1, 1, 1, 1], [0, 0, 0, 0], [5, 5, 5, 5]],
    });
    const r = await placementFront(model, { seed: 1, maxEvaluations: 600, populationSize: 20, objectives: ['cost', 'latency'] });
    if (!hasSolution(r)) throw new Error('no front');
    for (const p of r.solution.points) {
      expect(p.plan.open).toContain(2);
      expect(p.plan.open).not.toContain(1);
      expect(p.plan.unserved).toBe(0);
      expect(p.plan.assignment.filter((i) => i === 0).length).toBeLessThanOrEqual(2);
    }
    const ex = await exactPlacementFront(model);
    if (!hasSolution(ex)) throw new Error('no exact front');
    expect(ex.solution.points.map((p) => p.objectives)).toEqual([[23, 5]]); // site 0 (1 + 2) and the must-open site 2 (10 + 10): site 2 alone lacks capacity
  });

  it('runs through the registry and reports evident infeasibility', async () => {
    const rng = new Rng(2);
    const { model } = randomPlacement(rng, 4, 5);
    const r = await solve(model, { method: 'pareto', objectives: ['cost', 'latency'] });
    expect(r.status).toBe('optimal');
    const tight = createPlacementModel({ sites: [{ capacity: 1 }], clients: 2, cost: [[1, 1]] });
    const inf = await exactPlacementFront(tight);
    expect(inf.status).toBe('infeasible');
  });

  it('does not mutate the model', async () => {
    const { model, latency } = randomPlacement(new Rng(4), 5, 6, true);
    const before = JSON.stringify(model, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    const latBefore = Array.from(latency);
    await exactPlacementFront(model, { latency });
    await placementFront(model, { latency, seed: 1, maxEvaluations: 400, populationSize: 20 });
    expect(JSON.stringify(model, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))).toBe(before);
    expect(Array.from(latency)).toEqual(latBefore);
  });

  it('names bad options', () => {
    const { model } = randomPlacement(new Rng(1), 3, 3);
    expect(() => placementProblem(model, { objectives: ['cost', 'speed' as never] })).toThrow(/options.objectives\[1\]/);
    expect(() => placementProblem(model, { latency: [1, 2] })).toThrow(/options.latency/);
    expect(() => placementProblem(model, { latency: Array(9).fill(NaN) })).toThrow(/options.latency\[0\]\[0\]/);
  });
});

describe('epsilon-constraint progress', () => {
  // Audit seed 6711 (scripts/audit/statuses.ts, pareto case 22): events carried a point's f1 (26)
  // as `incumbent` while the Result objective is the hypervolume (0.26, max); an incumbent must
  // be in the Result objective's units and never better than it.
  it('no progress incumbent better than the Result objective', async () => {
    const model = createPlacementModel({ sites: [{ openingCost: 9 }, { openingCost: 24 }], clients: 2, cost: [[2, 2], [1, 1]] });
    for (const method of ['pareto:epsilon-constraint', 'pareto:auto']) {
      const events: number[] = [];
      const r = await solve(model, { method, progressIntervalMs: 0, onProgress: (e) => e.incumbent !== undefined && events.push(e.incumbent) });
      expect(hasSolution(r)).toBe(true);
      const obj = r.objective!;
      for (const inc of events) expect(r.sense === 'min' ? inc >= obj - 1e-9 * Math.max(1, Math.abs(obj)) : inc <= obj + 1e-9 * Math.max(1, Math.abs(obj))).toBe(true);
    }
  });
});
