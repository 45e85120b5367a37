import { describe, expect, it } from 'vitest';
import { hasSolution, solve } from '@emplace/core';
import { solveCfl, solvePMedian, solveUfl, type FacilitySolution } from '@emplace/facility';
import '../src/register.js';
import { build, expectValid, FIXED_SPEC } from './helpers.js';

describe('entry points: determinism, limits, registry', () => {
  it('same seed, same answer', async () => {
    const m = build(FIXED_SPEC);
    for (const run of [() => solveUfl(m, { seed: 7 }), () => solveCfl(m, { seed: 7 }), () => solvePMedian(m, { p: 4, seed: 7 })]) {
      const a = await run();
      const b = await run();
      expect(a.objective).toBe(b.objective);
      expect(JSON.stringify(a.solution)).toBe(JSON.stringify(b.solution));
    }
  });

  it('a time limit returns the best solution so far with stoppedBy time-limit', async () => {
    const m = build(FIXED_SPEC);
    const r = await solveCfl(m, { method: 'branch-and-bound', timeLimitMs: 0 });
    expect(r.stoppedBy).toBe('time-limit');
    expect(hasSolution(r)).toBe(true);
    expectValid(m, 'cfl', r);
    const p = await solvePMedian(m, { p: 5, method: 'branch-and-bound', timeLimitMs: 0 });
    expect(p.stoppedBy).toBe('time-limit');
    expectValid(m, 'pmedian', p, 5);
  });

  it('is registered with the core registry', async () => {
    const m = build(FIXED_SPEC);
    const r = await solve<FacilitySolution>(m, { method: 'ufl:local-search' });
    expect(hasSolution(r)).toBe(true);
    const p = await solve<FacilitySolution>(m, { method: 'pmedian', p: 2 });
    expect(p.solution?.openSites.length).toBe(2);
  });
});
