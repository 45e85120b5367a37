import { createPlacementModel, euclideanMatrix, hasSolution, ModelError, shortestPathClosure, solve, type PlacementModel, type Result } from '@emplace/core';
import { lscpExact, lscpGreedy, mclpExact, mclpGreedy, pDispersionExact, pDispersionGreedy, type CoverageSolution } from '@emplace/kcenter';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Coverage models against brute force on small random instances. Every check recomputes
 * coverage from the model's cost with its own loops (not the package's evaluator).
 */
interface Case {
  model: PlacementModel;
  radius: number;
  k: number;
}

const caseArb = (opts: { square?: boolean; capacities?: boolean } = {}): fc.Arbitrary<Case> =>
  fc
    .record({
      nC: fc.integer({ min: 1, max: opts.capacities ? 6 : 9 }),
      nS: fc.integer({ min: 2, max: opts.capacities ? 5 : 7 }),
      pts: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 40, maxLength: 40 }),
      demand: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 10, maxLength: 10 }),
      cap: fc.array(fc.integer({ min: 2, max: 12 }), { minLength: 8, maxLength: 8 }),
      must: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      forbidden: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      rIdx: fc.nat(),
      k: fc.integer({ min: 2, max: 4 }),
    })
    .map(({ nC, nS, pts, demand, cap, must, forbidden, rIdx, k }) => {
      const nClients = opts.square ? nS : nC;
      const clientPts = pts.slice(0, 2 * nClients);
      const sitePts = opts.square ? clientPts : pts.slice(20, 20 + 2 * nS);
      const cost = euclideanMatrix(Float64Array.from(sitePts), Float64Array.from(clientPts), 2);
      // Radius = one of the distances, so that ties at the radius are exercised.
      const radius = cost[rIdx % cost.length]!;
      // About one site in six pre-opened and one in six forbidden (never both).
      const sites = Array.from({ length: nS }, (_, s) => {
        const m = must[s]! && s % 3 === 0;
        const f = !m && forbidden[s]! && s % 3 === 1;
        return { id: `s${s}`, mustOpen: m, forbidden: f, ...(opts.capacities ? { capacity: cap[s]! } : {}) };
      });
      const clients = Array.from({ length: nClients }, (_, j) => ({ id: opts.square ? `s${j}` : `c${j}`, demand: demand[j]! }));
      return { model: createPlacementModel({ sites, clients, cost }), radius, k: Math.min(k, nS) };
    });

const coversPair = (m: PlacementModel, s: number, j: number, r: number): boolean => m.forbidden[s] !== 1 && m.cost[s * m.nClients + j]! <= r;

function* allSubsets(m: PlacementModel): Generator<number[]> {
  for (let mask = 0; mask < 1 << m.nSites; mask++) {
    const set: number[] = [];
    let ok = true;
    for (let s = 0; s < m.nSites; s++) {
      const inSet = (mask >> s) & 1;
      if (inSet && m.forbidden[s]) ok = false;
      if (!inSet && m.mustOpen[s]) ok = false;
      if (inSet) set.push(s);
    }
    if (ok) yield set;
  }
}

/** Demand covered by a set (each client counted once). */
function coveredDemand(m: PlacementModel, set: readonly number[], r: number): number {
  let v = 0;
  for (let j = 0; j < m.nClients; j++) if (set.some((s) => coversPair(m, s, j, r))) v += m.demand[j]!;
  return v;
}

function coversAll(m: PlacementModel, set: readonly number[], r: number): boolean {
  for (let j = 0; j < m.nClients; j++) if (!set.some((s) => coversPair(m, s, j, r))) return false;
  return true;
}

/** Single-source capacity feasibility by enumeration of assignments. */
function assignable(m: PlacementModel, set: readonly number[], r: number): boolean {
  const left = set.map((s) => m.capacity[s]!);
  const rec = (j: number): boolean => {
    if (j === m.nClients) return true;
    for (let a = 0; a < set.length; a++) {
      if (!coversPair(m, set[a]!, j, r) || left[a]! < m.demand[j]!) continue;
      left[a]! -= m.demand[j]!;
      if (rec(j + 1)) return true;
      left[a]! += m.demand[j]!;
    }
    return false;
  };
  return rec(0);
}

