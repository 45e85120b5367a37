import { describe, expect, it } from 'vitest';
import { checkModelFeatures, createPlacementModel, MODEL_FEATURES, usedModelFeatures, type FeatureTable, type PlacementModel } from '@emplace/core';

const table = (allowed: 'honoured' | 'ignored'): FeatureTable => ({ ...(Object.fromEntries(MODEL_FEATURES.map((f) => [f, 'ignored'])) as FeatureTable), allowed });

/**
 * Issue 13: checkModelFeatures scanned all S x C entries of `allowed` in one go (20M at
 * 101 x 200,000 in stochastic:ufl-equivalent) although the facility methods honour it, so
 * its count was never used. A table that honours `allowed` now skips the scan.
 */
describe('usedModelFeatures with the table of the method', () => {
  const m = createPlacementModel({ sites: 2, clients: 2, cost: [1, 2, 3, 4], allowed: [1, 0, 1, 1] });
  // Any read of an entry throws: the scan must not run.
  const untouchable: PlacementModel = { ...m, allowed: new Proxy(m.allowed!, { get: () => { throw new Error('allowed was scanned'); } }) };

  it('does not read `allowed` when the table honours it', () => {
    expect(usedModelFeatures(untouchable, table('honoured')).has('allowed')).toBe(false);
    expect(checkModelFeatures(untouchable, table('honoured'), 'x:y')).toEqual([]);
  });

  it('still finds and warns about disallowed pairs when the table ignores them, as without a table', () => {
    expect(usedModelFeatures(m, table('ignored')).get('allowed')).toBe('1 disallowed site-client pair(s)');
    expect(usedModelFeatures(m).get('allowed')).toBe('1 disallowed site-client pair(s)');
    expect(checkModelFeatures(m, table('ignored'), 'x:y')).toEqual(['x:y ignores model.allowed (1 disallowed site-client pair(s)): the solution may violate it, and its status and objective refer to the model without it']);
    expect(() => usedModelFeatures(untouchable, table('ignored'))).toThrow('allowed was scanned');
  });
});
