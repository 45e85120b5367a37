import { describe, expect, it } from 'vitest';
import { gapAuto, gapBranchAndBoundSolve, generateGap } from '@emplace/assignment';

describe('gap auto with a work bound (maxNodes)', async () => {
  it('two runs with the same node cap and no time limit give identical results (small: branch-and-bound first)', async () => {
    const gap = generateGap('D', 5, 40, 7);
    // 8 nodes: since the root aims above the incumbent and the search probes below it (issue
    // 17), 29 nodes prove this instance, so a cap of 64 is no longer reached.
    const a = await gapAuto(gap, { maxNodes: 8, maxIterations: 2000, seed: 1 });
    const b = await gapAuto(gap, { maxNodes: 8, maxIterations: 2000, seed: 1 });
    expect(a.status).toBe(b.status);
    expect(a.objective).toBe(b.objective);
    expect(a.bound).toBe(b.bound);
    expect(a.stats).toMatchObject({ nodes: b.stats.nodes, tabuIterations: b.stats.tabuIterations, lnsRounds: 0, fixings: b.stats.fixings });
    if (a.status === 'feasible' && b.status === 'feasible') expect(Array.from(a.solution.assignment)).toEqual(Array.from(b.solution.assignment));
    expect(a.stoppedBy).toBe('iteration-limit');
    expect(a.stats.nodes).toBeLessThan(8 + 16 + 1);
  });

  it('two runs with the same caps give identical results (large: tabu, then branch-and-bound)', async () => {
    const gap = generateGap('D', 10, 150, 3);
    const a = await gapAuto(gap, { maxNodes: 32, maxIterations: 1500, seed: 2 });
    const b = await gapAuto(gap, { maxNodes: 32, maxIterations: 1500, seed: 2 });
    expect(a.objective).toBe(b.objective);
    expect(a.bound).toBe(b.bound);
    expect(a.stats).toMatchObject({ nodes: b.stats.nodes, tabuIterations: b.stats.tabuIterations, lnsRounds: 0, fixings: b.stats.fixings });
  });

  it('a node cap large enough lets branch-and-bound prove the optimum', async () => {
    const gap = generateGap('C', 3, 15, 5);
    const r = await gapBranchAndBoundSolve(gap, { maxNodes: 100_000 });
    expect(r.status).toBe('optimal');
    expect(r.stoppedBy).toBe('converged');
  });

  it('auto under a node cap still runs branch-and-bound after tabu reaches its move cap, and proves the optimum (was: stopped after tabu)', async () => {
    const gap = generateGap('D', 5, 40, 7);
    const exact = await gapBranchAndBoundSolve(gap, { maxNodes: 100_000 });
    const r = await gapAuto(gap, { maxNodes: 20_000 });
    expect(exact.status).toBe('optimal');
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(exact.objective);
    expect(r.stats.nodes).toBeGreaterThan(0);
    expect(r.stoppedBy).toBe('converged');
  });
});
