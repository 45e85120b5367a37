import { describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, solve, type Result } from '@emplace/core';
import { createScenarioSet, generateScenarios, type SaaSolution, type ScenarioSet } from '@emplace/facility';
import '@emplace/facility';

/**
 * Issue 13: SAA evaluated each solved sample problem, and the first candidate on a listed
 * set (every scenario), in one synchronous pass; after a stop it still evaluated that first
 * candidate on every listed scenario. Both evaluations now yield between scenarios, and a
 * run stopped before the upper side estimates on a fresh sample of `samples` scenarios.
 * Stops are triggered from the solver's own progress events, never by a timer.
 */
function scenarioSet(nSites: number, nClients: number, nScenarios: number, seed: number): ScenarioSet {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: nSites + nClients }, () => rng.next() * 100);
  const y = Float64Array.from({ length: nSites + nClients }, () => rng.next() * 100);
  const cost = new Float64Array(nSites * nClients);
  for (let i = 0; i < nSites; i++) for (let j = 0; j < nClients; j++) cost[i * nClients + j] = Math.hypot(x[i]! - x[nSites + j]!, y[i]! - y[nSites + j]!);
  const model = createPlacementModel({
    sites: Array.from({ length: nSites }, () => ({ openingCost: 200 + rng.int(300) })),
    clients: Array.from({ length: nClients }, () => ({ demand: 1 + rng.int(5) })),
    cost,
  });
  return createScenarioSet(model, generateScenarios(model, nScenarios, { seed, demandSigma: 0.3, failureProbability: 0.05, maxFailures: 1 }), { penalty: 500 });
}

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
