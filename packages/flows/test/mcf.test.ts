import { describe, expect, it } from 'vitest';
import { createGraph } from '@emplace/core';
import { createMcfProblem, solveMcf, solveMcfLp } from '@emplace/flows';

describe('solveMcf (the mcf family entry)', () => {
  it('solveMcf takes the method in options: lp, concurrent-lp, garg-konemann', async () => {
    const graph = createGraph({ n: 3, edges: [[0, 1, 4], [1, 2, 4], [0, 2, 4]] });
    const p = createMcfProblem({ graph, commodities: [{ source: 0, sink: 2, demand: 3 }, { source: 1, sink: 0, demand: 2 }] });
    const lp = await solveMcf(p);
    expect(lp.stats.method).toBe('mcf:lp');
    expect(lp.objective).toBe((await solveMcfLp(p)).objective);
    const conc = await solveMcf(p, { method: 'concurrent-lp' });
    expect(conc.stats.method).toBe('mcf:concurrent-lp');
    expect(conc.objective).toBeCloseTo((await solveMcfLp(p, { objective: 'max-concurrent' })).objective!, 9);
    const gk = await solveMcf(p, { method: 'garg-konemann', epsilon: 0.1 });
    expect(gk.stats.method).toBe('mcf:garg-konemann');
    expect(gk.objective!).toBeLessThanOrEqual(conc.objective! * (1 + 1e-9));
    await expect(solveMcf(p, { method: 'simplex' as never })).rejects.toThrow(/options\.method/);
  });
});
