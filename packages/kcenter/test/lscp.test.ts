import { lscpExact, lscpGreedy } from '@emplace/kcenter';
import fc from 'fast-check';
import { createPlacementModel, hasSolution } from '@emplace/core';
import { allSubsets, assignable, caseArb, coversAll, coversPair } from './coverage-helpers.js';
import { solved } from './helpers.js';
import { describe, expect, it } from 'vitest';

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
        } else {
          // A heuristic that gives up knows nothing: no-solution says its work ended, never converged.
          expect(gr.status).toBe('no-solution');
          expect(gr.stoppedBy).toBe('iteration-limit');
        }
      }),
      { numRuns: 40 },
    );
  });

  // Regression (status audit, seed 6205): more demand than the sites within reach hold; the
  // greedy answered no-solution with stoppedBy converged, exact proved infeasible.
  it('with capacities: more demand than every covering site holds is infeasible for both methods', async () => {
    const model = createPlacementModel({ sites: [{ capacity: 4 }], clients: [{ demand: 1 }, { demand: 4 }, { demand: 4 }], cost: [[1, 1, 1]] });
    for (const r of [lscpGreedy(model, { radius: 1 }), await lscpExact(model, { radius: 1 })]) {
      expect(r.status).toBe('infeasible');
      expect(hasSolution(r) ? undefined : r.certificate?.reason).toMatch(/demand 9 in all/);
    }
  });
});
