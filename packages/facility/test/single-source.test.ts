import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hasSolution } from '@emplace/core';
import { checkSolution, solveSscfl } from '@emplace/facility';
import { build, bruteSingleSource, expectValid, specArb, tol } from './helpers.js';
import { cornuejols } from './sscfl-instances.js';
import { SolveRun } from '@emplace/core';
import { prepareProblem } from '../src/problem.js';
import { primalShare, singleSourceSearch } from '../src/single-source.js';
import { regretAssign } from '../src/sscfl-assign.js';

describe('single-source Lagrangian branch-and-bound', () => {
  it('proves the MIP optimum on random Cornuejols-style instances; plan feasible; bound below', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 8, max: 16 }), fc.integer({ min: 0, max: 2 }), fc.nat(), async (S, C, r, seed) => {
        const m = cornuejols(S, C, 2 + r, seed);
        const mip = await solveSscfl(m, { method: 'mip' });
        for (const method of ['branch-and-bound', 'auto'] as const) {
          const res = await solveSscfl(m, { method });
          expect(res.status, method).toBe(mip.status);
          if (!hasSolution(res) || !hasSolution(mip)) continue;
          const check = checkSolution(m, 'sscfl', res.solution);
          expect(check.violations).toEqual([]);
          expect(res.objective).toBeCloseTo(check.objective, 6);
          expect(res.objective).toBeCloseTo(mip.objective, 6);
        }
        const lag = await solveSscfl(m, { method: 'lagrangian' });
        if (hasSolution(mip) && lag.bound !== undefined) expect(lag.bound).toBeLessThanOrEqual(mip.objective + 1e-6);
      }),
      { numRuns: 15 },
    );
  });

  it('is deterministic for a seed and stops at an abort with the incumbent it has', async () => {
    const m = cornuejols(20, 60, 3, 7);
    const a = await solveSscfl(m, { method: 'branch-and-bound', seed: 3, timeLimitMs: 60_000 });
    const b = await solveSscfl(m, { method: 'branch-and-bound', seed: 3, timeLimitMs: 60_000 });
    expect(b.objective).toBe(a.objective);
    expect(b.stats['nodes']).toBe(a.stats['nodes']);
    const ctrl = new AbortController();
    // Aborted from its own first incumbent report, not a timer (same meaning on a loaded machine).
    const r = await solveSscfl(cornuejols(40, 120, 3, 8), { method: 'auto', signal: ctrl.signal, onIncumbent: () => ctrl.abort() });
    expect(r.stoppedBy).toBe('aborted');
    if (hasSolution(r)) expect(checkSolution(cornuejols(40, 120, 3, 8), 'sscfl', r.solution).violations).toEqual([]);
  });
});

/**
 * Runs `solve` while another promise chain busy-loops `blockMs` between event-loop turns: the
 * solver gets a fraction of the wall time, as on a loaded machine (deterministic, unlike a CPU hog).
 */
async function underLoad<T>(blockMs: number, solve: () => Promise<T>): Promise<T> {
  let done = false;
  const hog = (async () => {
    while (!done) {
      const t = Date.now();
      while (Date.now() - t < blockMs) {
        // busy: the solver's ticks wait for this
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  })();
  try {
    return await solve();
  } finally {
    done = true;
    await hog;
  }
}

describe('single-source search bound by work, not time', () => {
  it('replays a seed exactly (plan, nodes, iterations, bound) however slowly it runs', async () => {
    // 20 x 60 takes 1-3 s: the primal steps (ILS kicks, regions) start and share the search;
    // they were scheduled in milliseconds, and this seed counted 11 vs 17 nodes at load 60.
    const m = cornuejols(20, 60, 3, 7);
    const opts = { method: 'branch-and-bound', seed: 3, timeLimitMs: 300_000 } as const;
    const fast = await solveSscfl(m, opts);
    const slow = await underLoad(20, () => solveSscfl(m, opts));
    expect(slow.stoppedBy).toBe(fast.stoppedBy);
    expect(fast.stoppedBy).not.toBe('timeLimit');
    expect(slow.status).toBe(fast.status);
    expect(slow.objective).toBe(fast.objective);
    expect(slow.bound).toBe(fast.bound);
    const { elapsedMs: _a, ...fastStats } = fast.stats;
    const { elapsedMs: _b, ...slowStats } = slow.stats;
    expect(slowStats).toEqual(fastStats);
    if (hasSolution(fast) && hasSolution(slow)) expect(slow.solution).toEqual(fast.solution);
  });

  it('interleaves ILS kicks and regions with the nodes identically under load (node budget)', async () => {
    const m = cornuejols(25, 80, 3, 11);
    const prep = prepareProblem(m, 'sscfl');
    if (prep.kind !== 'ok') throw new Error('instance rejected');
    const start = regretAssign(prep.problem, new Uint8Array(25).fill(1));
    // Primal steps from the first node on, so that most of the run is their balance against the nodes.
    const search = () =>
      singleSourceSearch(prep.problem, new SolveRun({ seed: 5 }, 'test'), start, { rootIterations: 300, nodeIterations: 30, branch: true, granule: 1, phase: 'test', maxNodes: 40, primalAfterWork: 0 });
    const fast = await search();
    const slow = await underLoad(10, search);
    // Ends by itself (proof or the node budget), after some branching with kicks and regions between the nodes.
    expect(fast.nodes).toBeGreaterThan(5);
    expect(slow.nodes).toBe(fast.nodes);
    expect(slow.iterations).toBe(fast.iterations);
    expect(slow.work).toBe(fast.work);
    expect(slow.bound).toBe(fast.bound);
    expect(slow.incumbent?.value).toBe(fast.incumbent?.value);
    expect(slow.incumbent?.solution.assign).toEqual(fast.incumbent?.solution.assign);
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

describe('single-source primal share', () => {
  it('grows with the proven gap on small instances only, and stays a share', () => {
    // Large instances: half the work, whatever the gap.
    expect(primalShare(100 * 400, 1000, 0)).toBe(primalShare(100 * 400, 1000, 1000));
    // Small: a gap of a few units leaves the work to the nodes, a wide one gives the primal steps more.
    expect(primalShare(50 * 100, 18_900, 18_898)).toBeLessThan(primalShare(50 * 100, 18_900, 18_600));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 1, max: 1e7, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (cells, ub, a, b) => {
        const [near, far] = [ub * (1 - Math.min(a, b)), ub * (1 - Math.max(a, b))];
        const s1 = primalShare(cells, ub, near);
        const s2 = primalShare(cells, ub, far);
        expect(s1).toBeGreaterThan(0);
        expect(s2).toBeLessThan(1);
        expect(s2).toBeGreaterThanOrEqual(s1);
      }),
    );
  });
});