function solved<S>(r: Result<S>): Extract<Result<S>, { status: 'optimal' | 'feasible' }> {
  if (!hasSolution(r)) throw new Error(`no solution: ${r.status} ${JSON.stringify(r.certificate ?? r.warnings)}`);
  return r;
}

/** Both answers have a solution, the exact one proven at `opt`; both keep every pre-opened site. Returns their open sets. */
function exactAndGreedy<S extends { open: Int32Array }>(model: PlacementModel, ex: Result<S>, gr: Result<S>, opt: number) {
  const e = solved(ex);
  const g = solved(gr);
  expect(e.status).toBe('optimal');
  expect(e.objective).toBeCloseTo(opt, 9);
  const pairs = [e, g].map((r) => ({ r, open: Array.from(r.solution.open) }));
  for (const { open } of pairs) for (let s = 0; s < model.nSites; s++) if (model.mustOpen[s]) expect(open).toContain(s);
  return { e, g, pairs };
}

describe('LSCP', () => {
  it('exact equals brute force, greedy is feasible with a valid bound, infeasible only when nothing covers', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), async ({ model, radius }) => {
        let opt = Infinity;
        for (const set of allSubsets(model)) if (coversAll(model, set, radius)) opt = Math.min(opt, set.length);
        const ex = await lscpExact(model, { radius });
        const gr = lscpGreedy(model, { radius });
        if (opt === Infinity) {
          expect(ex.status).toBe('infeasible');
          expect(gr.status).toBe('infeasible');
          expect(ex.status === 'infeasible' ? ex.certificate?.fields?.[0] : undefined).toMatch(/^clients\[\d+\]$/);
          return;
        }
        const e = solved(ex);
        expect(e.status).toBe('optimal');
        expect(e.objective).toBe(opt);
        const g = solved(gr);
        for (const r of [e, g]) {
          const open = Array.from(r.solution.open);
          expect(coversAll(model, open, radius)).toBe(true);
          expect(r.objective).toBe(open.length);
          for (let s = 0; s < model.nSites; s++) if (model.mustOpen[s]) expect(open).toContain(s);
          for (const s of open) expect(model.forbidden[s]).toBe(0);
          // The reported assignment covers each client from an open site within the radius.
          for (let j = 0; j < model.nClients; j++) expect(coversPair(model, r.solution.assignment[j]!, j, radius)).toBe(true);
        }
        expect(g.objective).toBeGreaterThanOrEqual(opt);
        expect(g.bound!).toBeLessThanOrEqual(opt);
        if (g.guarantee.kind === 'approximation') expect(g.objective).toBeLessThanOrEqual(g.guarantee.ratio * opt + 1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('with capacities: exact equals brute force over sites and single-source assignments', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ capacities: true }), async ({ model, radius }) => {
        let opt = Infinity;
        for (const set of allSubsets(model)) if (set.length < opt && assignable(model, set, radius)) opt = set.length;
        const ex = await lscpExact(model, { radius });
        if (opt === Infinity) {
          expect(ex.status).toBe('infeasible');
          return;
        }
        const e = solved(ex);
        expect(e.status).toBe('optimal');
        expect(e.objective).toBe(opt);
        const used = new Float64Array(model.nSites);
        for (let j = 0; j < model.nClients; j++) {
          const s = e.solution.assignment[j]!;
          expect(coversPair(model, s, j, radius)).toBe(true);
          used[s]! += model.demand[j]!;
        }
        for (let s = 0; s < model.nSites; s++) expect(used[s]!).toBeLessThanOrEqual(model.capacity[s]! + 1e-9);
        const gr = lscpGreedy(model, { radius });
        if (hasSolution(gr)) {
          expect(gr.objective).toBeGreaterThanOrEqual(opt);
          expect(assignable(model, Array.from(gr.solution.open), radius)).toBe(true);
        } else expect(gr.status).toBe('no-solution');
      }),
      { numRuns: 40 },
    );
  });
});

