import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from '@emplace/core';
import { CflEvaluator, coverDemand, CutoffTransportation, lagrangianSwapSearchSteps, NeighbourDualBound, type SwapMove } from '../src/capacitated.js';
import type { Incumbent } from '../src/branch-and-bound.js';
import { weightedUpperQuantile } from '../src/weighted-quantile.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem, unitCosts, type FacilityProblem } from '../src/problem.js';
import { checkSolution, toSolution } from '../src/solution.js';
import { Transportation } from '../src/transportation.js';
import { build, specArb, tol } from './helpers.js';

// The Lagrangian-guided swap search of split-demand CFL (issue 17 item 3) and the transportation
// duals it prices moves with.

/** The prepared problem, or null when the preparation already proves the model infeasible. */
const problemOf = (spec: Parameters<typeof build>[0]): FacilityProblem | null => {
  const prep = prepareProblem(build(spec), 'cfl');
  return prep.kind === 'ok' ? prep.problem : null;
};

/** An open set that covers the demand (mustOpen in, forbidden out), or null. */
function coveringSet(pr: FacilityProblem, bits: number): Uint8Array | null {
  const open = new Uint8Array(pr.nSites);
  for (let i = 0; i < pr.nSites; i++) open[i] = pr.mustOpen[i] || (!pr.forbidden[i] && (bits >> i) & 1) ? 1 : 0;
  return coverDemand(pr, open) ? open : null;
}

/** A problem drawn from `spec` and an open set from `bits` that covers its demand (null when either fails). */
function problemWithSet(spec: Parameters<typeof build>[0], bits: number): { pr: FacilityProblem; open: Uint8Array } | null {
  const pr = problemOf(spec);
  if (!pr) return null;
  const open = coveringSet(pr, bits);
  return open ? { pr, open } : null;
}

/** A covering open set of the drawn instance, its exact plan, and the dual bound prepared at it; null when there is none. */
function solvedSet(spec: Parameters<typeof build>[0], bits: number): { pr: FacilityProblem; open: Uint8Array; at: Incumbent; dual: NeighbourDualBound } | null {
  const inst = problemWithSet(spec, bits);
  if (!inst) return null;
  const { pr, open } = inst;
  const evaluator = new CflEvaluator(pr, unitCosts(pr));
  const at = evaluator.evaluate(open);
  if (!at) return null;
  // evaluate() left this set's solve in the transportation: its duals.
  const dual = new NeighbourDualBound(pr, evaluator.transport);
  dual.prepare(open);
  return { pr, open, at, dual };
}

/** A move of up to two drops (open sites) and two adds (closed ones) read off four picks (-1 or out of place: none). */
function moveOf(pr: FacilityProblem, open: Uint8Array, picks: number[]): SwapMove {
  const site = (x: number, want: number): number => (x >= 0 && x < pr.nSites && open[x] === want ? x : -1);
  const [a, b, c, d] = picks as [number, number, number, number];
  const mv = { drop1: site(a, 1), drop2: site(b, 1), add1: site(c, 0), add2: site(d, 0), bound: 0 };
  if (mv.drop2 === mv.drop1) mv.drop2 = -1;
  if (mv.add2 === mv.add1) mv.add2 = -1;
  return mv;
}

/** The exact cost of `open` with the move applied, by a fresh evaluator (Infinity: infeasible). */
function exactAfter(pr: FacilityProblem, open: Uint8Array, mv: SwapMove): number {
  const next = Uint8Array.from(open);
  for (const r of [mv.drop1, mv.drop2]) if (r >= 0) next[r] = 0;
  for (const u of [mv.add1, mv.add2]) if (u >= 0) next[u] = 1;
  return new CflEvaluator(pr, unitCosts(pr)).evaluate(next)?.value ?? Infinity;
}

describe('Transportation.clientMultipliers', () => {
  it('at the duals of a solved open set, the relaxation with y fixed to that set equals its exact cost', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: true }), fc.integer({ min: 0, max: 127 }), (spec, bits) => {
        const inst = problemWithSet(spec, bits);
        if (!inst) return;
        const { pr, open } = inst;
        const t = new Transportation(pr, unitCosts(pr));
        const res = t.solve(open);
        if (!res) return;
        let exact = res.cost;
        for (let i = 0; i < pr.nSites; i++) if (open[i]) exact += pr.f[i]!;
        const v = new Float64Array(pr.nClients);
        t.clientMultipliers(v);
        const fixed = new Int8Array(pr.nSites);
        for (let i = 0; i < pr.nSites; i++) fixed[i] = open[i] ? 1 : 0;
        const L = new LagrangianRelaxation(pr).evaluate(v, fixed);
        // Every multiplier vector gives a lower bound; the transportation's duals give the exact cost.
        expect(L).toBeLessThanOrEqual(exact + tol(exact));
        expect(L).toBeGreaterThanOrEqual(exact - tol(exact));
      }),
      { numRuns: 200 },
    );
  });
});

