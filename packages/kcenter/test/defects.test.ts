import { describe, expect, it } from 'vitest';
import { createPlacementModel, ModelError, solve } from '@emplace/core';
import '../src/register.js';

describe('kcenter input checks (issue 13)', () => {
  it('k larger than the number of sites is a ModelError naming options.k', async () => {
    const model = createPlacementModel({ sites: 3, clients: 3, cost: [0, 1, 2, 1, 0, 1, 2, 1, 0] });
    for (const method of ['kcenter', 'kcenter:gonzalez', 'kcenter:exact']) {
      await expect(solve(model, { method, k: 5 })).rejects.toThrow(ModelError);
      await expect(solve(model, { method, k: 5 })).rejects.toThrow(/options\.k.*3 candidate sites/);
    }
    const ok = await solve(model, { method: 'kcenter', k: 3 });
    expect(ok.status).toBe('optimal');
  });
});
