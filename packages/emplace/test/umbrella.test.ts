import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, listFamilies, solve } from '@emplace/emplace';

describe('emplace umbrella', () => {
  it('registers every family and solves through the registry', async () => {
    const families = listFamilies();
    for (const f of ['ufl', 'cfl', 'pmedian', 'kcenter', 'gap', 'steiner', 'fiedler', 'shapley', 'vcg']) expect(families).toContain(f);
    const model = createPlacementModel({ sites: 3, clients: 4, cost: [[1, 2, 3, 4], [4, 3, 2, 1], [2, 2, 2, 2]], openingCost: [5, 5, 1] });
    const r = await solve(model, { method: 'ufl' });
    expect(hasSolution(r)).toBe(true);
    // Opening only site 2 costs 1 + 8 = 9; any other choice costs more.
    expect(r.objective).toBe(9);
  });
});
