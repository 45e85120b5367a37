import { describe, expect, it } from 'vitest';
import { hasSolution, solve } from '@emplace/core';
import { generateGap } from '../src/index.js';
import '../src/register.js';
import { abortAtRead } from '../../core/test/support/steps.js';

/** Every job on an agent, and no agent over its capacity: recomputed from the model (r_ij = siteDemand, else the demand). */
function fits(model: ReturnType<typeof generateGap>, agentOf: ArrayLike<number>): boolean {
  const m = model.nSites;
  const n = model.nClients;
  const load = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const i = agentOf[j]!;
    if (!(i >= 0 && i < m)) return false;
    load[i]! += model.siteDemand ? model.siteDemand[i * n + j]! : model.demand[j]!;
  }
  return load.every((l, i) => l <= model.capacity[i]! + 1e-9);
}

/**
 * Issue 13: gap:mip built its model and ran MTHG for the warm start in one 88 ms stretch on
 * 80 x 800, and when the MIP stopped (limit or abort) before a plan, the MTHG start, a valid
 * assignment, was thrown away (no-solution at the 1 s limit). The start now comes one pass at
 * a time with checkpoints between, and is the incumbent when the MIP has none.
 */
describe('gap:mip: the MTHG start in steps, and kept as the incumbent', () => {
  const model = generateGap('D', 10, 100, 3);

  it('an abort at any checkpoint after the first MTHG pass returns an assignment of every job', async () => {
    for (const reads of [2, 3, 4, 5, 6, 8]) {
      const r = await solve(model, { method: 'gap:mip', signal: abortAtRead(reads).signal });
      expect(r.stoppedBy).toBe('aborted');
      expect(hasSolution(r)).toBe(true);
      if (!hasSolution(r)) continue;
      const agentOf = (r.solution as { assignment: ArrayLike<number> }).assignment;
      expect(agentOf.length).toBe(100);
      expect(fits(model, agentOf)).toBe(true);
      expect(r.status).toBe('feasible');
    }
  });

  it('without a warm start an early abort is an honest no-solution', async () => {
    const r = await solve(model, { method: 'gap:mip', warmStart: false, signal: abortAtRead(1).signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('no-solution');
  });
});
