import { describe, expect, it } from 'vitest';
import { hasSolution, solve, type Result } from '@emplace/core';
import type { SaaSolution, ScenarioSet } from '@emplace/facility';
import '@emplace/facility';
import { scenarioSet } from './scenario-instances.js';
import { abortAfterTurns } from '../../core/test/support/steps.js';

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
      // `samples` scenarios, or the first ones of them reached in the few ms after the stop (at least two).
      expect(st.evaluationSamples).toBeGreaterThanOrEqual(2);
      expect(st.evaluationSamples).toBeLessThanOrEqual(OPTIONS.samples);
      expect(Number.isFinite(r.objective)).toBe(true);
    });
  }
});

/**
 * Issue 13: an abort during the first sample problem returned no solution. SAA now makes a
 * greedy plan on the first sample before solving it, and a stop before any sample problem
 * is solved returns that plan, estimated on fresh scenarios like any candidate. The abort
 * lands after counted turns of the event loop (abortAfterTurns), never on a timer.
 */
describe('stochastic:saa aborted during its first sample problem (issue 13)', () => {
  // 40 scenarios of 30 x 300 per sample: a first sample problem of 12,000 clients, many checkpoints.
  const set = scenarioSet(30, 300, 60, 11);
  const options = { method: 'stochastic:saa', seed: 2, samples: 40, replications: 4, evaluationSamples: 5000 };

  for (const turns of [1, 3, 8]) {
    it(`aborted after ${turns} turn(s): a servable plan with its estimated value, stoppedBy aborted`, async () => {
      const r = (await abortAfterTurns(turns, (signal) => solve(set, { ...options, signal }))) as Result<SaaSolution>;
      expect(r.stoppedBy).toBe('aborted');
      if (!hasSolution(r)) throw new Error(`no plan after an abort at turn ${turns}: ${r.status}`);
      const st = r.solution.statistics;
      expect(st.replications).toBe(0);
      expect(st.lowerBound).toBe(-Infinity);
      expect(r.warnings?.join(' ')).toMatch(/greedy/);
      // The estimate: opening cost plus the mean recourse over the fresh evaluation scenarios.
      const sol = r.solution;
      expect(sol.recourse.length).toBe(st.evaluationSamples);
      let opening = 0;
      for (const i of sol.openSites) opening += set.base.f[i]!;
      expect(sol.openingCost).toBeCloseTo(opening, 9);
      const mean = sol.recourse.reduce((a, b) => a + b, 0) / sol.recourse.length;
      expect(r.objective).toBeCloseTo(opening + mean, 6);
      // On the listed distribution, by an evaluator written here: a plan, better than leaving every client at the penalty.
      const value = independentExpectedCost(set, sol.openSites);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeLessThan(independentExpectedCost(set, new Int32Array(0)));
    });
  }
});

/** Expected cost of an open set over a listed uncapacitated set: each client at its cheapest open surviving site or the penalty. */
function independentExpectedCost(set: ScenarioSet, openSites: Int32Array): number {
  const { nClients: C, c, f } = set.base;
  let total = 0;
  for (const i of openSites) total += f[i]!;
  for (const sc of set.scenarios) {
    let recourse = 0;
    for (let j = 0; j < C; j++) {
      let best = sc.demand[j]! === 0 ? 0 : set.penalty * sc.demand[j]!;
      for (const i of openSites) {
        if (sc.failed[i] || c[i * C + j]! === Infinity) continue;
        best = Math.min(best, sc.demand[j]! * sc.costScale * (sc.cost ? sc.cost[i * C + j]! : c[i * C + j]!));
      }
      recourse += best;
    }
    total += sc.probability * recourse;
  }
  return total;
}
