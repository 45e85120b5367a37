import { describe, expect, it, vi } from 'vitest';
import { hasSolution, solve, SolveRun, type Result } from '@emplace/core';
import { scenarioLocalSearch } from '../src/scenario-search.js';
import { ScenarioEvaluator } from '../src/scenarios.js';
import { finishScenario } from '../src/stochastic.js';
import { extensiveForm, formulationScale, uflEquivalent } from '../src/stochastic-extensive.js';
import type { ScenarioSet } from '@emplace/facility';
import '@emplace/facility';
import { abortAfterTurns } from '../../core/test/support/steps.js';
import { scenarioSet } from './scenario-instances.js';

/**
 * Issue 13: the scenario methods (stochastic, robust, SAA) ran their local search and
 * their scenario evaluations without ever yielding, so an AbortSignal fired from the event
 * loop was seen only when the solve had ended (30 s after the abort on a 50 x 500 x 200
 * set). Each test aborts at the solver's FIRST yield to the event loop (a setImmediate
 * queued right after the call runs at the first turn the solver gives back), never on a
 * timer: a solver that does not yield finishes first and reports `converged`.
 */
async function abortAtFirstYield(model: unknown, options: Record<string, unknown>): Promise<Result<unknown>> {
  const ctl = new AbortController();
  const pending = solve(model as ScenarioSet, { ...options, signal: ctl.signal });
  setImmediate(() => ctl.abort());
  return pending;
}

describe('scenario methods see an abort at their first yield (issue 13)', () => {
  // Large enough that each method computes well beyond one 10 ms slice.
  const set = scenarioSet(30, 300, 60, 5);

  // robust:auto: 540,000 epigraph columns, above ROBUST_MIP_MAX_COLUMNS, so the local search.
  for (const method of ['stochastic:local-search', 'stochastic:auto', 'robust:local-search', 'robust:auto']) {
    it(`${method} stops with stoppedBy aborted and returns its incumbent`, async () => {
      const r = await abortAtFirstYield(set, { method, seed: 3 });
      expect(r.stoppedBy).toBe('aborted');
      // The penalty is finite: every open set (even the start) is a plan.
      expect(hasSolution(r)).toBe(true);
    });
  }

  it('stochastic:saa stops with stoppedBy aborted', async () => {
    const r = await abortAtFirstYield(set, { method: 'stochastic:saa', seed: 3, samples: 20, replications: 4, evaluationSamples: 2000 });
    expect(r.stoppedBy).toBe('aborted');
  });

  it('robust:mip stops while it builds the model', async () => {
    const r = await abortAtFirstYield(set, { method: 'robust:mip', seed: 3 });
    expect(r.stoppedBy).toBe('aborted');
  });

  it('robust:mip aborted after a few build slices (past the reservation) stops with stoppedBy aborted', async () => {
    const r = await abortAfterTurns(8, (signal) => solve(set, { method: 'robust:mip', seed: 3, signal }));
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).not.toBe('optimal');
  });

  it('the local search still reaches the same answer without an abort (determinism per seed)', async () => {
    const small = scenarioSet(8, 40, 10, 9);
    const a = await solve(small, { method: 'stochastic:local-search', seed: 2 });
    const b = await solve(small, { method: 'stochastic:local-search', seed: 2 });
    expect(a.stoppedBy).toBe('converged');
    expect(b.objective).toBe(a.objective);
  });
});

describe('no long stretch after a stop (issue 13 sweep: stochastic:extensive abort p99 68 ms)', () => {
  const set = scenarioSet(10, 60, 12, 4);

  it('the MIP cost scale checks the run before every scenario and gives up when it stops', async () => {
    let ticks = 0;
    const scale = await formulationScale(set, new ScenarioEvaluator(set), { kind: 'worst' }, { tick: async () => (ticks++, false) });
    expect(ticks).toBe(set.scenarios.length);
    expect(scale).toBeGreaterThan(0);
    expect(Math.log2(scale!) % 1).toBe(0);
    let stopAt = 0;
    expect(await formulationScale(set, new ScenarioEvaluator(set), { kind: 'expected' }, { tick: async () => ++stopAt >= 3 })).toBeNull();
    expect(stopAt).toBe(3);
  });

  it('a run stopped before the exact equivalents start reads no scenario matrix and allocates nothing', async () => {
    const ctl = new AbortController();
    ctl.abort();
    for (const build of [
      (ev: ScenarioEvaluator, run: SolveRun) => uflEquivalent(set, ev, run),
      (ev: ScenarioEvaluator, run: SolveRun) => extensiveForm(set, ev, run, { kind: 'expected' }),
      (ev: ScenarioEvaluator, run: SolveRun) => extensiveForm(set, ev, run, { kind: 'worst' }),
    ]) {
      const ev = new ScenarioEvaluator(set);
      const costs = vi.spyOn(ev, 'costs');
      const out = await build(ev, new SolveRun({ signal: ctl.signal }, 'stochastic:auto', 'min'));
      expect(out.status).toBe('stopped while building');
      expect(out.open).toBeNull();
      expect(costs).not.toHaveBeenCalled();
    }
  });

  it('the local search hands back the evaluation of its set, and the result reuses it after an abort', async () => {
    const ev = new ScenarioEvaluator(set);
    const ctl = new AbortController();
    const run = new SolveRun({ signal: ctl.signal }, 'stochastic:local-search', 'min');
    const pending = scenarioLocalSearch(ev, (e) => e.expected, run);
    setTimeout(() => ctl.abort(), 0);
    const ls = await pending;
    expect(ls.evaluation).not.toBeNull();
    const fresh = new ScenarioEvaluator(set).evaluate(ls.open);
    expect(ls.evaluation!.expected).toBeCloseTo(fresh.expected, 9);
    const before = ev.evaluations;
    const r = finishScenario(set, run, ev, ls.open, { kind: 'heuristic' }, { warnings: [], stats: {}, evaluation: ls.evaluation }, (e) => e.expected);
    // No evaluation of every scenario again once stopped.
    expect(ev.evaluations).toBe(before);
    expect(r.objective).toBeCloseTo(fresh.expected, 9);
  });

  it('stochastic:extensive aborted at its first yield returns the local-search incumbent with its exact value', async () => {
    const big = scenarioSet(30, 300, 60, 5);
    const r = await abortAtFirstYield(big, { method: 'stochastic:extensive', seed: 3 });
    expect(r.stoppedBy).toBe('aborted');
    expect(hasSolution(r)).toBe(true);
    if (!hasSolution(r)) return;
    const sol = r.solution as { openSites: Int32Array };
    const open = new Uint8Array(big.base.nSites);
    for (const i of sol.openSites) open[i] = 1;
    expect(r.objective).toBeCloseTo(new ScenarioEvaluator(big).evaluate(open).expected, 6);
  });
});
