import { createPlacementModel } from '@emplace/core';
import { describe, expect, it } from 'vitest';
import { Interchange } from '../src/interchange.js';
import { prepareProblem } from '../src/problem.js';

/**
 * The interchange's cost copy pauses by entries, not by every 8 site rows: on the 100,000
 * clients of a stochastic set's UFL equivalent, 8 rows (800,000 entries, cold code) held the
 * event loop 27-55 ms, the responsiveness sweep's stochastic:ufl-equivalent abort over 50 ms.
 */
describe('Interchange.createSteps', () => {
  it('pauses at least once per site row of 100,000 clients, and copies the costs with forbidden pairs at the penalty', () => {
    const S = 4;
    const C = 100_000;
    const cost = new Float64Array(S * C);
    for (let k = 0; k < cost.length; k++) cost[k] = (k * 7919) % 1000;
    const model = createPlacementModel({ sites: S, clients: C, cost, openingCost: [5, 6, 7, 8], allowed: (i, j) => !(i === 0 && j === 3) });
    const prep = prepareProblem(model, 'ufl');
    if (prep.kind !== 'ok') throw new Error('prepares');
    const pr = prep.problem;
    const steps = Interchange.createSteps(pr);
    let pauses = 0;
    let r = steps.next();
    while (!r.done) {
      pauses++;
      r = steps.next();
    }
    // Two passes over the S rows, a pause per row (every 8 rows gave none at S = 4).
    expect(pauses).toBeGreaterThanOrEqual(2 * S - 2);
    const ls = r.value;
    ls.setOpen([1, 1, 1, 1]);
    // Client 3 may not use site 0: it is served elsewhere, at its cheapest allowed cost.
    const allowedBest = Math.min(cost[1 * C + 3]!, cost[2 * C + 3]!, cost[3 * C + 3]!);
    expect(ls.b1[3]).not.toBe(0);
    expect(cost[ls.b1[3]! * C + 3]).toBe(allowedBest);
  });
});