describe('MCLP', () => {
  it('exact equals brute force; greedy keeps 1 - 1/e of it and bounds it from above', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb(), async ({ model, radius, k }) => {
        let opt = -Infinity;
        let nMust = 0;
        for (let s = 0; s < model.nSites; s++) nMust += model.mustOpen[s]!;
        for (const set of allSubsets(model)) if (set.length <= k) opt = Math.max(opt, coveredDemand(model, set, radius));
        const ex = await mclpExact(model, { radius, k });
        const gr = mclpGreedy(model, { radius, k });
        if (nMust > k) {
          expect(ex.status).toBe('infeasible');
          return;
        }
        const { g, pairs } = exactAndGreedy(model, ex, gr, opt);
        for (const { r, open } of pairs) {
          expect(open.length).toBeLessThanOrEqual(k);
          expect(r.objective).toBeCloseTo(coveredDemand(model, open, radius), 9);
        }
        expect(g.objective).toBeLessThanOrEqual(opt + 1e-9);
        expect(g.objective).toBeGreaterThanOrEqual((1 - 1 / Math.E) * opt - 1e-9);
        expect(g.bound!).toBeGreaterThanOrEqual(opt - 1e-9);
      }),
      { numRuns: 50 },
    );
  });
});

describe('p-dispersion', () => {
  it('exact equals brute force; greedy is within 2 on Euclidean data with a valid upper bound', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ square: true }), async ({ model, k }) => {
        const n = model.nSites;
        let opt = -Infinity;
        let nMust = 0;
        let nOpenable = 0;
        for (let s = 0; s < n; s++) { nMust += model.mustOpen[s]!; nOpenable += model.forbidden[s] ? 0 : 1; }
        const disp = (set: readonly number[]): number => {
          let v = Infinity;
          for (let a = 0; a < set.length; a++) for (let b = a + 1; b < set.length; b++) v = Math.min(v, model.cost[set[a]! * n + set[b]!]!);
          return v;
        };
        for (const set of allSubsets(model)) if (set.length === k) opt = Math.max(opt, disp(set));
        const ex = await pDispersionExact(model, { k });
        const gr = pDispersionGreedy(model, { k });
        if (nMust > k || nOpenable < k) {
          expect(ex.status).toBe('infeasible');
          expect(gr.status).toBe('infeasible');
          return;
        }
        const { g, pairs } = exactAndGreedy(model, ex, gr, opt);
        for (const { r, open } of pairs) {
          expect(new Set(open).size).toBe(k);
          expect(r.objective).toBeCloseTo(disp(open), 9);
          for (const s of open) expect(model.forbidden[s]).toBe(0);
        }
        expect(g.objective).toBeLessThanOrEqual(opt + 1e-9);
        expect(g.objective).toBeGreaterThanOrEqual(opt / 2 - 1e-9);
        if (g.bound !== undefined) expect(g.bound).toBeGreaterThanOrEqual(opt - 1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('asks for site distances when sites are not clients', () => {
    const model = createPlacementModel({ sites: 3, clients: 2, cost: [[1, 2], [3, 4], [5, 6]] });
    expect(() => pDispersionGreedy(model, { k: 2 })).toThrow(/options\.siteDistance/);
    const r = solved(pDispersionGreedy(model, { k: 2, siteDistance: [0, 1, 5, 1, 0, 2, 5, 2, 0] }));
    expect(r.objective).toBe(5);
  });
});

describe('determinism and inputs', () => {
  it('give the same answer twice and leave the model untouched', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ square: true }), async ({ model, radius, k }) => {
        const cost = Float64Array.from(model.cost);
        const must = Uint8Array.from(model.mustOpen);
        const results: Result<{ open: Int32Array }>[] = [];
        const runs = async () => {
          results.length = 0;
          results.push(lscpGreedy(model, { radius }), mclpGreedy(model, { radius, k }), pDispersionGreedy(model, { k }), await mclpExact(model, { radius, k }));
          return results.map((r) => (hasSolution(r) ? Array.from(r.solution.open) : r.status));
        };
        expect(await runs()).toEqual(await runs());
        expect(Array.from(model.cost)).toEqual(Array.from(cost));
        expect(Array.from(model.mustOpen)).toEqual(Array.from(must));
      }),
      { numRuns: 15 },
    );
  });
});

