import { describe, expect, it } from 'vitest';
import { createPlacementModel, findSolver } from '@emplace/core';
import { GAP_TABLE, gapMthg, solveGap } from '@emplace/assignment';

// The uniform entry and the registry entries come from the GAP table (src/methods.ts).
describe('GAP method table', () => {
  const model = createPlacementModel({ sites: 2, clients: 3, cost: [[4, 2, 5], [3, 6, 1]], siteDemand: [3, 2, 4, 2, 3, 3], capacity: [5, 5] });

  it('solveGap dispatches options.method, default auto, and names the methods of an unknown one', async () => {
    const auto = await solveGap(model, { sense: 'min' });
    expect(auto.status).toBe('optimal');
    const mthg = await solveGap(model, { method: 'mthg', sense: 'min' });
    expect(mthg.objective).toBe((await gapMthg(model, { sense: 'min' })).objective);
    expect(mthg.objective!).toBeGreaterThanOrEqual(auto.objective!);
    await expect(solveGap(model, { method: 'nope' as 'auto' })).rejects.toThrow(/gap has: auto, mthg, lagrangian, tabu, ejection-chain, branch-and-bound, mip/);
  });

  it('registers every row, with its guarantee', () => {
    for (const row of GAP_TABLE.methods) expect(findSolver(`gap:${row.method}`).guarantee).toBe(row.guarantee);
    expect(findSolver('gap').guarantee).toMatch(/within its budget/);
  });
});
