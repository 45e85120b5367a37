import { afterEach, describe, expect, it } from 'vitest';
import { createPlacementModel, hasSolution, Rng, runSteps, type Steps } from '@emplace/core';
import { CflEvaluator } from '../src/capacitated.js';
import { prepareProblem, unitCosts } from '../src/problem.js';
import { checkSolution } from '../src/solution.js';
import { solveCfl } from '../src/solvers.js';
import { Transportation, type TransportationResult } from '../src/transportation.js';

/**
 * Issue 13: the transportation of a tight 100 x 1000 CFL takes hundreds of augmenting paths
 * (hundreds of ms); it used to run without a checkpoint, so an abort fired meanwhile was seen
 * only after it (p99 562 ms in-thread). It is now steps with a checkpoint per augmentation.
 */
function tightCfl(sites: number, clients: number, seed: number) {
  const rng = new Rng(seed);
  const sx = Float64Array.from({ length: sites }, () => rng.uniform(0, 100));
  const sy = Float64Array.from({ length: sites }, () => rng.uniform(0, 100));
  const cx = Float64Array.from({ length: clients }, () => rng.uniform(0, 100));
  const cy = Float64Array.from({ length: clients }, () => rng.uniform(0, 100));
  const demand = Float64Array.from({ length: clients }, () => 1 + rng.int(800));
  let total = 0;
  for (const d of demand) total += d;
  const cost = new Float64Array(sites * clients);
  for (let i = 0; i < sites; i++) for (let j = 0; j < clients; j++) cost[i * clients + j] = Math.round((demand[j]! * Math.hypot(sx[i]! - cx[j]!, sy[i]! - cy[j]!)) / 10);
  // Capacity 1.25 x the demand per site: most open sets overload their cheapest sites.
  const capacity = new Float64Array(sites).fill(Math.ceil((1.25 * total) / sites));
  return createPlacementModel({ sites, clients, cost, demand, openingCost: Float64Array.from({ length: sites }, () => Math.round(rng.uniform(5_000, 15_000))), capacity });
}

const original = Transportation.prototype.solveSteps;
afterEach(() => {
  Transportation.prototype.solveSteps = original;
});

describe('an abort inside a transportation (regression, issue 13)', () => {
  it('the transportation has a checkpoint per augmenting path; an abort between them interrupts it without marking the set infeasible', () => {
    const prep = prepareProblem(tightCfl(30, 300, 4), 'cfl');
    if (prep.kind !== 'ok') throw new Error('instance must be feasible');
    const pr = prep.problem;
    const all = new Uint8Array(pr.nSites).fill(1);
    let stop = false;
    const ev = new CflEvaluator(pr, unitCosts(pr));
    ev.transport.stop = () => stop;
    const steps: Steps<unknown> = ev.evaluateSteps(all);
    let checkpoints = 0;
    let r = steps.next();
    while (!r.done && checkpoints < 3) {
      checkpoints++;
      r = steps.next();
    }
    expect(checkpoints).toBe(3);
    expect(r.done).toBe(false);
    stop = true;
    while (!r.done) r = steps.next();
    expect(r.value).toBeNull();
    expect(ev.transport.interrupted).toBe(true);
    // The set was not remembered as infeasible: evaluated again without the stop, it has its value.
    stop = false;
    const again = runSteps(ev.evaluateSteps(all));
    expect(again).not.toBeNull();
    expect(again!.value).toBe(ev.evaluate(all)?.value);
  });

  for (const method of ['auto', 'local-search', 'branch-and-bound'] as const) {
    it(`cfl:${method}: an abort fired at the 3rd augmenting path of a transportation returns a feasible plan, stoppedBy aborted`, async () => {
      const model = tightCfl(60, 600, 7);
      const ctl = new AbortController();
      let abortedInside = false;
      // Fires the abort from inside the solver's first long transportation (deterministic, no timer).
      Transportation.prototype.solveSteps = function* (this: Transportation, open: Uint8Array): Steps<TransportationResult | null> {
        const inner = original.call(this, open);
        let k = 0;
        let r = inner.next();
        while (!r.done) {
          if (++k === 3 && !ctl.signal.aborted) {
            ctl.abort();
            abortedInside = true;
          }
          yield;
          r = inner.next();
        }
        return r.value;
      };
      const r = await solveCfl(model, { method, signal: ctl.signal });
      expect(abortedInside).toBe(true);
      expect(r.stoppedBy).toBe('aborted');
      expect(r.status).toBe('feasible');
      if (!hasSolution(r)) throw new Error('a plan was expected');
      expect(checkSolution(model, 'cfl', r.solution).violations).toEqual([]);
    });
  }
});
