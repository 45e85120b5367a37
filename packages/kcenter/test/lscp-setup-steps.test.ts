import { describe, expect, it } from 'vitest';
import { hasSolution } from '@emplace/core';
import { prepareCoverage, prepareCoverageSteps } from '../src/coverage-instance.js';
import { lscpExact, lscpGreedy, lscpGreedyAsync } from '../src/lscp.js';
import { abortAtRead, euclideanModel, drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: lscp:exact held the event loop 37-48 ms on CPU on 500 x 500 before its first
 * checkpoint: the two scans of the cost matrix in prepareCoverage and the two in the
 * covering reductions' adjacency build ran at once. Both now pause every 32,768 entries and
 * the async entry points stop between pauses.
 */
describe('lscp setup in steps', () => {
  const model = euclideanModel(300, 17);
  const radius = 150;

  it('prepareCoverageSteps pauses inside the matrix scans and builds the covering relation of the definition', () => {
    const steps = prepareCoverageSteps(model, radius, { capacities: false, family: 'lscp' });
    const r = drainSteps(steps);
    const pauses = r.pauses;
    expect(pauses).toBeGreaterThanOrEqual(4);
    const data = r.value;
    for (let j = 0; j < model.nClients; j++) {
      const want: number[] = [];
      for (let s = 0; s < model.nSites; s++) if (model.cost[s * model.nClients + j]! <= radius) want.push(s);
      expect(Array.from(data.cAdj.subarray(data.cStart[j]!, data.cStart[j + 1]!))).toEqual(want);
    }
    for (let s = 0; s < model.nSites; s++) {
      const want: number[] = [];
      for (let j = 0; j < model.nClients; j++) if (model.cost[s * model.nClients + j]! <= radius) want.push(j);
      expect(Array.from(data.sAdj.subarray(data.sStart[s]!, data.sStart[s + 1]!))).toEqual(want);
    }
    expect(prepareCoverage(model, radius, { capacities: false, family: 'lscp' })).toEqual(data);
  });

  it('the stepped greedy (yielding to the event loop) equals the unstepped one', async () => {
    const sync = lscpGreedy(model, { radius });
    const stepped = await lscpGreedyAsync(model, { radius });
    if (!hasSolution(sync) || !hasSolution(stepped)) throw new Error('no solution');
    expect(Array.from(stepped.solution.open)).toEqual(Array.from(sync.solution.open));
    expect(stepped.objective).toBe(sync.objective);
    expect(stepped.bound).toBe(sync.bound);
  });

  it('an abort seen at a pause of the matrix scans stops the setup there: no-solution, stoppedBy aborted', async () => {
    // 300 x 300 pauses every 109 rows: 2 pauses per scan, 4 in prepareCoverage.
    for (let at = 1; at <= 4; at++) {
      const a = abortAtRead(at);
      const r = await lscpExact(model, { radius, signal: a.signal });
      expect(r.status).toBe('no-solution');
      expect(r.stoppedBy).toBe('aborted');
      expect(a.reads()).toBe(at);
      const g = abortAtRead(at);
      const rg = await lscpGreedyAsync(model, { radius, signal: g.signal });
      expect(rg.status).toBe('no-solution');
      expect(rg.stoppedBy).toBe('aborted');
      expect(g.reads()).toBe(at);
    }
  });

  it('an abort at the first pause of the adjacency build is seen: the greedy cover is finished and returned, stoppedBy aborted, no MIP', async () => {
    const a = abortAtRead(5);
    const r = await lscpExact(model, { radius, signal: a.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
    expect(r.stats['mip']).toBe(0);
    expect(a.reads()).toBe(5);
  });
});
