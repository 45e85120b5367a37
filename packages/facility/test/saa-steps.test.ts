import { describe, expect, it } from 'vitest';
import { hasSolution, solve, type Result } from '@emplace/core';
import type { SaaSolution, ScenarioSet } from '@emplace/facility';
import '@emplace/facility';
import { scenarioSet } from './scenario-instances.js';

/**
 * Issue 13: SAA evaluated each solved sample problem, and the first candidate on a listed
 * set (every scenario), in one synchronous pass; after a stop it still evaluated that first
 * candidate on every listed scenario. Both evaluations now yield between scenarios, and a
 * run stopped before the upper side estimates on a fresh sample of `samples` scenarios.
 * Stops are triggered from the solver's own progress events, never by a timer.
 */
const OPTIONS = { method: 'stochastic:saa', seed: 4, samples: 6, replications: 3, evaluationSamples: 5000 };

/** SAA with an abort fired from its progress event after `samplesDone` sample problems. */
async function abortAfterSamples(set: ScenarioSet, samplesDone: number): Promise<Result<SaaSolution>> {
  const ctl = new AbortController();
  return (await solve(set, {
    ...OPTIONS,
    signal: ctl.signal,
    progressIntervalMs: 0,
    onProgress: (p) => {
      if (p.phase === 'saa-samples' && (p.iterations ?? 0) >= samplesDone) ctl.abort();
    },
  })) as Result<SaaSolution>;
}

describe('stochastic:saa after a stop (issue 13)', () => {
  const set = scenarioSet(8, 40, 30, 7); // 30 listed scenarios > 6 samples

  it('without a stop: the listed set is evaluated exactly, the same answer for the same seed', async () => {
    const a = (await solve(set, OPTIONS)) as Result<SaaSolution>;
    const b = (await solve(set, OPTIONS)) as Result<SaaSolution>;
    expect(a.stoppedBy).toBe('converged');
    if (!hasSolution(a) || !hasSolution(b)) throw new Error('SAA found no plan');
    expect(a.solution.statistics.exactEvaluation).toBe(true);
    expect(a.solution.statistics.evaluationSamples).toBe(30);
    expect(b.objective).toBe(a.objective);
    expect(b.solution.statistics).toEqual(a.solution.statistics);
  });

  for (const done of [1, 3]) {
    it(`stopped after ${done} sample problem(s): a plan estimated on a fresh sample of \`samples\` scenarios, stoppedBy aborted`, async () => {
      const r = await abortAfterSamples(set, done);
      expect(r.stoppedBy).toBe('aborted');
      if (!hasSolution(r)) throw new Error('SAA returned no plan after its first sample problem');
      const st = r.solution.statistics;
      expect(st.replications).toBe(done);
      expect(st.exactEvaluation).toBe(false);
      expect(st.evaluationSamples).toBe(OPTIONS.samples);
      expect(Number.isFinite(r.objective)).toBe(true);
    });
  }
});
