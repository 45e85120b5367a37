import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ModelError, createPlacementModel, hasSolution, solve, type PlacementModel, type Result } from '@emplace/core';
import { checkSolution, solveCfl, solvePMedian, solveSscfl, solveUfl, type FacilitySolution, type FacilityVariant } from '@emplace/facility';

// ------------------------------------------------------------------ instances

interface Spec {
  nS: number;
  nC: number;
  cost: number[];
  f: number[];
  demand: number[];
  capacity: number[];
  allowed?: number[] | undefined;
  mustOpen: boolean[];
  forbidden: boolean[];
}

const specArb = (maxS: number, maxC: number, opts: { allowed?: boolean; flags?: boolean } = {}): fc.Arbitrary<Spec> =>
  fc.record({ nS: fc.integer({ min: 1, max: maxS }), nC: fc.integer({ min: 1, max: maxC }) }).chain(({ nS, nC }) =>
    fc.record({
      nS: fc.constant(nS),
      nC: fc.constant(nC),
      cost: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: nS * nC, maxLength: nS * nC }),
      f: fc.array(fc.integer({ min: 0, max: 120 }), { minLength: nS, maxLength: nS }),
      demand: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: nC, maxLength: nC }),
      capacity: fc.array(fc.integer({ min: 10, max: 60 }), { minLength: nS, maxLength: nS }),
      allowed: opts.allowed ? fc.option(fc.array(fc.integer({ min: 0, max: 4 }).map((x) => (x === 0 ? 0 : 1)), { minLength: nS * nC, maxLength: nS * nC }), { nil: undefined }) : fc.constant(undefined),
      mustOpen: opts.flags ? fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x === 0), { minLength: nS, maxLength: nS }) : fc.constant(new Array<boolean>(nS).fill(false)),
      forbidden: opts.flags ? fc.array(fc.integer({ min: 0, max: 5 }).map((x) => x === 0), { minLength: nS, maxLength: nS }) : fc.constant(new Array<boolean>(nS).fill(false)),
    }),
  );

function build(s: Spec): PlacementModel {
  return createPlacementModel({
    sites: Array.from({ length: s.nS }, (_, i) => ({
      openingCost: s.f[i]!,
      capacity: s.capacity[i]!,
      mustOpen: s.mustOpen[i]! && !s.forbidden[i]!,
      forbidden: s.forbidden[i]!,
    })),
    clients: s.demand.map((d) => ({ demand: d })),
    cost: s.cost,
    ...(s.allowed ? { allowed: s.allowed } : {}),
  });
}

// ------------------------------------------------------------------ brute force

function subsets(model: PlacementModel, accept: (open: Uint8Array) => boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let mask = 1; mask < 1 << model.nSites; mask++) {
    const open = new Uint8Array(model.nSites);
    let ok = true;
    for (let i = 0; i < model.nSites; i++) {
      open[i] = (mask >> i) & 1;
      if (open[i] && model.forbidden[i]) ok = false;
      if (!open[i] && model.mustOpen[i]) ok = false;
    }
    if (ok && accept(open)) out.push(open);
  }
  return out;
}

function allowedPair(m: PlacementModel, i: number, j: number): boolean {
  return !m.allowed || m.allowed[i * m.nClients + j] === 1;
}

/** UFL (pmedian when p is given): best open set with every client at its cheapest allowed open site. */
function bruteUncapacitated(m: PlacementModel, p?: number): number {
  let best = Infinity;
  for (const open of subsets(m, (o) => p === undefined || o.reduce((a, b) => a + b, 0) === p)) {
    let v = 0;
    for (let i = 0; i < m.nSites; i++) if (open[i] && p === undefined) v += m.openingCost[i]!;
    for (let j = 0; j < m.nClients && v < Infinity; j++) {
      let b = Infinity;
      for (let i = 0; i < m.nSites; i++) if (open[i] && allowedPair(m, i, j) && m.cost[i * m.nClients + j]! < b) b = m.cost[i * m.nClients + j]!;
      v += b;
    }
    if (v < best) best = v;
  }
  return best;
}

/** Single-source CFL by enumerating every assignment (tiny instances only). */
function bruteSingleSource(m: PlacementModel): number {
  const { nSites: S, nClients: C } = m;
  let best = Infinity;
  const assign = new Int32Array(C);
  const rec = (j: number): void => {
    if (j === C) {
      const load = new Float64Array(S);
      const used = new Uint8Array(S);
      let v = 0;
      for (let k = 0; k < C; k++) {
        load[assign[k]!]! += m.demand[k]!;
        used[assign[k]!] = 1;
        v += m.cost[assign[k]! * C + k]!;
      }
      for (let i = 0; i < S; i++) {
        if (load[i]! > m.capacity[i]!) return;
        if (used[i] || m.mustOpen[i]) v += m.openingCost[i]!;
      }
      if (v < best) best = v;
      return;
    }
    for (let i = 0; i < S; i++) {
      if (m.forbidden[i] || !allowedPair(m, i, j)) continue;
      assign[j] = i;
      rec(j + 1);
    }
  };
  rec(0);
  return best;
}

