import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, type PlacementModel } from '@emplace/core';
import { LinearModel, solveLp } from '@emplace/lp';
import { mclpExact, mclpGreedy, mclpGreedyAsync } from '../src/mclp.js';
import { abortAtRead, euclideanModel } from '../../core/test/support/steps.js';

/**
 * Issue 13: mclp:auto held the event loop 30-70 ms on 500 x 500 before its first checkpoint:
 * the covering relation (two scans of the cost matrix), the reductions (client merging and
 * the site dominance test) and the MIP build ran at once. They are now steps; the async
 * entry points stop between them (the first k allowed sites while the relation is built,
 * the greedy incumbent after it). Stops land at counted checkpoints (abortAtRead), never on a timer.
 */

/** Demand covered by `open`, computed here from the model (a client is covered by an allowed site within the radius). */
function covered(model: PlacementModel, open: ArrayLike<number>, radius: number): number {
  const { nClients: C, cost, allowed } = model;
  const nDims = model.dimensions.length;
  let total = 0;
  for (let j = 0; j < C; j++) {
    for (let t = 0; t < open.length; t++) {
      const i = open[t]!;
      if (cost[i * C + j]! <= radius && (allowed === undefined || allowed[i * C + j] === 1)) {
        total += model.demand[j * nDims]!;
        break;
      }
    }
  }
  return total;
}

/** The MCLP optimum from the unreduced MIP (max sum z_j, z_j <= sum of the covering y_i, sum y <= k), solved here. */
async function unreducedOptimum(model: PlacementModel, radius: number, k: number): Promise<number> {
  const { nSites: S, nClients: C, cost } = model;
  const lp = new LinearModel('max');
  const y0 = lp.addVariables(S, { type: 'binary' });
  const z0 = lp.addVariables(C, { lb: 0, ub: 1 });
  for (let j = 0; j < C; j++) {
    lp.setObjective(z0 + j, model.demand[j * model.dimensions.length]!);
    const idx = [z0 + j];
    const coef = [1];
    for (let i = 0; i < S; i++) if (cost[i * C + j]! <= radius) { idx.push(y0 + i); coef.push(-1); }
    lp.addLe(idx, coef, 0);
  }
  lp.addLe(Int32Array.from({ length: S }, (_, i) => y0 + i), new Float64Array(S).fill(1), k);
  const res = await solveLp(lp, { backend: 'highs', mipRelGap: 1e-9 });
  if (res.status !== 'optimal' || res.objective === undefined) throw new Error(`reference MIP: ${res.status}`);
  return res.objective;
}

describe('mclp in steps (issue 13)', () => {
  it('without a stop: exact equals the unreduced MIP optimum, and the yielding greedy equals the synchronous one (random instances big enough to pause)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 260, max: 330 }), fc.integer({ min: 60, max: 220 }), fc.integer({ min: 2, max: 8 }), async (seed, n, radius, k) => {
        const model = euclideanModel(n, seed);
        const ex = await mclpExact(model, { radius, k });
        if (!hasSolution(ex)) throw new Error(`exact: ${ex.status}`);
        expect(ex.status).toBe('optimal');
        expect(ex.objective).toBeCloseTo(await unreducedOptimum(model, radius, k), 6);
        expect(ex.objective).toBe(covered(model, ex.solution.open, radius));
        const sync = mclpGreedy(model, { radius, k });
        const stepped = await mclpGreedyAsync(model, { radius, k });
        if (!hasSolution(sync) || !hasSolution(stepped)) throw new Error('greedy: no solution');
        expect(Array.from(stepped.solution.open)).toEqual(Array.from(sync.solution.open));
        expect(stepped.objective).toBe(sync.objective);
        expect(stepped.bound).toBe(sync.bound);
        expect(sync.bound!).toBeGreaterThanOrEqual(ex.objective - 1e-9);
      }),
      { numRuns: 3 },
    );
  });

  it('a stop at any checkpoint gives up with a plan: the first k allowed sites while the covering relation is built, the greedy / local-search / MIP incumbent afterwards; always k sites with their true coverage and a valid bound', async () => {
    const model = euclideanModel(400, 23);
    const radius = 150;
    const k = 10;
    const count = abortAtRead(Infinity);
    const full = await mclpExact(model, { radius, k, signal: count.signal });
    if (!hasSolution(full)) throw new Error('no solution without a stop');
    const reads = count.reads();
    expect(reads).toBeGreaterThan(10);
    let solvedSince = Infinity;
    let firstSites = 0;
    for (let at = 1; at <= reads + 1; at++) {
      const r = await mclpExact(model, { radius, k, signal: abortAtRead(at).signal });
      // A stop during setup answers with the first k allowed sites (not optimized): a plan at every checkpoint.
      if (!hasSolution(r)) throw new Error(`no plan after a stop at checkpoint ${at}: ${r.status}`);
      if (r.warnings?.some((w) => w.includes('before the covering relation'))) firstSites++;
      else solvedSince = Math.min(solvedSince, at);
      expect(r.solution.open.length).toBe(k);
      expect(r.objective).toBe(covered(model, r.solution.open, radius));
      expect(r.objective).toBeLessThanOrEqual(full.objective);
      expect(r.bound!).toBeGreaterThanOrEqual(full.objective - 1e-9);
      if (r.stoppedBy !== 'aborted') expect(r.objective).toBe(full.objective);
    }
    expect(solvedSince).toBeLessThan(reads);
    // The first checkpoints are in the setup, and then the answer is the first sites.
    expect(firstSites).toBeGreaterThan(0);
    expect(firstSites).toBe(solvedSince - 1);
  });

  it('the yielding greedy stopped at any checkpoint returns a plan of k sites with its true coverage', async () => {
    const model = euclideanModel(300, 5);
    const radius = 120;
    const k = 6;
    const count = abortAtRead(Infinity);
    await mclpGreedyAsync(model, { radius, k, signal: count.signal });
    for (let at = 1; at <= count.reads() + 1; at++) {
      const r = await mclpGreedyAsync(model, { radius, k, signal: abortAtRead(at).signal });
      if (!hasSolution(r)) throw new Error(`no plan after a stop at checkpoint ${at}: ${r.status}`);
      expect(r.solution.open.length).toBe(k);
      expect(r.objective).toBe(covered(model, r.solution.open, radius));
    }
  });

  it('the first-sites plan of a stop during setup: pre-opened sites first, forbidden ones skipped, infeasible when more are pre-opened than k', async () => {
    const base = euclideanModel(300, 31);
    const n = base.nSites;
    const sites = Array.from({ length: n }, (_, i) => ({ mustOpen: i === 7 || i === 250, forbidden: i === 0 || i === 2 }));
    const model = createPlacementModel({ sites, clients: n, cost: base.cost });
    const r = await mclpExact(model, { radius: 100, k: 5, signal: abortAtRead(1).signal });
    if (!hasSolution(r)) throw new Error(`no plan: ${r.status}`);
    expect(r.warnings?.join(' ')).toMatch(/before the covering relation/);
    expect(Array.from(r.solution.open).sort((a, b) => a - b)).toEqual([1, 3, 4, 7, 250]);
    expect(r.objective).toBe(covered(model, r.solution.open, 100));
    expect(r.status).toBe('feasible');
    expect(r.stoppedBy).toBe('aborted');
    const over = await mclpExact(model, { radius: 100, k: 1, signal: abortAtRead(1).signal });
    expect(over.status).toBe('infeasible');
  });
});
