import { afterEach, describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, type Steps } from '@emplace/core';
import { Interchange } from '../src/interchange.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { checkSolution } from '../src/solution.js';
import { solvePMedian, solveUfl } from '../src/solvers.js';

/**
 * Issue 13 regressions: after an abort in the greedy phase, UFL and p-median used to go on
 * with all p greedy adds, the interchange tables' rebuild and the Lagrangian root's sort of
 * every client's sites (C sorts of S) before noticing it: ~1 s of latency at 900-1000 nodes.
 * The abort is fired from the solver's own 'greedy' progress event (no timer); the work done
 * after it is counted on the interchange and the Lagrangian relaxation.
 */
function euclidean(n: number, seed: number, openingCost: number) {
  const r = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => r.next() * 1000);
  const y = Float64Array.from({ length: n }, () => r.next() * 1000);
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
  return createPlacementModel({ sites: n, clients: n, cost, openingCost: new Float64Array(n).fill(openingCost) });
}

/** Counts, once armed, the interchange moves and the Lagrangian roots' multiplier starts (work done after the abort). */
const originalMove = Interchange.prototype.moveSteps;
const originalStart = LagrangianRelaxation.prototype.initialMultipliers;
let afterAbort = { moves: 0, roots: 0 };
function countWorkAfter(signal: AbortSignal): void {
  afterAbort = { moves: 0, roots: 0 };
  Interchange.prototype.moveSteps = function (this: Interchange, u: number, r: number, stop?: () => boolean): Steps<boolean> {
    if (signal.aborted) afterAbort.moves++;
    return originalMove.call(this, u, r, stop);
  };
  LagrangianRelaxation.prototype.initialMultipliers = function (this: LagrangianRelaxation): Float64Array {
    if (signal.aborted) afterAbort.roots++;
    return originalStart.call(this);
  };
}
afterEach(() => {
  Interchange.prototype.moveSteps = originalMove;
  LagrangianRelaxation.prototype.initialMultipliers = originalStart;
});

describe('an abort in the greedy phase of UFL / p-median (regression, issue 13)', () => {
  const model = euclidean(200, 5, 2000);
  for (const method of ['auto', 'lagrangian', 'branch-and-bound'] as const) {
    it(`pmedian:${method} returns a feasible p-set without any Lagrangian iteration`, async () => {
      const ctl = new AbortController();
      countWorkAfter(ctl.signal);
      const r = await solvePMedian(model, { p: 20, method, signal: ctl.signal, onProgress: (e) => e.phase === 'greedy' && ctl.abort() });
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      if (!hasSolution(r)) throw new Error('a plan was expected');
      expect(checkSolution(model, 'pmedian', r.solution, 20).violations).toEqual([]);
      expect(r.stats.iterations ?? 0).toBe(0);
      expect(r.stats.nodes ?? 0).toBe(0);
      // No greedy add, interchange move or root start after the abort (each used to run in full).
      expect(afterAbort).toEqual({ moves: 0, roots: 0 });
    });

    it(`ufl:${method} returns a feasible plan without any Lagrangian iteration`, async () => {
      const ctl = new AbortController();
      countWorkAfter(ctl.signal);
      const r = await solveUfl(model, { method, signal: ctl.signal, onProgress: (e) => e.phase === 'greedy' && ctl.abort() });
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      if (!hasSolution(r)) throw new Error('a plan was expected');
      expect(checkSolution(model, 'ufl', r.solution).violations).toEqual([]);
      expect(r.stats.iterations ?? 0).toBe(0);
      expect(afterAbort).toEqual({ moves: 0, roots: 0 });
    });
  }
});

describe('an abort while the interchange tables are built (regression, issue 13: stochastic:saa held the thread 105-113 ms)', () => {
  const originalCreate = Interchange.createSteps;
  afterEach(() => {
    Interchange.createSteps = originalCreate;
  });
  const model = euclidean(120, 9, 2000);
  for (const abortAt of [0, 3, 9]) {
    it(`ufl:auto aborted at the setup's checkpoint ${abortAt} pulls no further setup step and ends without a plan`, async () => {
      const ctl = new AbortController();
      let pulledAfter = 0;
      Interchange.createSteps = function* (pr): Steps<Interchange> {
        const inner = originalCreate(pr);
        let k = 0;
        let r = inner.next();
        while (!r.done) {
          if (ctl.signal.aborted) pulledAfter++;
          if (k++ === abortAt) ctl.abort();
          yield;
          r = inner.next();
        }
        return r.value;
      };
      const r = await solveUfl(model, { method: 'auto', signal: ctl.signal });
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('no-solution');
      // The checkpoint that saw the abort is the last one pulled (the copy used to run to its end).
      expect(pulledAfter).toBe(0);
    });
  }
});
