import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPlacementModel, hasSolution, ModelError, type PlacementModel } from '@emplace/core';
import { placementCostGame, restrictClients, shapleyExact, coreCheck, nucleolus, checkAxioms } from '@emplace/mechanism';

/** Uncapacitated facility location by enumerating the open sets (tiny instances only). */
function uflBrute(m: PlacementModel): number {
  if (m.nClients === 0) return 0;
  let best = Infinity;
  for (let open = 1; open < 2 ** m.nSites; open++) {
    let c = 0;
    for (let i = 0; i < m.nSites; i++) if (open & (1 << i)) c += m.openingCost[i]!;
    for (let j = 0; j < m.nClients; j++) {
      let d = Infinity;
      for (let i = 0; i < m.nSites; i++) if (open & (1 << i)) d = Math.min(d, m.cost[i * m.nClients + j]!);
      c += d;
    }
    best = Math.min(best, c);
  }
  return best;
}

describe('cost-sharing games from a placement', () => {
  it('splits the optimal UFL bill: efficient, symmetric, and the solver sees only the coalition', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 4 * 8 + 4, maxLength: 4 * 8 + 4 }),
        async (nSites, nums) => {
          const nClients = 8;
          const cost = nums.slice(0, nSites * nClients);
          const model = createPlacementModel({ sites: nSites, clients: nClients, cost, openingCost: nums.slice(32, 32 + nSites) });
          const owners = [
            { player: 'team-a', clients: [0, 1] },
            { player: 'team-b', clients: [2, 3, 4] },
            { player: 'team-c', clients: [5] },
            { player: 'team-d', clients: [6, 7] },
          ];
          let calls = 0;
          const game = placementCostGame({ model, owners, solve: (sub, clients) => { calls++; expect(sub.nClients).toBe(clients.length); return uflBrute(sub); } });
          const r = await shapleyExact(game);
          if (!hasSolution(r)) throw new Error('no solution');
          let sum = 0;
          for (const x of r.solution.values) sum += x;
          expect(sum).toBeCloseTo(uflBrute(model), 9);
          expect(checkAxioms(game, r.solution.values).ok).toBe(true);
          expect(calls).toBe(15); // memoised: one solve per non-empty coalition
          const nu = await nucleolus(game, { gameKind: 'cost' });
          // UFL cost games can have an empty core; when the least-core value is <= 0 the nucleolus is in it.
          if (nu.status === 'optimal' && nu.objective <= 1e-9) expect(coreCheck(game, nu.solution.values, { gameKind: 'cost', tolerance: 1e-7 }).inCore).toBe(true);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('restrictClients keeps costs, demand and groups of the chosen clients', async () => {
    const model = createPlacementModel({
      sites: 2, clients: 4, cost: [1, 2, 3, 4, 5, 6, 7, 8], demand: [1, 2, 3, 4],
      affinity: [[0, 2], [1, 3]], antiAffinity: [{ clients: [0, 1, 2] }],
    });
    const sub = restrictClients(model, [0, 2]);
    expect(sub.nClients).toBe(2);
    expect(Array.from(sub.cost)).toEqual([1, 3, 5, 7]);
    expect(Array.from(sub.demand)).toEqual([1, 3]);
    expect(sub.affinity.map((g) => Array.from(g))).toEqual([[0, 1]]);
    expect(sub.antiAffinity.map((g) => Array.from(g.clients))).toEqual([[0, 1]]);
    expect(model.nClients).toBe(4); // input untouched
  });

  it('bad owners name the entry', async () => {
    const model = createPlacementModel({ sites: 1, clients: 2, cost: [1, 2] });
    expect(() => placementCostGame({ model, owners: [{ player: 'a', clients: [0] }, { player: 'b', clients: [0] }], solve: () => 0 })).toThrow(/owners\[1\]\.clients\[0\].*already owned by a/);
    expect(() => placementCostGame({ model, owners: [{ player: 'a', clients: [5] }], solve: () => 0 })).toThrow(ModelError);
  });
});
