import { describe, expect, it } from 'vitest';
import { createGraph } from '@emplace/core';
import { solveFiedler, solvePartition } from '@emplace/spectral';
import { randomConnected, denseLambda2 } from './graphs.js';

describe('limits', () => {
  it('a time limit returns the current vector, not an exception', async () => {
    const g = randomConnected(150, 300, 3);
    const r = await solveFiedler(g, { method: 'lobpcg', timeLimitMs: 0 });
    expect(r.status).toBe('feasible');
    expect(r.stoppedBy).toBe('time-limit');
    expect(r.solution!.vector.length).toBe(150);
    // Whatever the iterate, its Rayleigh quotient is an upper bound of lambda2.
    expect(r.objective!).toBeGreaterThanOrEqual(denseLambda2(g) * (1 - 1e-12));
  });
  it('an iteration limit is reported', async () => {
    const g = randomConnected(400, 800, 4);
    const r = await solveFiedler(g, { method: 'lobpcg', maxIterations: 1, preconditioner: 'none' });
    expect(r.stoppedBy).toBe('iteration-limit');
    expect(r.warnings?.[0]).toMatch(/not converged/);
  });
});

describe('envelope bad input', () => {
  it('solveFiedler and solvePartition refuse graphs of fewer than two nodes', async () => {
    await expect(solveFiedler(createGraph({ n: 1, edges: [] }))).rejects.toThrow(/graph\.n/);
    await expect(solveFiedler(createGraph({ n: 0, edges: [] }))).rejects.toThrow(/graph\.n/);
    await expect(solvePartition(createGraph({ n: 1, edges: [] }))).rejects.toThrow(/graph\.n|nodes/);
  });
});