describe('bad input and ignored features', () => {
  const model = createPlacementModel({ sites: 2, clients: 2, cost: [[0, 3], [3, 0]], affinity: [[0, 1]] });
  it('name the missing or bad field', async () => {
    expect(() => lscpGreedy(model, {})).toThrow(ModelError);
    expect(() => lscpGreedy(model, {})).toThrow(/options\.radius/);
    expect(() => lscpGreedy(model, { radius: -1 })).toThrow(/options\.radius/);
    expect(() => mclpGreedy(model, { radius: 1 })).toThrow(/options\.k/);
    await expect(mclpExact(model, { radius: 1, k: 1.5 })).rejects.toThrow(/options\.k/);
    expect(() => pDispersionGreedy(model, { k: 1 })).toThrow(/options\.k/);
  });
  it('warn about affinity groups and capacities they ignore', () => {
    const r = mclpGreedy(model, { radius: 1, k: 1 });
    expect(r.warnings?.join(' ')).toMatch(/affinity/);
    const capped = createPlacementModel({ sites: [{ capacity: 1 }, {}], clients: 2, cost: [[0, 3], [3, 0]] });
    expect(mclpGreedy(capped, { radius: 1, k: 1 }).warnings?.join(' ')).toMatch(/capacit/);
  });
  it('are reachable through the registry', async () => {
    const r = (await solve(model, { method: 'mclp', radius: 3, k: 1 })) as Result<CoverageSolution>;
    expect(solved(r).objective).toBe(2);
  });
});

describe('limits on pmed1', () => {
  const file = resolve(process.env.EMPLACE_INSTANCES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/instances'), 'pmed/pmed1.txt');
  it.skipIf(!existsSync(file))('an aborted exact solve returns the heuristic incumbent, stoppedBy aborted, with a valid bound', async () => {
    const model = pmedModel(readFileSync(file, 'utf8'));
    const ac = new AbortController();
    ac.abort();
    // MCLP at R = 102 with k = 5: the greedy covers 89, the optimum is 91 (the MIP is needed).
    const r = await mclpExact(model, { radius: 102, k: 5, signal: ac.signal });
    const s = solved(r);
    expect(s.stoppedBy).toBe('aborted');
    expect(s.status).toBe('feasible');
    expect(s.objective).toBeLessThanOrEqual(91);
    expect(s.bound!).toBeGreaterThanOrEqual(91);
    const d = await pDispersionExact(model, { k: 5, signal: ac.signal });
    expect(solved(d).stoppedBy).toBe('aborted');
    expect(d.bound!).toBeGreaterThanOrEqual(228);
  });
});

/** OR-Library pmed text to a model (the last duplicate edge wins, then shortest paths), independent of @emplace/io. */
function pmedModel(text: string): PlacementModel {
  const t = text.trim().split(/\s+/).map(Number);
  const n = t[0]!;
  const d = new Float64Array(n * n).fill(Infinity);
  for (let e = 0; e < t[1]!; e++) {
    const i = t[3 + 3 * e]! - 1;
    const j = t[4 + 3 * e]! - 1;
    d[i * n + j] = d[j * n + i] = t[5 + 3 * e]!;
  }
  return createPlacementModel({ sites: n, clients: n, cost: shortestPathClosure(d, n) });
}