function snapshot(m: PlacementModel): string {
  return JSON.stringify([m.cost, m.openingCost, m.capacity, m.demand, m.allowed, m.mustOpen, m.forbidden].map((a) => (a ? Array.from(a) : null)));
}

function expectValid(m: PlacementModel, variant: FacilityVariant, r: Result<FacilitySolution>, p?: number): void {
  if (!hasSolution(r)) return;
  const check = checkSolution(m, variant, r.solution, p);
  expect(check.violations).toEqual([]);
  expect(r.objective).toBeCloseTo(check.objective, 6);
}

const tol = (x: number): number => 1e-6 * Math.max(1, Math.abs(x));

// ------------------------------------------------------------------ properties

describe('UFL', () => {
  it('exact methods equal brute force; every method feasible; bounds never cross the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(6, 7, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const before = snapshot(m);
        const opt = bruteUncapacitated(m);
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'auto'] as const) {
          const r = await solveUfl(m, { method });
          if (opt === Infinity) {
            expect(r.status).toBe('infeasible');
            continue;
          }
          expect(hasSolution(r)).toBe(true);
          expectValid(m, 'ufl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound' || method === 'auto') {
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 6);
          }
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 40 },
    );
  });

  it('greedy (JMS) stays within 1.61 of the optimum on metric instances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 7, maxLength: 7 }),
        async (nS, nC, pts, f) => {
          // Sites and clients are points; costs are Euclidean distances (a metric).
          const cost: number[] = [];
          for (let i = 0; i < nS; i++) for (let j = 0; j < nC; j++) cost.push(Math.hypot(pts[i]![0] - pts[8 + (j % 8)]![0], pts[i]![1] - pts[8 + (j % 8)]![1]));
          const m = createPlacementModel({ sites: f.slice(0, nS).map((x) => ({ openingCost: x })), clients: nC, cost });
          const opt = bruteUncapacitated(m);
          const r = await solveUfl(m, { method: 'greedy' });
          expect(hasSolution(r)).toBe(true);
          expect(r.objective!).toBeLessThanOrEqual(1.61 * opt + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('p-median', () => {
  it('exact methods equal brute force; heuristics feasible; bound below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(7, 8, { allowed: true, flags: true }), fc.integer({ min: 1, max: 7 }), async (spec, pRaw) => {
        const m = build(spec);
        const p = Math.min(pRaw, spec.nS);
        const before = snapshot(m);
        const nMust = Array.from(m.mustOpen).reduce((a, b) => a + b, 0);
        const nUsable = Array.from(m.forbidden).filter((x) => !x).length;
        const opt = bruteUncapacitated(m, p);
        for (const method of ['greedy', 'interchange', 'lagrangian', 'branch-and-bound'] as const) {
          const r = await solvePMedian(m, { method, p });
          if (nMust > p || nUsable < p || opt === Infinity) {
            expect(r.status).not.toBe('optimal');
            if (r.status === 'infeasible') expect(r.certificate?.reason).toBeTruthy();
            continue;
          }
          expectValid(m, 'pmedian', r, p);
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound') expect(r.objective!).toBeCloseTo(opt, 6);
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 40 },
    );
  });

  it('p larger than the number of sites is a ModelError naming options.p', async () => {
    const m = createPlacementModel({ sites: 2, clients: 3, cost: [1, 2, 3, 4, 5, 6] });
    await expect(solvePMedian(m, { p: 3 })).rejects.toThrow(ModelError);
    await expect(solvePMedian(m, { p: 3 })).rejects.toThrow(/options\.p/);
  });
});

describe('CFL (split demand)', () => {
  it('branch-and-bound equals the MIP optimum; every method feasible; bound below it', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(5, 7, { allowed: true, flags: true }), async (spec) => {
        const m = build(spec);
        const before = snapshot(m);
        const mip = await solveCfl(m, { method: 'mip' });
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound'] as const) {
          const r = await solveCfl(m, { method });
          if (!hasSolution(mip)) {
            expect(hasSolution(r)).toBe(false);
            continue;
          }
          const opt = mip.objective;
          expectValid(m, 'cfl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'branch-and-bound') {
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 5);
          }
        }
        expect(snapshot(m)).toBe(before);
      }),
      { numRuns: 25 },
    );
  });

  it('an uncapacitated model solved as CFL gives the UFL optimum', async () => {
    const m = createPlacementModel({ sites: [{ openingCost: 50 }, { openingCost: 60 }, { openingCost: 70 }], clients: 4, cost: [1, 9, 9, 9, 9, 1, 9, 9, 9, 9, 1, 1] });
    const a = await solveCfl(m);
    const b = await solveUfl(m);
    expect(a.status).toBe('optimal');
    expect(a.objective).toBeCloseTo(b.objective!, 9);
  });

  it('total demand above total capacity is infeasible with a certificate', async () => {
    const m = createPlacementModel({ sites: [{ capacity: 5 }, { capacity: 4 }], clients: [{ demand: 6 }, { demand: 4 }], cost: [1, 1, 1, 1] });
    const r = await solveCfl(m);
    expect(r.status).toBe('infeasible');
    expect(r.status === 'infeasible' ? r.certificate?.reason : '').toMatch(/exceeds the total capacity/);
  });
});

