import { createPlacementModel, hasSolution, ModelError, solve, type Result } from '@emplace/core';
import { lscpGreedy, mclpExact, mclpGreedy, pDispersionGreedy, type CoverageSolution } from '@emplace/kcenter';
import fc from 'fast-check';
import { caseArb } from './coverage-helpers.js';
import { solved } from './helpers.js';

// Shared by the coverage models (coverage-instance.ts): determinism, validation, ignored features, registry.
import { describe, expect, it } from 'vitest';

describe('determinism and inputs', () => {
  it('give the same answer twice and leave the model untouched', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ square: true }), async ({ model, radius, k }) => {
        const cost = Float64Array.from(model.cost);
        const must = Uint8Array.from(model.mustOpen);
        const results: Result<{ open: Int32Array }>[] = [];
        const runs = async () => {
          results.length = 0;
          results.push(lscpGreedy(model, { radius }), mclpGreedy(model, { radius, k }), pDispersionGreedy(model, { k }), await mclpExact(model, { radius, k }));
          return results.map((r) => (hasSolution(r) ? Array.from(r.solution.open) : r.status));
        };
        expect(await runs()).toEqual(await runs());
        expect(Array.from(model.cost)).toEqual(Array.from(cost));
        expect(Array.from(model.mustOpen)).toEqual(Array.from(must));
      }),
      { numRuns: 15 },
    );
  });
});

describe('bad input and ignored features', () => {
  const model = createPlacementModel({ sites: 2, clients: 2, cost: [[0, 3], [3, 0]], affinity: [[0, 1]] });
  it('name the missing or bad field', async () => {
    expect(() => lscpGreedy(model, {})).toThrow(ModelError);
    expect(() => lscpGreedy(model, {})).toThrow(/options\.radius/);
    expect(() => lscpGreedy(model, { radius: -1 })).toThrow(/options\.radius/);
    expect(() => mclpGreedy(model, { radius: 1 })).toThrow(/options\.k/);
    await expect(mclpExact(model, { radius: 1, k: 1.5 })).rejects.toThrow(/options\.k/);
    expect(() => pDispersionGreedy(model, { k: 1 })).toThrow(/options\.k/);
  });
  it('warn about affinity groups and capacities they ignore', () => {
    const r = mclpGreedy(model, { radius: 1, k: 1 });
    expect(r.warnings?.join(' ')).toMatch(/affinity/);
    const capped = createPlacementModel({ sites: [{ capacity: 1 }, {}], clients: 2, cost: [[0, 3], [3, 0]] });
    expect(mclpGreedy(capped, { radius: 1, k: 1 }).warnings?.join(' ')).toMatch(/capacit/);
  });
  it('are reachable through the registry', async () => {
    const r = (await solve(model, { method: 'mclp', radius: 3, k: 1 })) as Result<CoverageSolution>;
    expect(solved(r).objective).toBe(2);
  });
});
