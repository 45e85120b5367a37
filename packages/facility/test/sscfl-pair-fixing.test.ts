import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@emplace/core';
import { prepareProblem, type FacilityProblem } from '../src/problem.js';
import { SingleSourceRelaxation } from '../src/single-source-relaxation.js';
import { cornuejols, forEachPlan, freeNode, multipliersNearCosts, nearDualOptimum } from './sscfl-instances.js';

/**
 * Reduced-cost pair fixing (SingleSourceRelaxation.fixPairs) against enumeration: after the
 * fixings made at the root for a limit, every single-source plan cheaper than the limit still
 * respects them (uses no banned pair, serves each fixed client at its site). The fixings read
 * the selection, and the cover is warm-started, so which of several tied selections a
 * relaxation holds depends on its history: the check is run on a relaxation that has
 * evaluated other multipliers first too.
 */
describe('single-source relaxation: pair fixing', () => {
  it('no plan below the limit is cut off (enumerated plans, fresh and long-lived relaxations)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 3, max: 8 }), fc.double({ min: 1.2, max: 3, noNaN: true }), fc.nat(), fc.boolean(), (S, C, ratio, seed, lazy) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed ^ 0x5bd1);
        const lr = new SingleSourceRelaxation(pr);
        // History: a few other multipliers first (the cover's warm start).
        for (let k = 0; k < 3; k++) lr.evaluate(multipliersNearCosts(pr, rng), rootNode(pr), lazy);
        // A limit above the optimum, so that some plans lie below it and are checked.
        const optimum = cheapestPlan(pr);
        if (optimum === Infinity) return;
        // Multipliers near the dual optimum (Polyak steps toward the optimum), where the fixing tests bite.
        const v = nearDualOptimum(lr, multipliersNearCosts(pr, rng), optimum, lazy);
        const node = rootNode(pr);
        const L = lr.evaluate(v, node, lazy);
        if (L === Infinity) return;
        const limit = Math.max(L, optimum) + rng.uniform(1e-6, 40);
        lr.fixPairs(v, node, L, limit, (x) => x);
        forEachPlan(pr, (assign, cost) => {
          if (!(cost < limit - 1e-9)) return;
          for (let j = 0; j < C; j++) {
            expect(node.banned[assign[j]! * C + j], `plan ${cost} < limit ${limit} uses banned pair (${assign[j]}, ${j})`).toBe(0);
            if (node.assign[j]! >= 0) expect(assign[j], `plan ${cost} < limit ${limit} moves fixed client ${j}`).toBe(node.assign[j]);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  // openedValue / closedValue (the site fixings' bounds): at or above the bounds they replaced
  // (L - coverCost + rho_i for an unselected site, L - rho_i for a closed rho_i < 0 one) and
  // at or below every plan that opens / avoids the site.
  it('site bounds lie between the old tests and every enumerated plan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.integer({ min: 3, max: 6 }), fc.double({ min: 1.2, max: 3, noNaN: true }), fc.nat(), fc.boolean(), (S, C, ratio, seed, lazy) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed ^ 0x2c1f);
        const lr = new SingleSourceRelaxation(pr);
        const optimum = cheapestPlan(pr);
        if (optimum === Infinity) return;
        const v = nearDualOptimum(lr, multipliersNearCosts(pr, rng), optimum, lazy);
        const L = lr.evaluate(v, rootNode(pr), lazy);
        if (L === Infinity) return;
        lr.prepareSiteBounds();
        const opened = Float64Array.from({ length: S }, (_, i) => lr.openedValue(L, i, lr.rho[i]!));
        const closed = Float64Array.from({ length: S }, (_, i) => lr.closedValue(L, i));
        for (let i = 0; i < S; i++) {
          if (lr.y[i] === 0) expect(opened[i]).toBeGreaterThanOrEqual(L - lr.coverCost + lr.rho[i]! - 1e-9);
          if (lr.rho[i]! < 0) expect(closed[i]).toBeGreaterThanOrEqual(L - lr.rho[i]! - 1e-9);
          expect(Math.min(opened[i]!, closed[i]!)).toBeLessThanOrEqual(optimum + 1e-6);
        }
        const used = new Uint8Array(S);
        forEachPlan(pr, (assign, cost) => {
          used.fill(0);
          for (let j = 0; j < C; j++) used[assign[j]!] = 1;
          for (let i = 0; i < S; i++) expect(cost, `site ${i} ${used[i] ? 'open' : 'closed'}`).toBeGreaterThanOrEqual((used[i] ? opened[i]! : closed[i]!) - 1e-6);
        });
      }),
      { numRuns: 300 },
    );
  });

  // The cover by usable capacities (a site's fixed load plus its allowed free clients that
  // fit, when less than its capacity) at nodes with many bans and a fixed client: L at any
  // multipliers stays at or below every plan of the node.
  it('at nodes with bans and fixed clients, L lies below every plan of the node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 5 }), fc.integer({ min: 3, max: 7 }), fc.double({ min: 1.1, max: 3, noNaN: true }), fc.nat(), fc.boolean(), (S, C, ratio, seed, lazy) => {
        const prep = prepareProblem(cornuejols(S, C, ratio, seed), 'sscfl');
        if (prep.kind !== 'ok') return;
        const pr = prep.problem;
        const rng = new Rng(seed ^ 0x7a3);
        const node = rootNode(pr);
        for (let k = 0; k < node.banned.length; k++) node.banned[k] = rng.uniform(0, 1) < 0.5 ? 1 : 0;
        const j0 = rng.int(C);
        node.assign[j0] = rng.int(S);
        const best = cheapestPlan(pr, (assign) => {
          for (let j = 0; j < C; j++) if (node.banned[assign[j]! * C + j] || (node.assign[j]! >= 0 && assign[j] !== node.assign[j])) return false;
          return true;
        });
        const lr = new SingleSourceRelaxation(pr);
        for (let k = 0; k < 5; k++) {
          const L = lr.evaluate(multipliersNearCosts(pr, rng), node, lazy);
          if (best === Infinity) continue;
          expect(L).toBeLessThanOrEqual(best + 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A node with nothing fixed or banned. */
function rootNode(pr: FacilityProblem) {
  return freeNode(pr, new Uint8Array(pr.nSites * pr.nClients));
}

/** The cheapest enumerated plan (that `accept` takes), Infinity when none. */
function cheapestPlan(pr: FacilityProblem, accept: (assign: Int32Array) => boolean = () => true): number {
  let best = Infinity;
  forEachPlan(pr, (assign, cost) => {
    if (cost < best && accept(assign)) best = cost;
  });
  return best;
}
