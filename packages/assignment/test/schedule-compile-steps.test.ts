import { describe, expect, it } from 'vitest';
import { hasSolution } from '@emplace/core';
import { generateSchedule, scheduleGreedy, scheduleGreedyAsync } from '../src/index.js';
import { compileSchedule, compileScheduleSteps } from '../src/schedule-compile.js';
import { abortAtRead, drainSteps } from '../../core/test/support/steps.js';

/**
 * Issue 13: schedule:auto on 2000 workloads x 50 clusters held the event loop 22-36 ms on
 * CPU while compiling: the site x client allowed table and the unit cost table were built
 * in one stretch each. Both now pause every 16,384 entries.
 */
describe('schedule compilation in steps', () => {
  const model = generateSchedule({ workloads: 2000, clusters: 50, pairs: 4000, seed: 2050 });

  it('pauses inside the allowed and cost tables and gives the same compiled model as the unstepped run', () => {
    const steps = compileScheduleSteps(model);
    const r = drainSteps(steps);
    const pauses = r.pauses;
    // 5 phase boundaries before, now also 6 pauses in each 50 x 2000 table and 12 in the client check.
    expect(pauses).toBeGreaterThan(20);
    expect(r.value).toEqual(compileSchedule(model));
  });

  it('the stepped greedy (yielding to the event loop) equals the unstepped one', async () => {
    const sync = scheduleGreedy(model, { seed: 3 });
    const stepped = await scheduleGreedyAsync(model, { seed: 3 });
    if (!hasSolution(sync) || !hasSolution(stepped)) throw new Error('no solution');
    expect(stepped.objective).toBe(sync.objective);
    expect(stepped.solution).toEqual(sync.solution);
  });

  it('an abort seen at a pause of the tables stops the compilation there: no-solution, stoppedBy aborted', async () => {
    for (const at of [1, 3, 6, 9, 14]) {
      const a = abortAtRead(at);
      const r = await scheduleGreedyAsync(model, { seed: 3, signal: a.signal });
      expect(r.status).toBe('no-solution');
      expect(r.stoppedBy).toBe('aborted');
      expect(r.warnings?.[0]).toMatch(/while compiling/);
      expect(a.reads()).toBe(at);
    }
  });
});
