import { createPlacementModel, ModelError, type PlacementModel } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { solvePlacementFront } from '../src/index.js';

const model = (): PlacementModel =>
  createPlacementModel({ sites: 3, clients: 4, cost: [[1, 2, 3, 4], [4, 3, 2, 1], [2, 2, 2, 2]], openingCost: [1, 2, 3] });

describe('pareto fuzz findings (issue 13: F5, F11)', () => {
  it('F11: a zero time limit that stops the exact front before any plan says stoppedBy time-limit, not converged', async () => {
    for (const method of ['auto', 'exact'] as const) {
      const r = await solvePlacementFront(model(), { method, timeLimitMs: 0 });
      if (r.status === 'no-solution') expect(r.stoppedBy).toBe('time-limit');
      else expect(r.status).not.toBe('infeasible');
    }
  });

  it('F5: solvePlacementFront on a malformed placement model names the field', async () => {
    const corrupt = async (change: (m: Record<string, unknown>) => void): Promise<string> => {
      const m = { ...model() } as unknown as Record<string, unknown>;
      change(m);
      try {
        await solvePlacementFront(m as unknown as PlacementModel);
      } catch (err) {
        expect(err).toBeInstanceOf(ModelError);
        return (err as ModelError).field;
      }
      return 'no error';
    };
    expect(await corrupt((m) => (m['nClients'] = Number.NaN))).toBe('model.nClients');
    expect(await corrupt((m) => (m['siteLabels'] = true))).toMatch(/^model\.siteLabels/);
    expect(await corrupt((m) => {
      for (const k of Object.keys(m)) if (k !== 'kind') delete m[k];
    })).toMatch(/^model\./);
  });
});

describe('pareto audit findings (scripts/audit/api-options.ts)', () => {
  // Before: objectives 2.5 / true / {} gave "TypeError: given is not iterable", latency null
  // "Cannot read properties of null (reading 'length')".
  it.each([2.5, true, {}, -1])('objectives = %j is a ModelError naming options.objectives', async (value) => {
    await expect(solvePlacementFront(model(), { objectives: value as never })).rejects.toThrow(ModelError);
    await expect(solvePlacementFront(model(), { objectives: value as never })).rejects.toThrow('options.objectives');
  });

  it.each([null, 5, true])('latency = %j is a ModelError naming options.latency', async (value) => {
    await expect(solvePlacementFront(model(), { latency: value as never })).rejects.toThrow('options.latency');
  });
});
