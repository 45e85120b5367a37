import { mclpExact, mclpGreedy, pDispersionExact } from '@emplace/kcenter';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { allSubsets, caseArb, coveredDemand, exactAndGreedy } from './coverage-helpers.js';
import { PMED1, pmedModel, solved } from './helpers.js';
import { describe, expect, it } from 'vitest';

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

describe('limits on pmed1', () => {
  const file = PMED1;
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
