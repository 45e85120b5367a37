import { createPlacementModel, Rng } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { asCoverInstance, prepareCoverage } from '../src/coverage-instance.js';
import { buildCover, coverSteps } from '../src/cover.js';
import { drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: lscp built its reduced covering problem at once before its first checkpoint
 * (25-50 ms on 500 x 500); it now runs the reduction steps themselves, which yield inside.
 */
describe('the covering reductions of lscp run as steps', () => {
  it('coverSteps yields several times on 300 x 300 and gives the same problem as buildCover', () => {
    const n = 300;
    const rng = new Rng(11);
    const x = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const y = Float64Array.from({ length: n }, () => rng.next() * 1000);
    const cost = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost[i * n + j] = Math.round(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
    const data = prepareCoverage(createPlacementModel({ sites: n, clients: n, cost }), 150, { capacities: false, family: 'lscp' });
    const inst = asCoverInstance(data);
    const steps = coverSteps(inst, data.radius, false);
    const r = drainSteps(steps);
    const yields = r.pauses;
    expect(yields).toBeGreaterThan(3);
    expect(r.value).toEqual(buildCover(inst, data.radius));
  });
});
