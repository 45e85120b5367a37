import { describe, expect, it } from 'vitest';
import { hasSolution, solve, type Result } from '@emplace/core';
import { createReplicaModel, generateReplicas, generateSchedule, scheduleLocalSearch, scheduleLocalSearchAsync } from '../src/index.js';
import '../src/register.js';

/**
 * Issue 13: schedule:local-search / greedy / auto and the replica greedy and Karmada
 * methods ran synchronously (seconds on 2000 workloads), so an AbortSignal fired from the
 * event loop was seen only after they ended. Each test aborts at the solver's FIRST yield
 * to the event loop (a setImmediate queued right after the call), never on a timer: a
 * solver that does not yield finishes first and reports `converged` or `time-limit`.
 */
async function abortAtFirstYield(model: { readonly kind: string }, options: Record<string, unknown>): Promise<Result<unknown>> {
  const ctl = new AbortController();
  const pending = solve(model, { ...options, signal: ctl.signal });
  setImmediate(() => ctl.abort());
  return pending;
}

describe('schedule and replicas see an abort at their first yield (issue 13)', () => {
  const schedule = generateSchedule({ workloads: 1500, clusters: 40, pairs: 3000, seed: 7 });

  for (const method of ['schedule:local-search', 'schedule:auto']) {
    it(`${method} stops with stoppedBy aborted`, async () => {
      const r = await abortAtFirstYield(schedule, { method, seed: 1, timeLimitMs: 60_000 });
      expect(r.stoppedBy).toBe('aborted');
    });

    it(`${method} aborted after its first plan returns that plan`, async () => {
      const ctl = new AbortController();
      const r = await solve(schedule, { method, seed: 1, timeLimitMs: 60_000, signal: ctl.signal, onProgress: (e) => e.incumbent !== undefined && ctl.abort() });
      expect(r.stoppedBy).toBe('aborted');
      expect(hasSolution(r)).toBe(true);
    });
  }

  it('schedule:mip stops before its MIP is built and solved', async () => {
    const r = await abortAtFirstYield(schedule, { method: 'schedule:mip', seed: 1, timeLimitMs: 60_000 });
    expect(r.stoppedBy).toBe('aborted');
  });

  it('schedule:greedy yields while it constructs', async () => {
    // Larger: the construction alone must outlast one 10 ms slice by a wide margin.
    const big = generateSchedule({ workloads: 8000, clusters: 120, pairs: 8000, seed: 9 });
    const r = await abortAtFirstYield(big, { method: 'schedule:greedy', seed: 1 });
    expect(r.stoppedBy).toBe('aborted');
  });

  it('the sync and async local searches give the same plan for a seed', async () => {
    const small = generateSchedule({ workloads: 60, clusters: 6, pairs: 120, seed: 3 });
    const a = scheduleLocalSearch(small, { seed: 5 });
    const b = await scheduleLocalSearchAsync(small, { seed: 5 });
    expect(b.objective).toBe(a.objective);
    expect(JSON.stringify(b.solution)).toBe(JSON.stringify(a.solution));
  });

  const replicas = createReplicaModel(generateReplicas({ clusters: 200, workloads: 300, seed: 5, replicas: [20, 60], regions: 8, zonesPerRegion: 3, freeCpu: [2, 24] }));
  for (const method of ['replicas:greedy', 'replicas:karmada', 'replicas:exact']) {
    it(`${method} stops with stoppedBy aborted`, async () => {
      const r = await abortAtFirstYield(replicas, { method, seed: 1 });
      expect(r.stoppedBy).toBe('aborted');
    });
  }

  it('replicas:exact aborted at its first progress event (while it builds the MIP) returns the greedy plan', async () => {
    // 50 x 200: building the MIP took 150-400 ms in one synchronous stretch; it now yields per workload.
    const model = createReplicaModel(generateReplicas({ clusters: 200, workloads: 50, seed: 5, replicas: [20, 60], regions: 8, zonesPerRegion: 3, freeCpu: [2, 24] }));
    const ctl = new AbortController();
    let events = 0;
    const r = await solve(model, { method: 'replicas:exact', seed: 1, signal: ctl.signal, onProgress: () => (events++, ctl.abort()) });
    expect(events).toBeGreaterThan(0);
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
  });

  it('schedule:mip aborted at its first progress event keeps its warm start', async () => {
    const ctl = new AbortController();
    const r = await solve(schedule, { method: 'schedule:mip', seed: 1, timeLimitMs: 60_000, signal: ctl.signal, onProgress: () => ctl.abort() });
    expect(hasSolution(r)).toBe(true);
    expect(r.stoppedBy).toBe('aborted');
  });

  it('schedule:auto aborted while compiling the model (first yield) is a no-solution, not a crash', async () => {
    const r = await abortAtFirstYield(schedule, { method: 'schedule:auto', seed: 1, timeLimitMs: 60_000 });
    expect(r.stoppedBy).toBe('aborted');
  });
});
