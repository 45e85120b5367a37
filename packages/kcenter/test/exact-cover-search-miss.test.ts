import { exact } from '@emplace/kcenter';
import { describe, expect, it } from 'vitest';
import { generatePmedText } from '../../../benchmarks/facility/generate.js';
import { pmedModel, solved } from './helpers.js';

/**
 * After a depth-first covering decision runs out of budget, kcenter:exact gives the later
 * ones a sixteenth of it and asks the MIP sooner (exact.ts COVER_SEARCH_WORK_AFTER_MISS). The
 * MIP must then settle the questions the depth-first search used to: the radius stays the
 * proven optimum. The instance is the held-out draw's pcenter-500-p50 (compare/run.ts
 * --generated --seed=6121), where four decisions at r = 21 ran out; HiGHS proves 21 there.
 */
describe('kcenter:exact after a covering decision ran out of budget', () => {
  it('still proves the optimum of a 500-node p = 50 pmed-style instance', async () => {
    const model = pmedModel(generatePmedText(500, 5000, 50, 612153));
    const r = solved(await exact(model, { k: 50 }));
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(21);
    expect(r.bound).toBe(21);
    // The path under test ran: some depth-first decision ran out of budget.
    expect(r.stats?.coverSearchMisses).toBeGreaterThan(0);
  }, 60_000);
});