describe('NeighbourDualBound', () => {
  it('bounds from below the exact cost of every set two drops and two adds away, and is exact at the solved set', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: false }), fc.integer({ min: 0, max: 127 }), fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 4, maxLength: 4 }), (spec, bits, picks) => {
        const solved = solvedSet(spec, bits);
        if (!solved) return;
        const { pr, open, at, dual } = solved;
        expect(dual.bound({ drop1: -1, drop2: -1, add1: -1, add2: -1, bound: 0 })).toBeCloseTo(at.value, 6);
        const mv = moveOf(pr, open, picks);
        const exact = exactAfter(pr, open, mv);
        expect(dual.bound(mv)).toBeLessThanOrEqual(exact + tol(exact));
      }),
      { numRuns: 800 },
    );
  });
  it('quick: a lower bound on the exact cost of the moved set (with or without a limit), equal to bound for drops', () => {
    fc.assert(
      fc.property(
        specArb(7, 10, { allowed: true, flags: false }),
        fc.integer({ min: 0, max: 127 }),
        fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: 0.9, max: 1.1, noNaN: true }),
        (spec, bits, picks, limitScale) => {
          const solved = solvedSet(spec, bits);
          if (!solved) return;
          const { pr, open, at, dual } = solved;
          expect(dual.quick({ drop1: -1, drop2: -1, add1: -1, add2: -1, bound: 0 })).toBeCloseTo(at.value, 6);
          const mv = moveOf(pr, open, picks);
          if (mv.add1 < 0) mv.add2 = -1;
          const exact = exactAfter(pr, open, mv);
          const q = dual.quick(mv);
          expect(q).toBeLessThanOrEqual(exact + tol(exact));
          const full = dual.bound(mv);
          if (mv.add1 < 0) {
            if (full === Infinity) expect(q).toBe(Infinity);
            else expect(q).toBeCloseTo(full, 6);
          }
          // With a limit (the pair's O(1) screen may answer early): still a valid bound.
          const limit = at.value * limitScale;
          expect(dual.quick(mv, limit)).toBeLessThanOrEqual(exact + tol(exact));
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe('CutoffTransportation.solveBelowSteps', () => {
  it('either solves the set exactly or stops with a lower bound on its cost at or above the threshold', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: false }), fc.integer({ min: 0, max: 127 }), fc.double({ min: 0, max: 1.2, noNaN: true }), (spec, bits, scale) => {
        const inst = problemWithSet(spec, bits);
        if (!inst) return;
        const { pr, open } = inst;
        const exact = new Transportation(pr, unitCosts(pr)).solve(open);
        const cut = new CutoffTransportation(pr, unitCosts(pr));
        const threshold = (exact ? exact.cost : 10) * scale;
        const r = runSteps(cut.solveBelowSteps(open, threshold));
        if (!exact) {
          // Infeasible (allowed pairs): null, or a stop at the threshold before the dead end is met.
          if (r !== null) expect(r).toBeGreaterThanOrEqual(threshold);
          return;
        }
        if (typeof r === 'number') {
          expect(r).toBeGreaterThanOrEqual(threshold);
          expect(r).toBeLessThanOrEqual(exact.cost + tol(exact.cost));
        } else {
          expect(r).not.toBeNull();
          expect(r!.cost).toBeCloseTo(exact.cost, 6);
        }
        // Below the threshold it never stops early.
        if (exact.cost < threshold - tol(threshold)) expect(typeof r).not.toBe('number');
      }),
      { numRuns: 500 },
    );
  });

  it('the swap search with early-exit evaluations ends at the same plan as with full ones', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: true }), fc.integer({ min: 0, max: 127 }), (spec, bits) => {
        const inst = problemWithSet(spec, bits);
        if (!inst) return;
        const { pr, open } = inst;
        const lr = new LagrangianRelaxation(pr);
        const v = lr.initialMultipliers();
        if (lr.evaluate(v, new Int8Array(pr.nSites).fill(-1)) === Infinity) return;
        let sumV = 0;
        for (const x of v) sumV += x;
        const rho = Float64Array.from(lr.rho);
        const withCut = new CflEvaluator(pr, unitCosts(pr));
        const start = withCut.evaluate(open);
        if (!start) return;
        const a = runSteps(lagrangianSwapSearchSteps(pr, withCut, start, rho, sumV, undefined, () => false));
        // The same search over an evaluator whose transportation never stops early.
        const full = new CflEvaluator(pr, unitCosts(pr));
        (full.transport as { solveBelowSteps: unknown }).solveBelowSteps = function (this: CutoffTransportation, o: Uint8Array) {
          return this.solveSteps(o);
        };
        const b = runSteps(lagrangianSwapSearchSteps(pr, full, full.evaluate(open)!, rho, sumV, undefined, () => false));
        expect(Array.from(a.solution.open)).toEqual(Array.from(b.solution.open));
        expect(a.value).toBeCloseTo(b.value, 6);
      }),
      { numRuns: 200 },
    );
  });
});