describe('single-source CFL', () => {
  it('auto equals brute force on tiny instances; heuristics feasible; bound below the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(specArb(4, 6, { allowed: true }), async (spec) => {
        const m = build(spec);
        const opt = bruteSingleSource(m);
        for (const method of ['greedy', 'local-search', 'lagrangian', 'branch-and-bound', 'auto'] as const) {
          const r = await solveSscfl(m, { method });
          if (opt === Infinity) {
            expect(r.status).not.toBe('optimal');
            expect(r.status).not.toBe('feasible');
            if (method === 'auto' || method === 'branch-and-bound') expect(r.status).toBe('infeasible');
            continue;
          }
          expectValid(m, 'sscfl', r);
          if (hasSolution(r)) expect(r.objective).toBeGreaterThanOrEqual(opt - tol(opt));
          if (r.bound !== undefined) expect(r.bound).toBeLessThanOrEqual(opt + tol(opt));
          if (method === 'auto' || method === 'branch-and-bound') {
            // Exact methods end proven on these tiny instances (never no-solution + converged).
            expect(r.status).toBe('optimal');
            expect(r.objective!).toBeCloseTo(opt, 6);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('determinism, options and bad input', () => {
  const spec: Spec = {
    nS: 12,
    nC: 40,
    cost: Array.from({ length: 480 }, (_, k) => (k * 7919) % 97),
    f: Array.from({ length: 12 }, (_, i) => 50 + ((i * 37) % 60)),
    demand: Array.from({ length: 40 }, (_, j) => 1 + ((j * 13) % 9)),
    capacity: new Array(12).fill(40),
    mustOpen: new Array(12).fill(false),
    forbidden: new Array(12).fill(false),
  };

  it('same seed, same answer', async () => {
    const m = build(spec);
    for (const run of [() => solveUfl(m, { seed: 7 }), () => solveCfl(m, { seed: 7 }), () => solvePMedian(m, { p: 4, seed: 7 })]) {
      const a = await run();
      const b = await run();
      expect(a.objective).toBe(b.objective);
      expect(JSON.stringify(a.solution)).toBe(JSON.stringify(b.solution));
    }
  });

  it('a time limit returns the best solution so far with stoppedBy time-limit', async () => {
    const m = build(spec);
    const r = await solveCfl(m, { method: 'branch-and-bound', timeLimitMs: 0 });
    expect(r.stoppedBy).toBe('time-limit');
    expect(hasSolution(r)).toBe(true);
    expectValid(m, 'cfl', r);
    const p = await solvePMedian(m, { p: 5, method: 'branch-and-bound', timeLimitMs: 0 });
    expect(p.stoppedBy).toBe('time-limit');
    expectValid(m, 'pmedian', p, 5);
  });

  it('NaN and negative costs are ModelErrors naming the entry', async () => {
    const m = build(spec);
    const nan = { ...m, cost: Float64Array.from(m.cost, (v, k) => (k === 13 ? NaN : v)) };
    await expect(solveUfl(nan)).rejects.toThrow(/cost\[0\]\[13\] is NaN/);
    const neg = createPlacementModel({ sites: 2, clients: 2, cost: [1, -2, 3, 4], allowNegativeCost: true });
    await expect(solveCfl(neg)).rejects.toThrow(/cost\[0\]\[1\] is negative/);
    await expect(solveUfl(m, { method: 'nope' })).rejects.toThrow(/options\.method/);
  });

  it('a client with no allowed site is infeasible with a certificate naming it', async () => {
    const m = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4], allowed: [1, 0, 1, 0] });
    for (const r of [await solveUfl(m), await solveCfl(m), await solveSscfl(m), await solvePMedian(m, { p: 1 })]) {
      expect(r.status).toBe('infeasible');
      expect(r.status === 'infeasible' ? r.certificate?.fields : []).toContain('clients[1]');
    }
  });

  it('mustOpen and forbidden sites are honoured', async () => {
    const m = build({ ...spec, mustOpen: spec.mustOpen.map((_, i) => i === 3), forbidden: spec.forbidden.map((_, i) => i === 0 || i === 5) });
    for (const r of [await solveUfl(m), await solveCfl(m), await solveSscfl(m), await solvePMedian(m, { p: 3 })]) {
      expect(hasSolution(r)).toBe(true);
      const open = Array.from(r.solution!.openSites);
      expect(open).toContain(3);
      expect(open).not.toContain(0);
      expect(open).not.toContain(5);
    }
  });

  it('is registered with the core registry', async () => {
    const m = build(spec);
    const r = await solve<FacilitySolution>(m, { method: 'ufl:local-search' });
    expect(hasSolution(r)).toBe(true);
    const p = await solve<FacilitySolution>(m, { method: 'pmedian', p: 2 });
    expect(p.solution?.openSites.length).toBe(2);
  });
});
