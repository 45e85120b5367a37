import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, Rng, SolveRun } from '@emplace/core';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { singleSourceSearch } from '../src/single-source.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { cornuejols, forEachPlan, freeNode, multipliersNearCosts, nearDualOptimum } from './sscfl-instances.js';

/**
 * Pair fixing with the penalties of the sites a client leaves (SingleSourceRelaxation's
 * clientOutPenalties): a ban of (i, j) adds to the cost of j at i what taking j out of the
 * selected sites that serve it costs. Checked against enumeration on instances of 4-5 sites,
 * where several sites are open by their own sign (the case the penalties read), and through
 * the whole search.
 */
describe('single-source pair fixing: penalties of the sites a client leaves', () => {
  it('bans a pair whose own cost is small when the client would leave a site that needs it', () => {
    // Sites 0 and 1, capacity 10 each; clients 0 and 1, demand 10 each. Client 0 costs 0 at
    // site 0 and 5 at site 1, client 1 costs 50 at site 0 and 0 at site 1: the optimum (2)
    // serves each at its own site. At v = (30, 30) both sites are open (rho = -29); client 0 at
    // site 1 costs 5 there (it displaces client 1, profit 30 -> 25) and 29 at site 0 (which
    // then closes): L = 2 rises to 36 at least, past the limit 33; the site's own cost alone
    // gives 7. (Below 31 client 0 would be fixed to site 0 instead: out of it, L >= 31.)
    const model = createPlacementModel({ sites: 2, clients: 2, cost: [0, 50, 5, 0], demand: [10, 10], capacity: [10, 10], openingCost: [1, 1] });
    const prep = prepareProblem(model, 'sscfl');
    if (prep.kind !== 'ok') throw new Error(prep.kind);
    const pr = prep.problem;
    const lr = new SingleSourceRelaxation(pr);
    const node = freeNode(pr, new Uint8Array(4));
    const v = Float64Array.of(30, 30);
    const L = lr.evaluate(v, node, false);
    expect(L).toBeCloseTo(2, 9);
    lr.fixPairs(v, node, L, 33, (x) => x);
    expect(node.assign[0]).toBe(-1);
    expect(node.banned[1 * 2 + 0], 'client 0 at site 1').toBe(1);
    expect(node.banned[0 * 2 + 1], 'client 1 at site 0').toBe(1);
    // Below the bound with both penalties (36) nothing is banned that a plan under the limit uses: the plan of cost 2.
    expect(node.banned[0]).toBe(0);
    expect(node.banned[3]).toBe(0);
  });

  it('no plan below the limit is cut off (2-5 sites, enumerated plans, three limits)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 3, max: 7 }), fc.double({ min: 1.1, max: 2.5, noNaN: true }), fc.nat(), fc.boolean(), (S, C, ratio, seed, lazy) => {
        const inst = enumerated(S, C, ratio, seed);
        if (!inst) return;
        const { pr, plans, optimum } = inst;
        const rng = new Rng(seed ^ 0x41c3);
        const lr = new SingleSourceRelaxation(pr);
        const v = nearDualOptimum(lr, multipliersNearCosts(pr, rng), optimum, lazy);
        const L = lr.evaluate(v, freeNode(pr, new Uint8Array(S * C)), lazy);
        if (L === Infinity) return;
        // Several limits on the same evaluation: just above the optimum to well above it.
        for (const above of [rng.uniform(1e-6, 3), rng.uniform(3, 12), rng.uniform(12, 40)]) {
          const limit = Math.max(L, optimum) + above;
          const node = freeNode(pr, new Uint8Array(S * C));
          lr.fixPairs(v, node, L, limit, (x) => x);
          for (const { assign, cost } of plans) {
            if (!(cost < limit - 1e-9)) continue;
            for (let j = 0; j < C; j++) {
              expect(node.banned[assign[j]! * C + j], `plan ${cost} < limit ${limit} uses banned pair (${assign[j]}, ${j})`).toBe(0);
              if (node.assign[j]! >= 0) expect(assign[j], `plan ${cost} < limit ${limit} moves fixed client ${j}`).toBe(node.assign[j]);
            }
          }
        }
      }),
      { numRuns: 600 },
    );
  });

  it('a node whose last fixing round serves every client closes on its plan (it stayed open, the proof unfinished)', async () => {
    const [S, C] = [4, 8];
    const inst = enumerated(S, C, 1.7695048757903342, 526930464);
    if (!inst) throw new Error('no plan');
    const { pr, optimum } = inst;
    const start = { value: optimum + 1, solution: { open: new Uint8Array(S), assign: new Int32Array(C) } };
    const r = await singleSourceSearch(pr, new SolveRun({ seed: 1 }, 'sscfl-pair-fixing', 'min'), start, { rootIterations: 10, nodeIterations: 2, branch: true, granule: 1, phase: 'test', regions: false, primalAfterWork: Infinity });
    expect(r.complete).toBe(true);
    expect(r.incumbent?.value).toBe(optimum);
  });

  it('the search finds the enumerated optimum from a plan above it (its fixings keep the optimum; few iterations: many nodes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4, max: 6 }), fc.integer({ min: 6, max: 8 }), fc.double({ min: 1.3, max: 3, noNaN: true }), fc.nat(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 40 }), async (S, C, ratio, seed, above, nodeIterations) => {
        const inst = enumerated(S, C, ratio, seed);
        if (!inst) return;
        const { pr, optimum } = inst;
        // A plan of value optimum + above is said to exist (never read): only its value prunes, as in sscfl-proof.ts --from-value.
        const start = { value: optimum + above, solution: { open: new Uint8Array(S), assign: new Int32Array(C) } };
        const run = new SolveRun({ seed: 1 }, 'sscfl-pair-fixing', 'min');
        const r = await singleSourceSearch(pr, run, start, { rootIterations: 5 * nodeIterations, nodeIterations, branch: true, granule: 1, phase: 'test', regions: false, primalAfterWork: Infinity });
        // A finished proof that found the optimum (the start's value is above it). A node whose
        // last fixing round served every client once stayed open, unproved ([4, 8, 1.77, 526930464, 1, 2]).
        expect(r.complete).toBe(true);
        expect(r.incumbent?.value, `optimum ${optimum}`).toBeCloseTo(optimum, 6);
        expect(r.bound).toBeLessThanOrEqual(optimum + 1e-6);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * A Cornuejols instance with every capacity-feasible single-source assignment and its cost
 * (the sites it uses open), by enumeration, and the optimum; undefined when it has no plan.
 */
function enumerated(S: number, C: number, ratio: number, seed: number): { pr: FacilityProblem; plans: { assign: Int32Array; cost: number }[]; optimum: number } | undefined {
  const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
  if (prep.kind !== 'ok') return undefined;
  const plans: { assign: Int32Array; cost: number }[] = [];
  forEachPlan(prep.problem, (assign, cost) => plans.push({ assign: assign.slice(), cost }));
  if (plans.length === 0) return undefined;
  return { pr: prep.problem, plans, optimum: plans.reduce((m, p) => Math.min(m, p.cost), Infinity) };
}