describe('weightedUpperQuantile', () => {
  it('is the value at which the weights, by decreasing value, first reach the need (the sorted scan it replaces)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ v: fc.oneof(fc.integer({ min: 1, max: 6 }).map((x) => x / 2), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.constant(Infinity)), w: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (items, frac) => {
          const total = items.reduce((s, x) => s + x.w, 0);
          const need = Math.max(1e-9, frac * total);
          const sorted = [...items].sort((x, y) => y.v - x.v);
          let load = 0;
          let want = 0;
          for (const x of sorted) {
            load += x.w;
            if (load >= need) {
              want = x.v;
              break;
            }
          }
          const vals = Float64Array.from(items.map((x) => x.v));
          const wts = Float64Array.from(items.map((x) => x.w));
          expect(weightedUpperQuantile(vals, wts, items.length, need)).toBe(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('lagrangianSwapSearchSteps', () => {
  it('never worsens the start, returns an exactly evaluated feasible plan, and no single drop / add / swap improves it', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: true, flags: true }), fc.integer({ min: 0, max: 127 }), (spec, bits) => {
        const model = build(spec);
        const inst = problemWithSet(spec, bits);
        if (!inst) return;
        const { pr, open } = inst;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const start = evaluator.evaluate(open);
        if (!start) return;
        // Any multipliers give valid screening bounds: the relaxation's own start.
        const lr = new LagrangianRelaxation(pr);
        const v = lr.initialMultipliers();
        if (lr.evaluate(v, new Int8Array(pr.nSites).fill(-1)) === Infinity) return;
        let sumV = 0;
        for (const x of v) sumV += x;
        const out = runSteps(lagrangianSwapSearchSteps(pr, evaluator, start, Float64Array.from(lr.rho), sumV, undefined, () => false));
        expect(out.value).toBeLessThanOrEqual(start.value + tol(start.value));
        expect(checkSolution(model, 'cfl', toSolution(model, pr, out.solution).solution).violations).toEqual([]);
        const fresh = new CflEvaluator(pr, unitCosts(pr));
        const again = fresh.evaluate(out.solution.open);
        expect(again).not.toBeNull();
        expect(again!.value).toBeCloseTo(out.value, 6);
        // Brute force over the single moves among the movable sites: none is better.
        const o = Uint8Array.from(out.solution.open);
        const movable = (i: number): boolean => !pr.mustOpen[i] && !pr.forbidden[i];
        const tryValue = (): number => fresh.evaluate(o)?.value ?? Infinity;
        for (let r = -1; r < pr.nSites; r++) {
          if (r >= 0 && (!o[r] || !movable(r))) continue;
          if (r >= 0) o[r] = 0;
          for (let u = -1; u < pr.nSites; u++) {
            if (u >= 0 && (o[u] || !movable(u) || u === r)) continue;
            if (r < 0 && u < 0) continue;
            if (u >= 0) o[u] = 1;
            expect(tryValue()).toBeGreaterThanOrEqual(out.value - tol(out.value));
            if (u >= 0) o[u] = 0;
          }
          if (r >= 0) o[r] = 1;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a stop at any checkpoint returns a feasible plan no worse than the start (abort keeps the incumbent)', () => {
    fc.assert(
      fc.property(specArb(7, 10, { allowed: false, flags: false }), fc.integer({ min: 0, max: 127 }), fc.integer({ min: 0, max: 40 }), (spec, bits, stopAfter) => {
        const model = build(spec);
        const inst = problemWithSet(spec, bits);
        if (!inst) return;
        const { pr, open } = inst;
        const evaluator = new CflEvaluator(pr, unitCosts(pr));
        const start = evaluator.evaluate(open);
        if (!start) return;
        const lr = new LagrangianRelaxation(pr);
        const v = lr.initialMultipliers();
        if (lr.evaluate(v, new Int8Array(pr.nSites).fill(-1)) === Infinity) return;
        let sumV = 0;
        for (const x of v) sumV += x;
        let polls = 0;
        const out = runSteps(lagrangianSwapSearchSteps(pr, evaluator, start, Float64Array.from(lr.rho), sumV, undefined, () => ++polls > stopAfter));
        expect(out.value).toBeLessThanOrEqual(start.value + tol(start.value));
        expect(checkSolution(model, 'cfl', toSolution(model, pr, out.solution).solution).violations).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
