import { describe, expect, it } from 'vitest';
import { airportGame, solve } from '@emplace/core';
import { AIRPORT_LOOKUP_CHUNK, airportShapleySteps, sortSteps } from '../src/airport.js';
import { airportShapley } from '../src/index.js';
import '../src/register.js';
import { drainSteps } from '../../core/test/support/steps.js';

const costsOf = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 1000));

describe('airport Shapley in steps (issue 13: a 200k-player game blocked the loop for 70-90 ms)', () => {
  it('checkpoints after the sort and every chunk of the lookup, with the same values', () => {
    const n = 3 * AIRPORT_LOOKUP_CHUNK + 5;
    const costs = costsOf(n);
    const steps = airportShapleySteps(costs, () => false);
    const r = drainSteps(steps);
    const yields = r.pauses;
    // Sort runs, two merge passes (4 runs), the prefix sums and the lookup, each in chunks.
    const chunks = Math.ceil(n / AIRPORT_LOOKUP_CHUNK);
    expect(yields).toBeGreaterThanOrEqual(5 * chunks - 2);
    expect(r.value).toEqual(airportShapley(costs));
  });

  it('the stepped sort equals the native sort (duplicates, several merge passes, odd lengths)', () => {
    for (const n of [0, 1, AIRPORT_LOOKUP_CHUNK - 1, AIRPORT_LOOKUP_CHUNK + 1, 5 * AIRPORT_LOOKUP_CHUNK + 77]) {
      const v = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1013);
      const steps = sortSteps(Float64Array.from(v), () => false);
      let r = steps.next();
      while (!r.done) r = steps.next();
      expect(Array.from(r.value!)).toEqual(Array.from(v.sort()));
    }
  });

  it('a stop in the lookup phase ends the steps without a result', () => {
    const costs = costsOf(2 * AIRPORT_LOOKUP_CHUNK);
    let calls = 0;
    const steps = airportShapleySteps(costs, () => ++calls >= 3);
    let r = steps.next();
    while (!r.done) r = steps.next();
    expect(r.value).toBeNull();
  });

  it('an aborted solve returns no-solution, stoppedBy aborted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const r = await solve(airportGame(50_000, costsOf(50_000)), { method: 'shapley:airport', signal: ctl.signal });
    expect(r.stoppedBy).toBe('aborted');
    expect(r.status).toBe('no-solution');
  });

  it('an unaborted solve still gives the closed form', async () => {
    const costs = costsOf(1000);
    const r = await solve(airportGame(1000, costs), { method: 'shapley:airport' });
    expect(r.status).toBe('optimal');
    if (r.status === 'optimal') expect((r.solution as { values: Float64Array }).values).toEqual(airportShapley(costs));
  });
});
