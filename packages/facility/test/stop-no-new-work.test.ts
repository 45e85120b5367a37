import { afterEach, describe, expect, it } from 'vitest';
import { hasSolution, runSteps, SolveRun } from '@emplace/core';
import { abortAfterTurns } from '../../core/test/support/steps.js';
import { CflEvaluator, lagrangianSwapSearchSteps, swapSearchFromRoot } from '../src/capacitated.js';
import { LagrangianRelaxation } from '../src/lagrangian.js';
import { prepareProblem, unitCosts } from '../src/problem.js';
import { checkSolution, toSolution } from '../src/solution.js';
import { solveCfl, solveSscfl } from '../src/solvers.js';
import { Transportation } from '../src/transportation.js';
import { cornuejols } from './sscfl-instances.js';

/**
 * Issue 13 (CLI exit within 100 ms of a signal): once a split-demand or single-source run is
 * aborted, no phase starts new work. Before, a heuristic deferred inside a subgradient iteration
 * ran to its end after the abort (its transportations and site local search), the single-source
 * guide rounded its split plan and the single-source search built its relaxation, and the swap
 * search ranked up to 8000 moves (~500 ms at 100 x 1000) before looking at the stop. The aborts
 * land after counted event-loop turns (no timer), so each test reaches the same phases anywhere.
 */
const original = Transportation.prototype.solveSteps;
afterEach(() => {
  Transportation.prototype.solveSteps = original;
});

/** Counts the transportations started once `signal` reads aborted (solveSteps is patched for the test). */
function countSolvesAfter(signalOf: () => AbortSignal | undefined): () => number {
  let after = 0;
  Transportation.prototype.solveSteps = function (this: Transportation, open: Uint8Array) {
    if (signalOf()?.aborted) after++;
    return original.call(this, open);
  };
  return () => after;
}

describe('an aborted capacitated run starts nothing new (issue 13)', () => {
  const model = cornuejols(60, 400, 3, 5);

  for (const [name, solver, kind] of [
    ['cfl', solveCfl, 'cfl'],
    ['sscfl', solveSscfl, 'sscfl'],
  ] as const) {
    for (const turns of [1, 3, 6, 12, 25, 40]) {
      it(`${name}:auto aborted after ${turns} event-loop turns: the incumbent, stoppedBy aborted, no transportation after the abort`, async () => {
        let signal: AbortSignal | undefined;
        const after = countSolvesAfter(() => signal);
        const res = await abortAfterTurns(turns, (s) => {
          signal = s;
          return solver(model, { method: 'auto', signal: s, timeLimitMs: 120_000, seed: 1 });
        });
        expect(res.stoppedBy).toBe('aborted');
        expect(after()).toBe(0);
        if (hasSolution(res)) {
          expect(res.status).toBe('feasible');
          expect(checkSolution(model, kind, res.solution).violations).toEqual([]);
        } else expect(res.status).toBe('no-solution');
      }, 60_000);
    }
  }
});

describe('lagrangianSwapSearchSteps stopped before its moves are ranked', () => {
  it('returns its start with no set evaluated', () => {
    const prep = prepareProblem(cornuejols(30, 200, 3, 9), 'cfl');
    if (prep.kind !== 'ok') throw new Error('instance must be feasible');
    const pr = prep.problem;
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    const start = evaluator.evaluate(new Uint8Array(pr.nSites).fill(1));
    if (!start) throw new Error('all sites open must serve the clients');
    const lr = new LagrangianRelaxation(pr);
    const v = lr.initialMultipliers();
    lr.evaluate(v, new Int8Array(pr.nSites).fill(-1));
    let sumV = 0;
    for (const x of v) sumV += x;
    const before = evaluator.evaluations;
    // The limit (the start's value) leaves many moves to rank; the stop answers true throughout.
    const out = runSteps(lagrangianSwapSearchSteps(pr, evaluator, start, Float64Array.from(lr.rho), sumV, undefined, () => true));
    expect(out).toBe(start);
    expect(evaluator.evaluations).toBe(before);
  });
});

describe('swapSearchFromRoot stopped while the relaxation sorts its cost orders', () => {
  const model = cornuejols(100, 400, 3, 21);
  const prep = prepareProblem(model, 'cfl');
  if (prep.kind !== 'ok') throw new Error('instance must be feasible');
  const pr = prep.problem;

  /** The swap search from the all-open plan at the relaxation's initial multipliers, under `run`. */
  async function fromRoot(run: SolveRun) {
    const evaluator = new CflEvaluator(pr, unitCosts(pr));
    const start = evaluator.evaluate(new Uint8Array(pr.nSites).fill(1));
    if (!start) throw new Error('all sites open must serve the clients');
    const rootV = new LagrangianRelaxation(pr).initialMultipliers();
    const before = evaluator.evaluations;
    const out = await swapSearchFromRoot(pr, run, evaluator, start, { incumbent: start, bound: -Infinity, complete: false, nodes: 0, iterations: 0, fixedAtRoot: 0, rootV });
    return { start, out, evaluated: evaluator.evaluations - before };
  }

  it('an abort before it starts returns the start with no set evaluated', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const { start, out, evaluated } = await fromRoot(new SolveRun({ signal: ctl.signal }, 'test', 'min'));
    expect(out).toBe(start);
    expect(evaluated).toBe(0);
  });

  for (const turns of [1, 2, 4]) {
    it(`aborted after ${turns} event-loop turns: a feasible plan no worse than the start`, async () => {
      const { start, out } = await abortAfterTurns(turns, (signal) => fromRoot(new SolveRun({ signal, timeLimitMs: 120_000 }, 'test', 'min')));
      expect(out.value).toBeLessThanOrEqual(start.value);
      expect(checkSolution(model, 'cfl', toSolution(model, pr, out.solution).solution).violations).toEqual([]);
    }, 60_000);
  }
});
